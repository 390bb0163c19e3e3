package io.jenkins.plugins.kubeplatform.cli.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.kubeplatform.cli.CliRunner;
import io.jenkins.plugins.kubeplatform.cli.ExitCodes;
import io.jenkins.plugins.kubeplatform.engine.store.Json;
import io.jenkins.plugins.kubeplatform.sim.registry.LocalRegistry;
import io.jenkins.plugins.kubeplatform.sim.registry.RegistryBinary;
import io.jenkins.plugins.kubeplatform.sim.registry.RegistryOptions;
import io.jenkins.plugins.kubeplatform.sim.registry.TinyBaseImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kubeplatform build-image} against a real password-protected registry on 127.0.0.1. */
class BuildImageCommandTest {

    private static LocalRegistry registry;
    private static TinyBaseImage.Pushed base;

    @TempDir
    Path dir;
    private Path jar;
    private Path passwordFile;

    @BeforeAll
    static void startRegistry() {
        assumeTrue(RegistryBinary.installedOrRequired(), "docker-registry is not installed (and CI is not set)");
        registry = LocalRegistry.start(RegistryOptions.withUser("ci", "registry-Pass1"));
        base = TinyBaseImage.push(registry, "base/tiny", "1");
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    @BeforeEach
    void artifact() throws Exception {
        jar = dir.resolve("app.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), new Manifest())) {
            out.putNextEntry(new java.util.jar.JarEntry("hello.txt"));
            out.write("hello".getBytes());
        }
        passwordFile = Files.writeString(dir.resolve("registry-password"), "registry-Pass1\n");
    }

    @Test
    void printsTheDigestReferenceAsJson() throws Exception {
        CliRunner.Run run = CliRunner.run("build-image", "--artifact", jar.toString(), "--from", base.tagReference(),
                "--to", registry.image("apps/cli", "1"), "--insecure", "--username", "ci",
                "--password-file", passwordFile.toString(), "--expose", "8080", "--image-env", "MODE=prod", "--output", "json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode result = Json.mapper().readTree(run.out());
        String digest = registry.api().manifest("apps/cli", "1").orElseThrow().digest();
        assertThat(result.path("digest").asText()).isEqualTo(digest);
        assertThat(result.path("reference").asText()).isEqualTo(registry.host() + "/apps/cli@" + digest);
        assertThat(run.err()).contains("[plan] build").doesNotContain("registry-Pass1");
        JsonNode config = registry.api().config("apps/cli", registry.api().manifest("apps/cli", "1").orElseThrow())
                .path("config");
        assertThat(config.path("ExposedPorts").has("8080/tcp")).isTrue();
        assertThat(config.path("Env").toString()).contains("MODE=prod");
    }

    @Test
    void takesTheCredentialsFromTheEnvironment() {
        CliRunner.Run run = CliRunner.run(Map.of(ImageBuildOptions.USERNAME_ENV, "ci",
                        ImageBuildOptions.PASSWORD_ENV, "registry-Pass1"),
                "build-image", "--artifact", jar.toString(), "--from", base.tagReference(),
                "--to", registry.image("apps/env", "1"), "--insecure");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().trim()).startsWith(registry.host() + "/apps/env@sha256:");
    }

    @Test
    void exitsWithOneWhenTheRegistryRejectsThePassword() throws Exception {
        Path wrong = Files.writeString(dir.resolve("wrong"), "nope");

        CliRunner.Run run = CliRunner.run("build-image", "--artifact", jar.toString(), "--from", base.tagReference(),
                "--to", registry.image("apps/rejected", "1"), "--insecure", "--username", "ci",
                "--password-file", wrong.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.err()).contains("refused access");
        assertThat(registry.api().tags("apps/rejected")).isEmpty();
    }

    @Test
    void exitsWithTwoAndPushesNothingWhenTheArtifactIsMissing() {
        CliRunner.Run run = CliRunner.run("build-image", "--artifact", dir.resolve("target/none.jar").toString(),
                "--from", base.tagReference(), "--to", registry.image("apps/none", "1"), "--insecure",
                "--username", "ci", "--password-file", passwordFile.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(run.err()).contains("artifact").contains("does not exist");
        assertThat(registry.api().tags("apps/none")).isEmpty();
    }

    @Test
    void takesNoPasswordFromTheCommandLine() {
        CliRunner.Run run = CliRunner.run("build-image", "--artifact", jar.toString(), "--from", base.tagReference(),
                "--to", registry.image("apps/argv", "1"), "--username", "ci", "--password", "registry-Pass1");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(run.err()).doesNotContain("registry-Pass1");
        assertThat(registry.api().tags("apps/argv")).isEmpty();
    }

    @Test
    void requiresAPasswordWithAUsername() {
        CliRunner.Run run = CliRunner.run("build-image", "--artifact", jar.toString(), "--from", base.tagReference(),
                "--to", registry.image("apps/nopass", "1"), "--username", "ci");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(run.err()).contains("--password-file");
    }
}
