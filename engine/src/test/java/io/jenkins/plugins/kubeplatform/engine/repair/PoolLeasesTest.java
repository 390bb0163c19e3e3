package io.jenkins.plugins.kubeplatform.engine.repair;

import static io.jenkins.plugins.kubeplatform.engine.repair.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** REP-1: at most {@code capacity} nodes of a pool in repair, one Lease per slot. */
class PoolLeasesTest {

    private static final Duration TTL = Duration.ofMinutes(5);

    private static PoolLeases.Slot slot(int index, String holder, String node, Instant renewed) {
        return new PoolLeases.Slot(PoolLeases.slotName("gpu", index), holder, node, renewed, TTL, "rv" + index);
    }

    @Test
    void offersAMissingLowerSlotBeforeLookingAtHigherOnes() {
        PoolLeases leases = new PoolLeases("gpu", 2, List.of(slot(1, "job/a#1", "n1", T0)));

        assertThat(leases.free(T0)).contains(new PoolLeases.FreeSlot("kubeplatform-repair-gpu-0", Optional.empty()));
    }

    @Test
    void hasNoFreeSlotWhileEverySlotIsLive() {
        PoolLeases leases = new PoolLeases("gpu", 2, List.of(slot(1, "job/a#1", "n1", T0),
                slot(0, "job/b#1", "n2", T0)));

        assertThat(leases.free(T0.plus(TTL).minusMillis(1))).isEmpty();
        assertThat(leases.free(T0.plus(TTL))).contains(new PoolLeases.FreeSlot("kubeplatform-repair-gpu-0",
                Optional.of("rv0")));
    }

    @Test
    void describesOnlyLiveHolders() {
        PoolLeases leases = new PoolLeases("gpu", 2, List.of(slot(0, "job/a#1", "n1", T0),
                slot(1, "job/b#1", "n2", T0.minus(TTL))));

        assertThat(leases.describeHolders(T0)).containsExactly("n1 (job/a#1, until " + T0.plus(TTL) + ")");
    }

    @Test
    void aSlotNeverRenewedHasExpiredAtTheEpoch() {
        PoolLeases.Slot never = new PoolLeases.Slot("kubeplatform-repair-gpu-0", "job/a#1", "n1", null, TTL, "1");

        assertThat(never.expiresAt()).isEqualTo(Instant.EPOCH);
        assertThat(never.expired(T0)).isTrue();
    }
}
