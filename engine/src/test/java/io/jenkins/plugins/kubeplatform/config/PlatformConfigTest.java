package io.jenkins.plugins.kubeplatform.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kubeplatform.core.InvalidInputException;
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

        assertThatThrownBy(() -> io.jenkins.plugins.kubeplatform.stickyip.StickyIpConfig.pools(config))
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
}
