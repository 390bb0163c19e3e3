package io.jenkins.plugins.kubeplatform.engine.stickyip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kubeplatform.engine.store.WriterJvm;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What every {@link LedgerStore} must do, whatever keeps the ledger: the file store under the state directory and the
 * cluster store in a namespace run the same cases. "Another instance" stands for a second controller or a CLI on
 * the same ledger.
 */
abstract class LedgerStoreContract {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-06T10:00:00Z"), ZoneOffset.UTC);
    final IpPool lowest = Pools.pool("default", "10.42.200.0/24");
    final IpPool random = Pools.pool(PoolSettings.builder("scattered").ranges("10.42.201.0/24").allocation("random")
            .keepNamespaces("keep").reclaimAfter("1h").build());

    /** A new store instance on this test's (shared) ledger. */
    abstract LedgerStore instance();

    /** A separate JVM allocating {@code count} identities {@code ns/prefix-i} from 10.40.0.0/14 (see subclasses). */
    abstract Process writerProcess(String prefix, int count) throws Exception;

    IpReservationLedger ledger(long seed) {
        return new IpReservationLedger(instance(), CLOCK, new Random(seed));
    }

    static List<ReplicaIdentity> identities(String app, int n) {
        List<ReplicaIdentity> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new ReplicaIdentity("ns", app, i));
        }
        return out;
    }

    @Test
    void givesDistinctLowestFreeAddressesAndKeepsThemForTheNextDeployOfAnotherInstance() {
        List<Reservation> first = ledger(1).reserve(lowest, identities("web", 3), Set.of(), Set.of(), "job/1");
        // .0 is the network address of the /24
        assertThat(first).extracting(Reservation::ip).containsExactly("10.42.200.1", "10.42.200.2", "10.42.200.3");

        List<Reservation> again = ledger(2).reserve(lowest, identities("web", 3), Set.of(), Set.of(), "job/2");
        assertThat(again).extracting(Reservation::ip).containsExactly("10.42.200.1", "10.42.200.2", "10.42.200.3");
        assertThat(ledger(3).get("ns/web-1")).hasValueSatisfying(r -> assertThat(r.owner()).isEqualTo("job/2"));
    }

    @Test
    void aReleasedAddressIsFreeForAnotherIdentityAndAStaleReleaseChangesNothing() {
        IpReservationLedger a = ledger(1);
        Reservation held = a.reserve(lowest, identities("web", 1), Set.of(), Set.of(), "j").get(0);
        IpReservationLedger b = ledger(2);
        Reservation retired = b.retire(b.get("ns/web-0").orElseThrow(), true).orElseThrow();

        assertThat(a.release(held)).as("release naming an older revision").isFalse();
        assertThat(b.get("ns/web-0")).isPresent();
        assertThat(a.release(retired)).isTrue();
        assertThat(b.get("ns/web-0")).isEmpty();
        assertThat(b.reserve(lowest, identities("api", 1), Set.of(), Set.of(), "j").get(0).ip())
                .isEqualTo("10.42.200.1");
    }

    @Test
    void aDecisionThatThrowsOrBreaksTheInvariantWritesNothing() {
        IpReservationLedger a = ledger(1);
        Reservation web = a.reserve(lowest, identities("web", 1), Set.of(), Set.of(), "j").get(0);
        LedgerStore store = instance();

        assertThatThrownBy(() -> store.update(view -> {
            throw new IllegalArgumentException("no");
        })).hasMessage("no");
        Reservation thief = new Reservation("ns/thief-0", "default", web.ip(), Reservation.Kind.MANAGED,
                Reservation.State.ACTIVE, null, null, "j", CLOCK.instant(), 1);
        assertThatThrownBy(() -> store.update(view -> new LedgerStore.Decision<>(
                List.of(new LedgerChange.Put(thief)), null))).hasMessageContaining(web.ip());

        assertThat(ledger(2).list()).extracting(Reservation::identity, Reservation::ip)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("ns/web-0", web.ip()));
    }

    @Test
    void exhaustingThePoolReservesNothingForAnyIdentity() {
        IpPool tiny = Pools.pool("tiny", "10.42.202.0/30");
        ledger(1).reserve(tiny, identities("one", 1), Set.of(), Set.of(), "j");

        assertThatThrownBy(() -> ledger(2).reserve(tiny, identities("many", 3), Set.of(), Set.of(), "j"))
                .isInstanceOf(PoolExhaustedException.class);
        assertThat(ledger(3).list()).extracting(Reservation::identity).containsExactly("ns/one-0");
    }

    @Test
    void reallocatingAnIdentityFreesItsOldAddress() {
        ledger(1).reserve(lowest, identities("web", 1), Set.of(), Set.of(), "j");
        Set<Long> used = Set.of(LedgerTable.address("10.42.200.2"));
        Reservation moved = ledger(2).reserve(lowest, identities("web", 1), used, Set.of("ns/web-0"), "j").get(0);

        assertThat(moved.ip()).isNotEqualTo("10.42.200.1");
        assertThat(ledger(3).list()).extracting(Reservation::ip).containsExactly(moved.ip());
        assertThat(ledger(4).reserve(lowest, identities("api", 1), Set.of(), Set.of(), "j").get(0).ip())
                .isEqualTo("10.42.200.1");
    }

    @Test
    void concurrentWritersOnSeveralInstancesNeverShareAnAddress() throws Exception {
        int writers = 6;
        int each = 8;
        CyclicBarrier start = new CyclicBarrier(writers);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<List<Reservation>>> futures = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                IpReservationLedger ledger = ledger(writer);
                futures.add(pool.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    List<Reservation> mine = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        IpPool from = i % 2 == 0 ? lowest : random;
                        mine.addAll(ledger.reserve(from, List.of(new ReplicaIdentity("ns", "w" + writer, i)),
                                Set.of(), Set.of(), "w" + writer));
                    }
                    return mine;
                }));
            }
            Set<String> handedOut = new HashSet<>();
            for (Future<List<Reservation>> f : futures) {
                for (Reservation r : f.get(120, TimeUnit.SECONDS)) {
                    assertThat(handedOut.add(r.ip())).as("address %s handed out twice", r.ip()).isTrue();
                }
            }
            assertThat(handedOut).hasSize(writers * each);
            assertThat(ledger(99).list()).hasSize(writers * each);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void writersRacingForOneIdentityAgreeOnOneAddress() throws Exception {
        int writers = 4;
        CyclicBarrier start = new CyclicBarrier(writers);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<String>> futures = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                // random order: the racing writers pick different addresses for the same identity
                IpReservationLedger ledger = ledger(100 + w);
                futures.add(pool.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    return ledger.reserve(random, identities("same", 1), Set.of(), Set.of(), "racer").get(0).ip();
                }));
            }
            Set<String> answers = new HashSet<>();
            for (Future<String> f : futures) {
                answers.add(f.get(120, TimeUnit.SECONDS));
            }
            assertThat(answers).as("addresses acknowledged for ns/same-0").hasSize(1);
            assertThat(ledger(7).list()).extracting(Reservation::ip).containsExactlyElementsOf(answers);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void givesADualStackIdentityOneAddressPerFamilyAndAnotherInstanceKeepsBoth() {
        IpPool dual = Pools.pool("dual", "10.42.202.0/24", "fd00:10:42::/120");
        List<List<Reservation>> first = ledger(1).reserveAll(dual, identities("dual", 2), Set.of(), Set.of(), "job/1");
        // lowest free of each family: .0 is the /24's network address, ::0 the /120's subnet-router anycast address
        assertThat(first).extracting(h -> h.stream().map(Reservation::ip).toList()).containsExactly(
                List.of("10.42.202.1", "fd00:10:42::1"), List.of("10.42.202.2", "fd00:10:42::2"));

        List<List<Reservation>> again = ledger(2).reserveAll(dual, identities("dual", 2), Set.of(), Set.of(), "job/2");
        assertThat(again).extracting(h -> h.stream().map(Reservation::ip).toList()).containsExactly(
                List.of("10.42.202.1", "fd00:10:42::1"), List.of("10.42.202.2", "fd00:10:42::2"));
        assertThat(ledger(3).<List<Reservation>>read(v -> v.held("ns/dual-1")))
                .extracting(Reservation::ip, Reservation::owner)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("10.42.202.2", "job/2"),
                        org.assertj.core.groups.Tuple.tuple("fd00:10:42::2", "job/2"));
    }

    @Test
    void releasesBothFamiliesOfADualStackIdentityTogether() {
        IpPool dual = Pools.pool("dual", "10.42.202.0/24", "fd00:10:42::/120");
        Reservation primary = ledger(1).reserveAll(dual, identities("dual", 1), Set.of(), Set.of(), "j").get(0).get(0);
        IpReservationLedger other = ledger(2);
        Reservation idle = other.retire(other.get("ns/dual-0").orElseThrow(), true).orElseThrow();
        assertThat(other.<List<Reservation>>read(v -> v.held("ns/dual-0"))).hasSize(2)
                .allSatisfy(r -> assertThat(r.isIdle()).isTrue());

        assertThat(ledger(3).release(primary)).as("release naming an older revision").isFalse();
        assertThat(ledger(3).release(idle)).isTrue();

        assertThat(ledger(4).<List<Reservation>>read(v -> v.held("ns/dual-0"))).isEmpty();
        assertThat(ledger(4).reserveAll(dual, identities("api", 1), Set.of(), Set.of(), "j").get(0))
                .extracting(Reservation::ip).containsExactly("10.42.202.1", "fd00:10:42::1");
    }

    @Test
    void scanHandsOutEveryReservationInPages() {
        ledger(1).reserve(lowest, identities("web", 7), Set.of(), Set.of(), "j");
        List<Integer> pages = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        instance().scan(3, page -> {
            pages.add(page.size());
            page.forEach(r -> seen.add(r.identity()));
        });
        assertThat(seen).hasSize(7);
        assertThat(pages).allSatisfy(size -> assertThat(size).isBetween(1, 3));
    }

    @Test
    void twoProcessesAllocatingAtOnceNeverShareAnAddress() throws Exception {
        Process p0 = writerProcess("p0", 25);
        Process p1 = writerProcess("p1", 25);
        Map<String, String> ipByIdentity = new HashMap<>();
        List<String> acked = new ArrayList<>();
        for (Process p : List.of(p0, p1)) {
            for (String line : WriterJvm.finish(p, l -> l.startsWith("ack "), 120)) {
                String[] f = line.split(" ");
                acked.add(f[1]);
                ipByIdentity.put(f[2], f[1]);
            }
        }
        assertThat(acked).hasSize(50).doesNotHaveDuplicates();
        assertThat(ledger(5).list()).hasSize(50).allSatisfy(r ->
                assertThat(r.ip()).isEqualTo(ipByIdentity.get(r.identity())));
    }
}
