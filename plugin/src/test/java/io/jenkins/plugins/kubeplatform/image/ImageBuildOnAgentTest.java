package io.jenkins.plugins.kubeplatform.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import hudson.AbortException;
import hudson.model.TaskListener;
import io.jenkins.plugins.kubeplatform.engine.image.PushedImage;
import io.jenkins.plugins.kubeplatform.engine.image.RegistryCredential;
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
            // a workspace as the agent has it, with the build's output where the step's artifact path points
            Path workspace = dir.resolve("workspace");
            Path jar = workspace.resolve("target/web.jar");
            Files.createDirectories(jar.getParent());
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), new Manifest())) {
                out.putNextEntry(new java.util.jar.JarEntry("app.txt"));
                out.write(("built by job shop #42 at " + System.nanoTime()).getBytes(StandardCharsets.UTF_8));
            }
            byte[] jarBytes = Files.readAllBytes(jar);
            ImageBuild build = new ImageBuild("target/web.jar", base.tagReference(), registry.image("shop/web", "42"));
            build.setInsecure(true);
            build.setPorts(List.of(8080));
            build.setEnv(Map.of("JAVA_TOOL_OPTIONS", "-Xmx64m"));

            PushedImage pushed = new ImageBuildOnAgent(build,
                    new RegistryCredential.UsernamePassword("jenkins", "push-Token-1"), null, listener)
                    .invoke(workspace.resolve(ImageBuilds.workspaceRelative(build.getArtifact())).toFile(), null);

            var manifest = registry.api().manifest("shop/web", "42").orElseThrow();
            assertThat(pushed.reference()).isEqualTo(registry.host() + "/shop/web@" + manifest.digest());
            // the image's top layer carries exactly the workspace jar
            byte[] layer;
            try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(registry.api()
                    .blob("shop/web", manifest.layerDigests().get(manifest.layerDigests().size() - 1))))) {
                layer = in.readAllBytes();
            }
            assertThat(indexOf(layer, jarBytes)).as("the workspace jar's bytes in the pushed layer").isNotNegative();
            assertThat(log.toString(StandardCharsets.UTF_8)).contains("[plan] build").doesNotContain("push-Token-1");
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
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
