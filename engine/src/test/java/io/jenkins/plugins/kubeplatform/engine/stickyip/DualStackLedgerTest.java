package io.jenkins.plugins.kubeplatform.engine.stickyip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.store.FileIo;
import io.jenkins.plugins.kubeplatform.engine.store.PageCacheFileSystem;
import io.jenkins.plugins.kubeplatform.engine.store.PowerCuts;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dual-stack pools (issue 13, item 5): one IPv4 and one IPv6 part, every identity holds one address of each family;
 * both reservations are written in one durable update, kept, retired and released together.
 */
class DualStackLedgerTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T03:00:00Z"), ZoneOffset.UTC);
    private static final Path DIR = Path.of("/pagecache/state/ip-ledger");

    @TempDir
    Path tmp;
    private int dirs;

    private static PoolSettings settings(List<String> ranges, List<String> exclude) {
        return PoolSettings.builder("web").ranges(ranges).exclude(exclude).keepNamespaces("keep").reclaimAfter("1h")
                .build();
    }

    private static IpPool dual() {
        return settings(List.of("10.42.200.0/24", "fd00:10:42::/120"), List.of()).toPool();
    }

    private static IpReservationLedger ledger(LedgerStore store) {
        return new IpReservationLedger(store, CLOCK, new Random(7));
    }

    private static List<ReplicaIdentity> identities(int n) {
        List<ReplicaIdentity> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new ReplicaIdentity("ns", "web", i));
        }
        return out;
    }

    private static List<String> ips(List<Reservation> held) {
        return held.stream().map(Reservation::ip).toList();
    }

    @Test
    void parsesAPoolWithAnIpv4AndAnIpv6PartAsDualStackWhenRangesHoldBothFamilies() {
        IpPool pool = dual();

        assertThat(pool.dualStack()).isTrue();
        // a /24 without its network and broadcast address; a /120 without its subnet-router anycast address
        assertThat(pool.families()).extracting(a -> a.size()).containsExactly(254L, 255L);
    }

    @Test
    void refusesTwoIpv6PartsWhenAPoolIsDualStack() {
        assertThatThrownBy(() -> settings(List.of("10.42.200.0/24", "fd00:10:42::/120", "fd00:10:43::/120"),
                List.of()).toPool())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("pools[web].ranges: must hold exactly one IPv6 CIDR, range or address")
                .hasMessageContaining("got 2 IPv6 ones");
    }

    @Test
    void refusesAnExcludedAddressWhenThePoolLacksItsFamily() {
        assertThatThrownBy(() -> settings(List.of("10.42.200.0/24"), List.of("fd00:10:42::5")).toPool())
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("pools[web].exclude: 'fd00:10:42::5' is an IPv6 address but the pool has no IPv6 range; "
                        + "exclude only addresses of the pool's own families");
        assertThatThrownBy(() -> settings(List.of("fd00:10:42::/120"), List.of("10.42.200.5")).toPool())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("pools[web].exclude: '10.42.200.5' is an IPv4 address but the pool has no IPv4");
    }

    @Test
    void refusesADualStackPoolWhenItsIpv6PartOverlapsAnotherPool() {
        List<PoolSettings> two = List.of(settings(List.of("10.42.200.0/24", "fd00:10:42::/120"), List.of()),
                PoolSettings.builder("api").ranges("fd00:10:42::80/121").reclaimAfter("1h").build());

        assertThatThrownBy(() -> PoolSettings.toPools(two)).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("pools[api].ranges: overlap pool 'web'");
    }

    @Test
    void givesEachIdentityTheLowestFreeAddressOfEachFamilyWhenThePoolIsDualStack() {
        IpReservationLedger ledger = ledger(store());

        List<List<Reservation>> held = ledger.reserveAll(dual(), identities(3), Set.of(), Set.of(), "job/1");

        assertThat(held).extracting(DualStackLedgerTest::ips).containsExactly(
                List.of("10.42.200.1", "fd00:10:42::1"), List.of("10.42.200.2", "fd00:10:42::2"),
                List.of("10.42.200.3", "fd00:10:42::3"));
        assertThat(ledger.list()).hasSize(6);
        assertThat(ledger.<List<String>>read(v -> ips(v.held("ns/web-1")))).containsExactly("10.42.200.2", "fd00:10:42::2");
    }

    @Test
    void skipsExcludedAddressesOfEachFamilyWhenAllocating() {
        IpPool pool = settings(List.of("10.42.200.0/24", "fd00:10:42::/120"),
                List.of("10.42.200.1", "fd00:10:42::1", "fd00:10:42::2")).toPool();

        List<List<Reservation>> held = ledger(store()).reserveAll(pool, identities(1), Set.of(),
                Set.of(), "j");

        assertThat(ips(held.get(0))).containsExactly("10.42.200.2", "fd00:10:42::3");
    }

    @Test
    void writesBothFamiliesOfAnIdentityInOneDurableUpdate() {
        List<List<LedgerChange>> updates = new ArrayList<>();
        LedgerStore inner = store();
        LedgerStore counting = new LedgerStore() {
            @Override
            public <R> R read(Function<LedgerView, R> query) {
                return inner.read(query);
            }

            @Override
            public <R> R update(Function<LedgerView, Decision<R>> decide) {
                return inner.update(view -> {
                    Decision<R> d = decide.apply(view);
                    updates.add(d.changes());
                    return d;
                });
            }
        };

        ledger(counting).reserveAll(dual(), identities(1), Set.of(), Set.of(), "j");

        assertThat(updates).hasSize(1);
        assertThat(updates.get(0)).extracting(c -> ((LedgerChange.Put) c).reservation().ip())
                .containsExactly("10.42.200.1", "fd00:10:42::1");
    }

    @Test
    void keepsBothAddressesWhenAnotherInstanceRedeploysTheIdentity() {
        Path dir = freshDir();
        ledger(new JournaledLedgerStore(dir)).reserveAll(dual(), identities(2), Set.of(), Set.of(), "job/1");

        List<List<Reservation>> again = ledger(new JournaledLedgerStore(dir)).reserveAll(dual(), identities(2),
                Set.of(), Set.of(), "job/2");

        assertThat(again).extracting(DualStackLedgerTest::ips).containsExactly(
                List.of("10.42.200.1", "fd00:10:42::1"), List.of("10.42.200.2", "fd00:10:42::2"));
        assertThat(again.get(1)).allSatisfy(r -> assertThat(r.owner()).isEqualTo("job/2"));
    }

    @Test
    void foldsJournalChangesOfBothFamiliesOverTheSnapshotWhenCompactingTwice() throws Exception {
        Path dir = freshDir();
        try (JournaledLedgerStore store = new JournaledLedgerStore(dir)) {
            IpReservationLedger ledger = ledger(store);
            List<List<Reservation>> first = ledger.reserveAll(dual(), identities(3), Set.of(), Set.of(), "job/1");
            store.checkpoint();
            store.awaitCompaction(); // a snapshot holding all six reservations
            ledger.release(first.get(0).get(0));
            ledger.reserveAll(dual(), identities(3).subList(1, 3), Set.of(), Set.of(), "job/2");
            store.checkpoint();
            store.awaitCompaction(); // the journal's changes folded over that snapshot
        }

        JournaledLedgerStore reopened = new JournaledLedgerStore(dir);

        // expected by hand: web-0 released (both families), web-1 and web-2 redeployed by job/2 with their addresses
        assertThat(reopened.<List<String>>read(v -> ips(v.held("ns/web-0")))).isEmpty();
        assertThat(reopened.<List<Reservation>>read(v -> new ArrayList<>(v.all())))
                .extracting(r -> r.identity() + " " + r.ip() + " " + r.owner())
                .containsExactlyInAnyOrder("ns/web-1 10.42.200.2 job/2", "ns/web-1 fd00:10:42::2 job/2",
                        "ns/web-2 10.42.200.3 job/2", "ns/web-2 fd00:10:42::3 job/2");
    }

    @Test
    void releasesBothFamiliesWhenEitherReservationIsReleased() {
        IpReservationLedger ledger = ledger(store());
        List<Reservation> first = ledger.reserveAll(dual(), identities(2), Set.of(), Set.of(), "j").get(0);

        assertThat(ledger.release(first.get(1))).isTrue();

        assertThat(ledger.<List<Reservation>>read(v -> v.held("ns/web-0"))).isEmpty();
        assertThat(ledger.list()).extracting(Reservation::ip).containsExactlyInAnyOrder("10.42.200.2", "fd00:10:42::2");
        List<List<Reservation>> next = ledger.reserveAll(dual(), List.of(new ReplicaIdentity("ns", "api", 0)),
                Set.of(), Set.of(), "j");
        assertThat(ips(next.get(0))).containsExactly("10.42.200.1", "fd00:10:42::1");
    }

    @Test
    void idlesBothFamiliesWhenAnIdentityIsRetiredIntoAKeepNamespace() {
        IpReservationLedger ledger = ledger(store());
        Reservation primary = ledger.reserveAll(dual(), identities(1), Set.of(), Set.of(), "j").get(0).get(0);

        ledger.retire(primary, true);

        assertThat(ledger.<List<Reservation>>read(v -> v.held("ns/web-0"))).hasSize(2).allSatisfy(r -> assertThat(r.isIdle()).isTrue());
    }

    @Test
    void dropsTheIpv6ReservationWhenThePoolNoLongerHasAnIpv6Part() {
        IpReservationLedger ledger = ledger(store());
        ledger.reserveAll(dual(), identities(1), Set.of(), Set.of(), "j");

        List<List<Reservation>> narrowed = ledger.reserveAll(settings(List.of("10.42.200.0/24"), List.of()).toPool(),
                identities(1), Set.of(), Set.of(), "j");

        assertThat(ips(narrowed.get(0))).containsExactly("10.42.200.1");
        assertThat(ledger.list()).extracting(Reservation::ip).containsExactly("10.42.200.1");
    }

    @Test
    void loadsSingleFamilyReservationsUnchangedBesideDualStackOnes() {
        Path dir = freshDir();
        IpPool v4 = settings(List.of("10.42.201.0/24"), List.of()).toPool();
        ledger(new JournaledLedgerStore(dir)).reserve(v4, List.of(new ReplicaIdentity("ns", "old", 0)), Set.of(),
                Set.of(), "j");
        ledger(new JournaledLedgerStore(dir)).reserveAll(dual(), identities(1), Set.of(), Set.of(), "j");

        JournaledLedgerStore reopened = new JournaledLedgerStore(dir);

        assertThat(reopened.<List<String>>read(v -> ips(v.held("ns/old-0")))).containsExactly("10.42.201.1");
        assertThat(reopened.<List<String>>read(v -> ips(v.held("ns/web-0")))).containsExactly("10.42.200.1", "fd00:10:42::1");
        assertThat(reopened.<Optional<String>>read(v -> v.get("ns/web-0").map(Reservation::ip))).contains("10.42.200.1");
    }

    @Test
    void adoptsBothAddressesWhenAForeignDualStackPodHoldsThem() {
        LedgerStore store = store();
        List<PodAdopter.HeldAddress> foreign = List.of(
                new PodAdopter.HeldAddress("other", "db-0", "10.42.200.1", "node-a", null, false),
                new PodAdopter.HeldAddress("other", "db-0", "fd00:10:42::1", "node-a", null, false));

        PodAdopter.Report report = store.update(view -> PodAdopter.decide(view, foreign, List.of(dual()),
                CLOCK.instant()));

        assertThat(report.adopted()).extracting(Reservation::ip).containsExactly("10.42.200.1", "fd00:10:42::1");
        assertThat(store.<List<String>>read(v -> ips(v.held("adopted:other/db-0"))))
                .containsExactly("10.42.200.1", "fd00:10:42::1");
        List<List<Reservation>> next = ledger(store).reserveAll(dual(), identities(1),
                java.util.Set.of(), java.util.Set.of(), "j");
        // the adopted addresses are never handed out: the lowest free ones are .2 and ::2
        assertThat(ips(next.get(0))).containsExactly("10.42.200.2", "fd00:10:42::2");
    }

    // ---- power cuts: never one family without the other ----

    /** "+ordinal" deploys identity keep/web-ordinal, "-ordinal" releases it; 3 records per segment, so it rotates. */
    private static final List<String> OPS = List.of("+0", "+1", "+2", "-1", "+3", "+4", "-0", "+5");

    /** The ledger after the first {@code count} operations, worked out by hand (lowest free of each family). */
    private static final List<Map<String, String>> AFTER = List.of(
            Map.of(),
            Map.of("keep/web-0", "10.42.200.1,fd00:10:42::1"),
            Map.of("keep/web-0", "10.42.200.1,fd00:10:42::1", "keep/web-1", "10.42.200.2,fd00:10:42::2"),
            Map.of("keep/web-0", "10.42.200.1,fd00:10:42::1", "keep/web-1", "10.42.200.2,fd00:10:42::2",
                    "keep/web-2", "10.42.200.3,fd00:10:42::3"),
            Map.of("keep/web-0", "10.42.200.1,fd00:10:42::1", "keep/web-2", "10.42.200.3,fd00:10:42::3"),
            Map.of("keep/web-0", "10.42.200.1,fd00:10:42::1", "keep/web-2", "10.42.200.3,fd00:10:42::3",
                    "keep/web-3", "10.42.200.2,fd00:10:42::2"),
            Map.of("keep/web-0", "10.42.200.1,fd00:10:42::1", "keep/web-2", "10.42.200.3,fd00:10:42::3",
                    "keep/web-3", "10.42.200.2,fd00:10:42::2", "keep/web-4", "10.42.200.4,fd00:10:42::4"),
            Map.of("keep/web-2", "10.42.200.3,fd00:10:42::3", "keep/web-3", "10.42.200.2,fd00:10:42::2",
                    "keep/web-4", "10.42.200.4,fd00:10:42::4"),
            Map.of("keep/web-2", "10.42.200.3,fd00:10:42::3", "keep/web-3", "10.42.200.2,fd00:10:42::2",
                    "keep/web-4", "10.42.200.4,fd00:10:42::4", "keep/web-5", "10.42.200.1,fd00:10:42::1"));

    private static void deploys(FileIo io, List<String> acknowledged) throws Exception {
        try (JournaledLedgerStore store = new JournaledLedgerStore(DIR, 3, io)) {
            IpReservationLedger ledger = ledger(store);
            for (String op : OPS) {
                ReplicaIdentity id = new ReplicaIdentity("keep", "web", Integer.parseInt(op.substring(1)));
                if (op.startsWith("+")) {
                    ledger.reserveAll(dual(), List.of(id), Set.of(), Set.of(), "j");
                } else {
                    ledger.release(ledger.get(id.key()).orElseThrow());
                }
                acknowledged.add(op);
                store.awaitCompaction();
            }
        }
    }

    private static Optional<String> bothFamiliesSurvive(FileIo rebooted, List<String> acknowledged) {
        Map<String, List<String>> byIdentity = new TreeMap<>();
        try (JournaledLedgerStore store = new JournaledLedgerStore(DIR, 3, rebooted)) {
            store.scan(100, page -> page.forEach(r -> byIdentity.computeIfAbsent(r.identity(), k -> new ArrayList<>())
                    .add(r.ip())));
        }
        Map<String, String> found = new TreeMap<>();
        byIdentity.forEach((identity, ips) -> found.put(identity, String.join(",",
                ips.stream().sorted((a, b) -> Boolean.compare(a.contains(":"), b.contains(":"))).toList())));
        int k = acknowledged.size();
        boolean matches = found.equals(new TreeMap<>(AFTER.get(k)))
                || k + 1 < AFTER.size() && found.equals(new TreeMap<>(AFTER.get(k + 1)));
        return matches ? Optional.empty() : Optional.of("found " + found + ", acknowledged " + AFTER.get(k));
    }

    @Test
    void keepsBothOrNeitherFamilyOfAnIdentityWhenPowerIsCutAtAnyWriteBoundary() throws Exception {
        PowerCuts.Report report = PowerCuts.explore(PageCacheFileSystem::new, DualStackLedgerTest::deploys,
                DualStackLedgerTest::bothFamiliesSurvive);

        assertThat(report.maxAcknowledged()).isEqualTo(OPS.size());
        assertThat(report.boundaries()).isGreaterThan(30);
        assertThat(report.problems()).isEmpty();
    }

    private Path freshDir() {
        return tmp.resolve("ledger-" + ++dirs);
    }

    private LedgerStore store() {
        return new JournaledLedgerStore(freshDir());
    }
}
