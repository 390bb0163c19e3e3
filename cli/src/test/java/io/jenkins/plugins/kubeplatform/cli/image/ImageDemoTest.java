package io.jenkins.plugins.kubeplatform.cli.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.image.PushedImage;
import io.jenkins.plugins.kubeplatform.sim.registry.RegistryBinary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageDemoTest {

    @TempDir
    Path dir;

    @Test
    void returnsTheDigestReferenceOfThePushedDemoImage() throws Exception {
        assumeTrue(RegistryBinary.installedOrRequired(), "docker-registry is not installed (and CI is not set)");
        List<String> log = new ArrayList<>();

        PushedImage pushed = ImageDemo.buildAndPush(dir, Progress.lines(log::add)).orElseThrow();

        assertThat(pushed.reference()).matches("127\\.0\\.0\\.1:\\d+/demo/web@sha256:[0-9a-f]{64}");
        assertThat(log).anyMatch(l -> l.startsWith("[plan] build ")).anyMatch(l -> l.startsWith("[step] pushed "));
    }
}
