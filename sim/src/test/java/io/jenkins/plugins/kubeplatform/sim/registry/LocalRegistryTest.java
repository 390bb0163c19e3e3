package io.jenkins.plugins.kubeplatform.sim.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LocalRegistryTest {

    @BeforeAll
    static void registryProgram() {
        assumeTrue(RegistryBinary.installedOrRequired(), "docker-registry is not installed (and CI is not set)");
    }

    @Test
    void servesABaseImagePushedWithThePlainApi() {
        try (LocalRegistry registry = LocalRegistry.start(RegistryOptions.open())) {
            TinyBaseImage.Pushed base = TinyBaseImage.push(registry, "base/tiny", "1");

            RegistryApi.Manifest manifest = registry.api().manifest("base/tiny", "1").orElseThrow();
            assertThat(manifest.digest()).isEqualTo(base.manifestDigest());
            assertThat(manifest.layerDigests()).containsExactly(base.layerDigest());
            assertThat(TinyBaseImage.layerEntries(registry.api().blob("base/tiny", base.layerDigest())))
                    .contains(TinyBaseImage.MARKER_FILE);
            assertThat(registry.api().config("base/tiny", manifest).path("os").asText()).isEqualTo("linux");
            assertThat(registry.api().tags("base/tiny")).containsExactly("1");
        }
    }

    @Test
    void acceptsOnlyTheConfiguredUserOverTls() {
        try (LocalRegistry registry = LocalRegistry.start(RegistryOptions.withUser("ci", "s3cret"))) {
            assertThat(registry.host()).startsWith("127.0.0.1:");
            assertThat(registry.api().ping()).isEqualTo(200);
            assertThat(registry.api("ci", "wrong").ping()).isEqualTo(401);
        }
    }
}
