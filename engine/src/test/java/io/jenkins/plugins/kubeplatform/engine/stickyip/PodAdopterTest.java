package io.jenkins.plugins.kubeplatform.engine.stickyip;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kubeplatform.engine.stickyip.PodAdopter.HeldAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PodAdopterTest {

    @TempDir
    Path dir;

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private final IpPool pool = Pools.pool("default", "10.42.200.0/24");

    private PodAdopter.Report sync(LedgerStore store, List<HeldAddress> pods) {
        return store.update(view -> PodAdopter.decide(view, pods, List.of(pool), NOW));
    }

    @Test
    void adoptsUnknownPodsInPoolRangesSoTheirAddressesAreNeverAllocated() {
        LedgerStore store = new JournaledLedgerStore(dir);
        var report = sync(store, List.of(
                new HeldAddress("other", "db-0", "10.42.200.1", "n1", null, false),
                new HeldAddress("other", "outside", "10.42.7.7", "n1", null, false)));

        assertThat(report.adopted()).extracting(Reservation::identity).containsExactly("adopted:other/db-0");
        IpReservationLedger ledger = new IpReservationLedger(store, Clock.fixed(NOW, ZoneOffset.UTC), new Random(1));
        Reservation got = ledger.reserve(pool, List.of(new ReplicaIdentity("shop", "web", 0)), Set.of(), Set.of(), "j").get(0);
        assertThat(got.ip()).isEqualTo("10.42.200.2");
    }

    @Test
    void recordsTheNewNodeOfAKnownIdentityAndIdlesAdoptedEntriesWhosePodIsGone() {
        LedgerStore store = new JournaledLedgerStore(dir);
        IpReservationLedger ledger = new IpReservationLedger(store, Clock.fixed(NOW, ZoneOffset.UTC), new Random(1));
        ledger.reserve(pool, List.of(new ReplicaIdentity("shop", "web", 0)), Set.of(), Set.of(), "j");
        sync(store, List.of(new HeldAddress("other", "db-0", "10.42.200.9", "n1", null, false)));

        var report = sync(store, List.of(new HeldAddress("shop", "web-0-abc", "10.42.200.1", "n3", "web-0", true)));

        assertThat(report.moved()).extracting(Reservation::node).containsExactly("n3");
        assertThat(report.idled()).extracting(Reservation::identity).containsExactly("adopted:other/db-0");
        assertThat(ledger.get("adopted:other/db-0").orElseThrow().idleSince()).isEqualTo(NOW);
        assertThat(sync(store, List.of(new HeldAddress("shop", "web-0-abc", "10.42.200.1", "n3", "web-0", true)))
                .moved()).isEmpty();
    }

    @Test
    void reportsAForeignPodUsingAnAddressReservedForAnIdentity() {
        LedgerStore store = new JournaledLedgerStore(dir);
        IpReservationLedger ledger = new IpReservationLedger(store, Clock.fixed(NOW, ZoneOffset.UTC), new Random(1));
        ledger.reserve(pool, List.of(new ReplicaIdentity("shop", "web", 0)), Set.of(), Set.of(), "j");

        var report = sync(store, List.of(new HeldAddress("other", "intruder", "10.42.200.1", "n1", null, false)));

        assertThat(report.conflicts()).singleElement().asString().contains("other/intruder uses 10.42.200.1")
                .contains("shop/web-0");
        assertThat(report.adopted()).isEmpty();
    }
}
