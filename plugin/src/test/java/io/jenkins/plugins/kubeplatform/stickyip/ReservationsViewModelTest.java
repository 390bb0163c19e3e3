package io.jenkins.plugins.kubeplatform.stickyip;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kubeplatform.engine.stickyip.IpPool;
import io.jenkins.plugins.kubeplatform.engine.stickyip.IpReservationLedger;
import io.jenkins.plugins.kubeplatform.engine.stickyip.JournaledLedgerStore;
import io.jenkins.plugins.kubeplatform.engine.stickyip.ReplicaIdentity;
import io.jenkins.plugins.kubeplatform.engine.stickyip.Reservation;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReservationsViewModelTest {

    @TempDir
    Path dir;

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private IpReservationLedger ledger;
    private Map<String, IpPool> pools;

    @BeforeEach
    void fill() {
        PoolConfig config = new PoolConfig("default", "10.42.200.0/29");
        config.setKeepNamespaces("keep");
        config.setReclaimAfter("2h");
        pools = StickyIpConfigurationPools.of(config);
        Clock earlier = Clock.fixed(NOW.minus(Duration.ofMinutes(30)), ZoneOffset.UTC);
        ledger = new IpReservationLedger(new JournaledLedgerStore(dir), earlier, new Random(1));
        IpPool pool = pools.get("default");
        List<Reservation> keep = ledger.reserve(pool, List.of(new ReplicaIdentity("keep", "web", 0),
                new ReplicaIdentity("keep", "web", 1)), Set.of(), Set.of(), "shop/deploy#7");
        ledger.reserve(pool, List.of(new ReplicaIdentity("shop", "api", 0)), Set.of(), Set.of(), "shop/deploy#8");
        ledger.retire(keep.get(1), true);
    }

    @Test
    void summarizesPoolsAndShowsIdleAgeAndReclaimTime() {
        ReservationsViewModel vm = ReservationsViewModel.of(ledger, pools, null, null, null, NOW);

        assertThat(vm.pools()).singleElement().extracting(ReservationsViewModel.PoolLine::summary)
                .isEqualTo("3 reserved (1 idle), 3 free of 6");
        assertThat(vm.rows()).extracting(ReservationsViewModel.Row::identity)
                .containsExactly("keep/web-0", "keep/web-1", "shop/api-0");
        assertThat(vm.rows().get(1).state()).isEqualTo("idle");
        assertThat(vm.rows().get(1).idle()).isEqualTo("idle 30m; reclaimable in 1h 30m");
        assertThat(vm.rows().get(0).idle()).isEmpty();
        assertThat(vm.total()).isEqualTo(3);
    }

    @Test
    void showsWhyAndWhenARequiredPinWasReleasedOnItsRow() {
        ledger.recordPinRelease("shop/api-0", new Reservation.PinRelease(NOW.minus(Duration.ofMinutes(185)), "n3",
                "node n3 cordoned by repairNode (ops#7)"));

        ReservationsViewModel vm = ReservationsViewModel.of(ledger, pools, null, null, null, NOW);

        assertThat(vm.rows().get(2).pinReleased()).isEqualTo("3h 5m ago from n3: node n3 cordoned by repairNode (ops#7)");
        assertThat(vm.rows().get(2).pinReleasedAt()).isEqualTo("2026-03-01T08:55:00Z");
        assertThat(vm.rows().get(0).pinReleased()).isEmpty();
        assertThat(vm.rows().get(0).pinReleasedAt()).isEmpty();
    }

    @Test
    void filtersByNamespaceAndByText() {
        assertThat(ReservationsViewModel.of(ledger, pools, "", "shop", "", NOW).rows())
                .extracting(ReservationsViewModel.Row::identity).containsExactly("shop/api-0");
        ReservationsViewModel byOwner = ReservationsViewModel.of(ledger, pools, null, null, "DEPLOY#7", NOW);
        assertThat(byOwner.rows()).hasSize(2);
        assertThat(byOwner.shown()).isEqualTo(2);
        assertThat(byOwner.total()).isEqualTo(3);
        assertThat(ReservationsViewModel.of(ledger, pools, "other", null, null, NOW).rows()).isEmpty();
    }

    @Test
    void saysWhenAnIdleReservationIsReclaimable() {
        ReservationsViewModel later = ReservationsViewModel.of(ledger, pools, null, null, null, NOW.plus(Duration.ofHours(3)));

        assertThat(later.rows().get(1).idle()).isEqualTo("idle 3h 30m; reclaimable now");
    }
}
