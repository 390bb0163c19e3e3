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
}
