package io.jenkins.plugins.kubeplatform.engine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PlatformConfigTest {

    /** The shipped example must keep loading; each capability adds assertions for its own section. */
    @Test
    void loadsTheShippedExampleConfiguration() {
        PlatformConfig config = PlatformConfig.load(Path.of("..", "docs", "examples", "kubeplatform.yaml"));

        ClusterSettings sim = config.defaultCluster().orElseThrow();
        assertThat(sim.name()).isEqualTo("sim");
        assertThat(sim.serverUrl()).isEqualTo("http://127.0.0.1:8001");
        assertThat(sim.namespace()).isEqualTo("default");
    }

    @Test
    void failsNamingTheDefaultWhenItIsNotConfigured() {
        PlatformConfig config = PlatformConfig.parse("test", """
                defaultCluster: prod
                clusters:
                  - name: sim
                    serverUrl: http://127.0.0.1:8001
                """);

        assertThatThrownBy(config::defaultCluster).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("defaultCluster").hasMessageContaining("'prod'");
    }

    @Test
    void failsNamingTheSectionWhenItIsMalformed() {
        PlatformConfig config = PlatformConfig.parse("test", "clusters: {name: 3}\n");

        assertThatThrownBy(config::clusters).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("section 'clusters'");
    }

    @Test
    void failsWhenTheFileIsNotYaml() {
        assertThatThrownBy(() -> PlatformConfig.parse("bad.yaml", "a: [1, 2\n"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("bad.yaml is not valid YAML");
    }

    @Test
    void rejectsAMisspeltKeyInsideASectionSuggestingTheKnownOne() {
        PlatformConfig config = PlatformConfig.parse("test.yaml", """
                pools:
                  - name: default
                    ranges: [10.42.0.0/24]
                    reclaimAftr: 1h
                """);

        assertThatThrownBy(() -> io.jenkins.plugins.kubeplatform.engine.stickyip.StickyIpConfig.pools(config))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("unknown key 'reclaimAftr' at pools[0].reclaimAftr")
                .hasMessageContaining("did you mean 'reclaimAfter'?");
    }

    @Test
    void rejectsAnUnknownTopLevelKeySuggestingTheKnownOne() {
        assertThatThrownBy(() -> PlatformConfig.parse("test.yaml", "pool:\n  - name: default\n"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("unknown key 'pool'").hasMessageContaining("did you mean 'pools'?");
    }

    @Test
    void refusesAYamlAliasBombWhenItExceedsTheAliasCap() {
        StringBuilder yaml = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i <= 6; i++) {
            String prev = "*a" + (i - 1);
            yaml.append("a").append(i).append(": &a").append(i).append(" [").append(String.join(", ",
                    java.util.Collections.nCopies(10, prev))).append("]\n");
        }

        assertThatThrownBy(() -> PlatformConfig.parse("bomb.yaml", yaml.toString()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("bomb.yaml")
                .hasMessageContaining("aliases");
    }

    @Test
    void saysTheConfigIsADirectoryWhenItIsOne(@org.junit.jupiter.api.io.TempDir Path dir) {
        assertThatThrownBy(() -> PlatformConfig.load(dir)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("names a directory");
    }

    @Test
    void saysTheFileDoesNotExistWhenItIsMissing(@org.junit.jupiter.api.io.TempDir Path dir) {
        Path missing = dir.resolve("absent.yaml");

        assertThatThrownBy(() -> PlatformConfig.load(missing)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("absent.yaml does not exist");
    }

    @Test
    void refusesTheFileNamingTheCapWhenItIsLargerThanOneMebibyte(@org.junit.jupiter.api.io.TempDir Path dir)
            throws java.io.IOException {
        Path big = dir.resolve("big.yaml");
        // 1 MiB = 1,048,576 bytes; one byte more than that
        java.nio.file.Files.writeString(big, "#" + "x".repeat(1_048_576) + "\n");

        assertThatThrownBy(() -> PlatformConfig.load(big)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("1048578 bytes").hasMessageContaining("at most 1048576");
    }

    @Test
    void loadsTheFileWhenItIsJustUnderTheCap(@org.junit.jupiter.api.io.TempDir Path dir) throws java.io.IOException {
        Path file = dir.resolve("ok.yaml");
        String head = "kubePlatform: {clusters: [{name: a, serverUrl: \"https://a:6443\"}]}\n#";
        java.nio.file.Files.writeString(file, head + "x".repeat(1_048_576 - head.length() - 1) + "\n");
        assertThat(java.nio.file.Files.size(file)).isEqualTo(1_048_576);

        assertThat(PlatformConfig.load(file).clusters()).extracting(ClusterSettings::name).containsExactly("a");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"", "# only a comment\n", "~\n", "--- null\n"})
    void readsAnEmptyConfigurationWhenTheDocumentHasNoContent(String yaml) {
        PlatformConfig config = PlatformConfig.parse("empty.yaml", yaml);

        assertThat(config.source()).isEqualTo("empty.yaml");
        assertThat(config.clusters()).isEmpty();
        assertThat(config.defaultCluster()).isEmpty();
        assertThat(config.raw("pools").isMissingNode()).isTrue();
    }

    @Test
    void hasNoClustersAndNamesNoFileWhenNoConfigurationIsGiven() {
        PlatformConfig config = PlatformConfig.empty();

        assertThat(config.source()).isEqualTo("(no configuration)");
        assertThat(config.clusters()).isEmpty();
        assertThat(config.raw("domains").isMissingNode()).isTrue();
    }

    @Test
    void failsWhenTheTopLevelIsNotAMapping() {
        assertThatThrownBy(() -> PlatformConfig.parse("list.yaml", "- a\n- b\n"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("--config: list.yaml must be a YAML mapping at the top level");
    }

    @Test
    void keepsTheOriginalMessageWhenTheShapeCheckRefusesAKey() {
        assertThatThrownBy(() -> io.jenkins.plugins.kubeplatform.engine.sections.ConfigSections.check(
                PlatformConfig.parse("f.yaml", "stickyIp: {pool: []}\n")))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo("stickyIp.pool"))
                .hasMessageNotContaining("is refused");
    }

    @Test
    void choosesTheFirstClusterWhenNoDefaultIsNamed() {
        PlatformConfig config = PlatformConfig.parse("test", """
                kubePlatform:
                  clusters:
                    - {name: first, serverUrl: "https://a:6443"}
                    - {name: second, serverUrl: "https://b:6443"}
                """);

        assertThat(config.defaultCluster()).map(ClusterSettings::name).contains("first");
    }

    @Test
    void returnsNoSectionWhenItIsAbsentOrNull() {
        PlatformConfig config = PlatformConfig.parse("test", "domains: ~\n");

        assertThat(config.raw("edge").isMissingNode()).isTrue();
        assertThat(config.section("edge", io.jenkins.plugins.kubeplatform.engine.expose.ExposeSettings.class)).isEmpty();
        assertThat(config.raw("domains").isNull()).isTrue();
    }

    @Test
    void givesTheBindingErrorWithoutTheParserLocationWhenASectionHasAWrongType() {
        PlatformConfig config = PlatformConfig.parse("test", "clusters: [{name: a, skipTlsVerify: [1, 2]}]\n");

        assertThatThrownBy(config::clusters).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("does not match the expected structure")
                .hasMessageNotContaining("through reference chain");
    }

    @Test
    void listsTheSchemaKeysOfTheSectionsWhenAsked() {
        assertThat(io.jenkins.plugins.kubeplatform.engine.sections.ConfigSections.keys().get("stickyIp"))
                .contains("pools", "ledgerStore");
        assertThat(io.jenkins.plugins.kubeplatform.engine.sections.ConfigSections.keys().get("edgeVms.sites[]")).contains("cpu", "memory", "vms");
    }
}
