package io.jenkins.plugins.kubeplatform.engine.edgevm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import org.junit.jupiter.api.Test;

class QuantitiesTest {

    @Test
    void roundsAPartialUnitUp() {
        // 1536Ki = 1.5Mi; 1025Mi = 1.0009765625Gi: a VM never gets less than it asked for.
        assertThat(Quantities.mebibytes("memory", "1536Ki")).isEqualTo(2);
        assertThat(Quantities.mebibytes("memory", "1Gi")).isEqualTo(1024);
        assertThat(Quantities.gibibytes("disk", "1025Mi")).isEqualTo(2);
        assertThat(Quantities.gibibytes("disk", "10Gi")).isEqualTo(10);
    }

    @Test
    void refusesZeroNamingTheField() {
        assertThatThrownBy(() -> Quantities.mebibytes("memory", "0"))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo("memory"))
                .hasMessageContaining("must be positive; got '0'");
        assertThatThrownBy(() -> Quantities.gibibytes("disk", "0Gi"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("must be positive");
    }

    @Test
    void acceptsUpToTheLargestIntAndRefusesOneMore() {
        // 2^31 - 1 = 2147483647 whole units fit; 2^31 does not.
        assertThat(Quantities.mebibytes("memory", "2147483647Mi")).isEqualTo(2147483647L);
        assertThatThrownBy(() -> Quantities.mebibytes("memory", "2147483648Mi"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("is too large");
    }
}
