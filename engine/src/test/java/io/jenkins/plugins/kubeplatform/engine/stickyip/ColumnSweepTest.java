package io.jenkins.plugins.kubeplatform.engine.stickyip;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kubeplatform.engine.stickyip.ClusterView.NodeState;
import io.jenkins.plugins.kubeplatform.engine.stickyip.LedgerStore.Decision;
import io.jenkins.plugins.kubeplatform.engine.stickyip.ReservationCollector.Guard;
import io.jenkins.plugins.kubeplatform.engine.stickyip.ReservationCollector.Held;
import io.jenkins.plugins.kubeplatform.engine.stickyip.address.Ipv4;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The GC sweep of a {@link JournaledLedgerStore} decided on the table's columns, in bounded lock holds. */
class ColumnSweepTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final IpPool POOL = Pools.pool("swept", "10.50.0.0/16"); // reclaimAfter 1h
    private static final long BASE = Ipv4.parse("10.50.0.1").orElseThrow();

    @TempDir
    Path dir;

    private static Reservation reservation(int i, String pool, Reservation.State state, Duration idleFor, String node) {
        return new Reservation("ns/app" + i + "-0", pool, Ipv4.format(BASE + i), Reservation.Kind.MANAGED, state, node,
                state == Reservation.State.IDLE ? NOW.minus(idleFor) : null, "job#" + (i % 7),
                NOW.minus(Duration.ofDays(3)), 1 + i % 3);
    }

    private static void fill(LedgerStore store, List<Reservation> all) {
        List<LedgerChange> changes = new ArrayList<>();
        all.forEach(r -> changes.add(new LedgerChange.Put(r)));
        store.update(v -> new Decision<>(changes, null));
    }

    @Test
    void releasesInSlicesThatNeverVisitOrReleaseMoreThanTheirBoundsWhenMostAreExpired() throws Exception {
        int count = 8_000;
        List<Reservation> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            // three in four expired (idle 2 h), every fourth active
            all.add(reservation(i, "swept", i % 4 == 3 ? Reservation.State.ACTIVE : Reservation.State.IDLE,
                    Duration.ofHours(2), null));
        }
        List<int[]> slices = new ArrayList<>();
        ReservationCollector.Report report;
        try (JournaledLedgerStore store = new JournaledLedgerStore(dir)) {
            fill(store, all);
            report = ReservationCollector.sweep(store, Map.of("swept", POOL), NOW,
                    new Guard(Set.of(), Set.of(), Set.of(), Map.of()), 1024, 128,
                    (visited, released) -> slices.add(new int[] {visited, released}));
        }

        assertThat(report.released()).hasSize(6_000);
        assertThat(slices).allSatisfy(s -> {
            assertThat(s[0]).isBetween(0, 1024);
            assertThat(s[1]).isBetween(0, 128);
        });
        assertThat(slices.stream().mapToInt(s -> s[0]).sum()).isEqualTo(count);
        assertThat(slices.stream().mapToInt(s -> s[1]).sum()).isEqualTo(6_000);
        // 128 releases fill a slice after ~171 visits: the release bound, not the scan bound, cuts these slices
        assertThat(slices).hasSizeGreaterThanOrEqualTo(6_000 / 128);
        try (JournaledLedgerStore reopened = new JournaledLedgerStore(dir)) {
            assertThat(reopened.read(LedgerView::size)).isEqualTo(2_000);
            List<Reservation> left = reopened.read(v -> new ArrayList<>(v.all()));
            assertThat(left).allMatch(r -> r.state() == Reservation.State.ACTIVE);
        }
    }

    @Test
    void scanBoundCutsTheSlicesWhenFewAreExpired() throws Exception {
        int count = 10_000;
        List<Reservation> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            all.add(reservation(i, "swept", Reservation.State.IDLE,
                    i % 100 == 0 ? Duration.ofHours(2) : Duration.ofMinutes(10), null));
        }
        List<int[]> slices = new ArrayList<>();
        ReservationCollector.Report report;
        try (JournaledLedgerStore store = new JournaledLedgerStore(dir)) {
            fill(store, all);
            report = ReservationCollector.sweep(store, Map.of("swept", POOL), NOW,
                    new Guard(Set.of(), Set.of(), Set.of(), Map.of()), 1000, 512,
                    (visited, released) -> slices.add(new int[] {visited, released}));
        }

        assertThat(report.released()).extracting(Reservation::identity)
                .containsExactlyInAnyOrderElementsOf(all.stream().filter(r -> NOW.minus(Duration.ofHours(1))
                        .isAfter(r.idleSince())).map(Reservation::identity).toList());
        assertThat(report.released()).hasSize(100);
        assertThat(slices).hasSize(10).allSatisfy(s -> assertThat(s).containsExactly(1000, 10));
    }

    @Test
    void decidesLikeTheSweepOfOtherStoresWhenGuardsHoldSomeAndPoolsAreMissing() throws Exception {
        Random random = new Random(7);
        List<Reservation> all = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            Reservation.State state = random.nextInt(5) == 0 ? Reservation.State.ACTIVE : Reservation.State.IDLE;
            String pool = random.nextInt(10) == 0 ? "gone" : "swept";
            Duration idle = Duration.ofMinutes(random.nextBoolean() ? 59 : 61);
            all.add(reservation(i, pool, state, idle, "n" + random.nextInt(4)));
        }
        Set<String> inUse = new HashSet<>();
        Set<String> terminating = new HashSet<>();
        Set<String> terminatingAddresses = new HashSet<>();
        for (int i = 0; i < 3000; i += 13) {
            inUse.add(Ipv4.format(BASE + i));
            terminating.add("ns/app" + (i + 1) + "-0");
            terminatingAddresses.add(Ipv4.format(BASE + i + 2));
        }
        Map<String, NodeState> nodes = Map.of("n0", new NodeState("n0", true, true, "n0"),
                "n1", new NodeState("n1", false, true, "n1"), "n2", new NodeState("n2", true, false, "n2"));
        Guard guard = new Guard(inUse, terminating, terminatingAddresses, nodes);

        ReservationCollector.Report columns;
        ReservationCollector.Report pages;
        try (JournaledLedgerStore store = new JournaledLedgerStore(dir)) {
            fill(store, all);
            IpReservationLedger scratch = new IpReservationLedger(ScratchLedgerStore.copyOf(store),
                    Clock.fixed(NOW, ZoneOffset.UTC), new Random(1));
            pages = ReservationCollector.sweep(scratch, Map.of("swept", POOL), NOW, guard, 500, () -> { });
            columns = ReservationCollector.sweep(new IpReservationLedger(store, Clock.fixed(NOW, ZoneOffset.UTC),
                    new Random(1)), Map.of("swept", POOL), NOW, guard, 500, () -> { });
        }

        // independent of both sweeps: the rule applied to what was written
        Set<String> expired = all.stream().filter(r -> r.pool().equals("swept") && r.isIdle()
                && !r.idleSince().plus(Duration.ofHours(1)).isAfter(NOW)).map(Reservation::identity)
                .collect(Collectors.toSet());
        Set<String> releasedByColumns = columns.released().stream().map(Reservation::identity)
                .collect(Collectors.toSet());
        Map<String, String> heldByColumns = columns.held().stream()
                .collect(Collectors.toMap(h -> h.reservation().identity(), Held::reason));
        assertThat(columns.released()).hasSize(releasedByColumns.size());
        assertThat(releasedByColumns).doesNotContainAnyElementsOf(heldByColumns.keySet());
        Set<String> decided = new HashSet<>(releasedByColumns);
        decided.addAll(heldByColumns.keySet());
        assertThat(decided).isEqualTo(expired);
        assertThat(heldByColumns).isNotEmpty().containsValues("its pod is still Terminating",
                "its last node n1 is NotReady; the pod may still run there", "a running pod uses the address");
        // the same decisions, and the same released values, as the page-by-page sweep of any other store
        assertThat(columns.released()).containsExactlyInAnyOrderElementsOf(pages.released());
        Map<String, String> heldByPages = new HashMap<>();
        pages.held().forEach(h -> heldByPages.put(h.reservation().identity(), h.reason()));
        assertThat(heldByColumns).isEqualTo(heldByPages);
        assertThat(columns.held()).extracting(Held::reservation)
                .containsExactlyInAnyOrderElementsOf(pages.held().stream().map(Held::reservation).toList());
    }
}
