package io.jenkins.plugins.kubeplatform.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import hudson.AbortException;
import hudson.model.TaskListener;
import io.jenkins.plugins.kubeplatform.sim.registry.LocalRegistry;
import io.jenkins.plugins.kubeplatform.sim.registry.RegistryBinary;
import io.jenkins.plugins.kubeplatform.sim.registry.RegistryOptions;
import io.jenkins.plugins.kubeplatform.sim.registry.TinyBaseImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent side of {@code build: imageBuild(...)}, run in-process against a real password-protected registry. */
class ImageBuildOnAgentTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final TaskListener listener = () -> new PrintStream(log, true, StandardCharsets.UTF_8);

    @Test
    void pushesTheWorkspaceJarAndReturnsTheDigestReference() throws Exception {
        assumeTrue(RegistryBinary.installedOrRequired(), "docker-registry is not installed (and CI is not set)");
        try (LocalRegistry registry = LocalRegistry.start(RegistryOptions.withUser("jenkins", "push-Token-1"))) {
            TinyBaseImage.Pushed base = TinyBaseImage.push(registry, "base/tiny", "1");
            Path jar = dir.resolve("web.jar");
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), new Manifest())) {
                out.putNextEntry(new java.util.jar.JarEntry("x.txt"));
            }
            ImageBuild build = new ImageBuild("target/web.jar", base.tagReference(), registry.image("shop/web", "42"));
            build.setInsecure(true);
            build.setPorts(List.of(8080));
            build.setEnv(Map.of("JAVA_TOOL_OPTIONS", "-Xmx64m"));

            PushedImage pushed = new ImageBuildOnAgent(build,
                    new RegistryCredential.UsernamePassword("jenkins", "push-Token-1"), null, listener)
                    .invoke(jar.toFile(), null);

            assertThat(pushed.reference()).isEqualTo(registry.host() + "/shop/web@"
                    + registry.api().manifest("shop/web", "42").orElseThrow().digest());
            assertThat(log.toString(StandardCharsets.UTF_8)).contains("[plan] build").doesNotContain("push-Token-1");
        }
    }

    @Test
    void stopsTheBuildWhenTheArtifactIsMissing() throws Exception {
        ImageBuild build = new ImageBuild("target/web.jar", "registry.example.com/base:1", "registry.example.com/web:1");
        ImageBuildOnAgent onAgent = new ImageBuildOnAgent(build, RegistryCredential.anonymous(), null, listener);

        assertThatThrownBy(() -> onAgent.invoke(dir.resolve("target/web.jar").toFile(), null))
                .isInstanceOf(AbortException.class)
                .hasMessageContaining("artifact")
                .hasMessageContaining("nothing was pushed");
    }

    @Test
    void turnsPipelineMapValuesIntoStrings() {
        Map<Object, Object> fromPipeline = new LinkedHashMap<>();
        fromPipeline.put("WORKERS", 4);
        fromPipeline.put("EMPTY", null);

        assertThat(ImageBuildOnAgent.strings(fromPipeline)).containsEntry("WORKERS", "4").containsEntry("EMPTY", "");
    }
}
