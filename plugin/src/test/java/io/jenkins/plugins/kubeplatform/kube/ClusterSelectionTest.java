package io.jenkins.plugins.kubeplatform.kube;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ClusterSelectionTest {

    private static final List<String> CLUSTERS = List.of("dev", "prod", "edge");

    private static java.util.Optional<String> select(String defaultName, String wanted) {
        return ClusterSelection.select(CLUSTERS, Function.identity(), defaultName, wanted);
    }

    @Test
    void picksTheNamedClusterWhenGiven() {
        assertThat(select("dev", "edge")).contains("edge");
    }

    @Test
    void picksTheDefaultWhenNoneIsNamed() {
        assertThat(select("prod", " ")).contains("prod");
    }

    @Test
    void picksTheFirstWhenThereIsNoDefault() {
        assertThat(select("", null)).contains("dev");
    }

    @Test
    void findsNothingWhenTheNameIsUnknown() {
        assertThat(select("dev", "staging")).isEmpty();
    }
}
