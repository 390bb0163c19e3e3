package io.jenkins.plugins.kubeplatform.engine.stickyip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.stickyip.address.Ipv4;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IpReservationLedgerTest {

    @TempDir
    Path dir;

    private final Clock clock = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);
    private final IpPool pool = Pools.pool("default", "10.42.200.0/29");

    private IpReservationLedger ledger() {
        return new IpReservationLedger(new JournaledLedgerStore(dir), clock, new Random(1));
    }

    private static List<ReplicaIdentity> identities(String ns, String name, int n) {
        return IntStream.range(0, n).mapToObj(i -> new ReplicaIdentity(ns, name, i)).toList();
    }

    @Test
    void allocatesDistinctLowestFreeAddressesSkippingAddressesUsedByPods() {
        List<Reservation> got = ledger().reserve(pool, identities("ns", "app", 3),
                Set.of(Ipv4.parse("10.42.200.2").orElseThrow()), Set.of(), "job#1");

        assertThat(got).extracting(Reservation::ip).containsExactly("10.42.200.1", "10.42.200.3", "10.42.200.4");
        assertThat(got).allMatch(r -> r.state() == Reservation.State.ACTIVE && r.owner().equals("job#1"));
    }

    @Test
    void reusesTheReservedAddressOnTheNextDeploy() {
        IpReservationLedger ledger = ledger();
        List<Reservation> first = ledger.reserve(pool, identities("ns", "app", 2), Set.of(), Set.of(), "job#1");

        List<Reservation> second = ledger.reserve(pool, identities("ns", "app", 2), Set.of(), Set.of(), "job#1");

        assertThat(second).isEqualTo(first);
    }

    @Test
    void givesANewAddressOnlyToIdentitiesThatMustReallocate() {
        IpReservationLedger ledger = ledger();
        ledger.reserve(pool, identities("ns", "app", 2), Set.of(), Set.of(), "job#1");

        List<Reservation> again = ledger.reserve(pool, identities("ns", "app", 2), Set.of(), Set.of("ns/app-1"), "job#2");

        assertThat(again).extracting(Reservation::ip).containsExactly("10.42.200.1", "10.42.200.3");
        assertThat(ledger.<java.util.Optional<Reservation>>read(v -> v.holderOf("10.42.200.2"))).isEmpty();
    }

    @Test
    void failsWithoutReservingAnythingWhenThePoolCannotServeEveryIdentity() {
        IpReservationLedger ledger = ledger();
        ledger.reserve(pool, identities("ns", "a", 4), Set.of(), Set.of(), "job#1");

        assertThatThrownBy(() -> ledger.reserve(pool, identities("ns", "b", 3), Set.of(), Set.of(), "job#2"))
                .isInstanceOf(PoolExhaustedException.class)
                .hasMessageContaining("Pool 'default'")
                .hasMessageContaining("no free address for ns/b-2")
                .hasMessageContaining("Nothing was reserved or applied");
        assertThat(ledger.list()).hasSize(4);
    }

    @Test
    void refusesAnIdentityThatHoldsAnAddressOfAnotherPool() {
        IpReservationLedger ledger = ledger();
        ledger.reserve(pool, identities("ns", "app", 1), Set.of(), Set.of(), "job#1");

        assertThatThrownBy(() -> ledger.reserve(Pools.pool("other", "10.42.201.0/29"), identities("ns", "app", 1),
                Set.of(), Set.of(), "job#2"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("from pool 'default'");
    }

    @Test
    void keepsAScaledDownIdentityIdleInAKeepNamespaceAndReleasesItElsewhere() {
        IpReservationLedger ledger = ledger();
        Reservation kept = ledger.reserve(pool, identities("keep", "app", 1), Set.of(), Set.of(), "j").get(0);
        Reservation dropped = ledger.reserve(pool, identities("ns", "app", 1), Set.of(), Set.of(), "j").get(0);

        assertThat(ledger.retire(kept, true)).hasValueSatisfying(r -> {
            assertThat(r.state()).isEqualTo(Reservation.State.IDLE);
            assertThat(r.idleSince()).isEqualTo(clock.instant());
        });
        assertThat(ledger.retire(dropped, false)).isEmpty();
        assertThat(ledger.list()).extracting(Reservation::identity).containsExactly("keep/app-0");
    }

    @Test
    void releasesOnlyForTheCurrentHolder() {
        IpReservationLedger ledger = ledger();
        Reservation read = ledger.reserve(pool, identities("ns", "app", 1), Set.of(), Set.of(), "j").get(0);
        ledger.retire(read, true);

        assertThat(ledger.release(read)).as("stale revision").isFalse();
        Reservation current = ledger.get("ns/app-0").orElseThrow();
        assertThat(ledger.release(current)).isTrue();
        assertThat(ledger.release(current)).as("already released").isFalse();
    }

    @Test
    void recordsOnlyNodesThatChanged() {
        IpReservationLedger ledger = ledger();
        ledger.reserve(pool, identities("ns", "app", 2), Set.of(), Set.of(), "j");
        ledger.recordNodes(Map.of("ns/app-0", "n1", "ns/app-1", "n2"));
        long revision = ledger.get("ns/app-0").orElseThrow().revision();

        ledger.recordNodes(Map.of("ns/app-0", "n1"));

        assertThat(ledger.get("ns/app-0").orElseThrow().revision()).isEqualTo(revision);
        assertThat(ledger.get("ns/app-1").orElseThrow().node()).isEqualTo("n2");
    }
}
