package io.jenkins.plugins.kubeplatform.engine.stickyip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import org.junit.jupiter.api.Test;

class RolloutPolicyTest {

    @Test
    void roundsAPercentageDownLikeADeploymentWhenComputingTheBudget() {
        assertThat(RolloutPolicy.defaults().budget(8)).isEqualTo(2);
        assertThat(RolloutPolicy.defaults().budget(1000)).isEqualTo(250);
        assertThat(RolloutPolicy.defaults().budget(7)).isEqualTo(1);
        assertThat(RolloutPolicy.maxUnavailable("100%").budget(10)).isEqualTo(10);
    }

    @Test
    void keepsAtLeastOneUnavailableWhenTheBudgetRoundsToZero() {
        assertThat(RolloutPolicy.defaults().budget(3)).isEqualTo(1);
        assertThat(RolloutPolicy.maxUnavailable("0").budget(10)).isEqualTo(1);
    }

    @Test
    void takesAnAbsoluteNumberAsIsWhenGivenWithoutPercent() {
        assertThat(RolloutPolicy.maxUnavailable("3").budget(100)).isEqualTo(3);
        assertThat(RolloutPolicy.maxUnavailable(null).maxUnavailable()).isEqualTo("25%");
    }

    @Test
    void refusesAMalformedOrTooLargeValueNamingTheField() {
        assertThatThrownBy(() -> RolloutPolicy.maxUnavailable("a quarter"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("maxUnavailable")
                .hasMessageContaining("a quarter");
        assertThatThrownBy(() -> RolloutPolicy.maxUnavailable("120%"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("at most 100%");
        assertThatThrownBy(() -> new RolloutPolicy("25%", 0))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("writeConcurrency");
    }

    @Test
    void acceptsOneHundredPercentAndRefusesOneHundredAndOne() {
        assertThat(RolloutPolicy.maxUnavailable("100%").budget(4)).isEqualTo(4);
        assertThatThrownBy(() -> RolloutPolicy.maxUnavailable("101%"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("at most 100%; got 101%");
        assertThat(RolloutPolicy.maxUnavailable("101").budget(4)).isEqualTo(101);
    }

    @Test
    void acceptsAWriteConcurrencyFromOneTo256() {
        assertThat(new RolloutPolicy("25%", 1).writeConcurrency()).isEqualTo(1);
        assertThat(new RolloutPolicy("25%", 256).writeConcurrency()).isEqualTo(256);
        assertThatThrownBy(() -> new RolloutPolicy("25%", 257))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("between 1 and 256; got 257");
    }

    @Test
    void trimsTheValueAndTakesBlankAsTheDefault() {
        assertThat(RolloutPolicy.maxUnavailable(" 2 ").maxUnavailable()).isEqualTo("2");
        assertThat(RolloutPolicy.maxUnavailable("  ").maxUnavailable()).isEqualTo("25%");
        assertThat(RolloutPolicy.maxUnavailable("50%").budget(5)).isEqualTo(2);
    }

    @Test
    void switchesPrePullAndInPlaceOneAtATime() {
        RolloutPolicy p = new RolloutPolicy("2", 4);

        assertThat(p.withPrePull(false)).isEqualTo(new RolloutPolicy("2", 4, false, true));
        assertThat(p.withInPlace(false)).isEqualTo(new RolloutPolicy("2", 4, true, false));
    }
}
