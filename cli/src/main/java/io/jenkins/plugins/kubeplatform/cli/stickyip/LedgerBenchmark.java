package io.jenkins.plugins.kubeplatform.cli.stickyip;

import io.jenkins.plugins.kubeplatform.cli.bench.BenchOptions;
import io.jenkins.plugins.kubeplatform.cli.bench.Benchmark;
import io.jenkins.plugins.kubeplatform.cli.bench.Measurement;
import io.jenkins.plugins.kubeplatform.cli.bench.Stats;
import io.jenkins.plugins.kubeplatform.stickyip.IpPool;
import io.jenkins.plugins.kubeplatform.stickyip.IpReservationLedger;
import io.jenkins.plugins.kubeplatform.stickyip.JournaledLedgerStore;
import io.jenkins.plugins.kubeplatform.stickyip.LedgerChange;
import io.jenkins.plugins.kubeplatform.stickyip.LedgerStore;
import io.jenkins.plugins.kubeplatform.stickyip.PoolSettings;
import io.jenkins.plugins.kubeplatform.stickyip.ReplicaIdentity;
import io.jenkins.plugins.kubeplatform.stickyip.Reservation;
import io.jenkins.plugins.kubeplatform.stickyip.ReservationCollector;
import io.jenkins.plugins.kubeplatform.stickyip.address.AllocationOrder;
import io.jenkins.plugins.kubeplatform.stickyip.address.Ipv4;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Ledger allocation latency (reserve one new identity, including the durable journal append and fsync) with 1k, 10k
 * and 60k existing reservations in a /16, cold open of the ledger, compaction, and a full GC sweep at 60k.
 */
public final class LedgerBenchmark implements Benchmark {

    private static final IpPool POOL = new PoolSettings("bench", List.of("10.40.0.0/16"), List.of(), "calico", "lowest",
            List.of(), "1h", "preferred", false).toPool();

    @Override
    public String name() {
        return "ip-ledger";
    }

    @Override
    public String description() {
        return "allocation latency (durable) at 1k/10k/60k reservations in a /16, ledger open and compaction, GC sweep at 60k";
    }

    @Override
    public List<Measurement> run(BenchOptions options) throws Exception {
        List<Measurement> results = new ArrayList<>();
        int[] sizes = options.quick() ? new int[] {1000} : new int[] {1000, 10_000, 60_000};
        int allocations = options.quick() ? 50 : 1000;
        for (int size : sizes) {
            Path dir = options.workDir().resolve("alloc-" + size);
            prefill(new JournaledLedgerStore(dir), size, false);
            long openStart = System.nanoTime();
            JournaledLedgerStore store = new JournaledLedgerStore(dir, Integer.MAX_VALUE);
            store.read(v -> v.size());
            long openNanos = System.nanoTime() - openStart;
            IpReservationLedger ledger = new IpReservationLedger(store, Clock.systemUTC(), new Random(1));
            long[] nanos = new long[allocations];
            for (int i = 0; i < allocations; i++) {
                long start = System.nanoTime();
                ledger.reserve(POOL, List.of(new ReplicaIdentity("bench", "new", i)), Set.of(), Set.of(), "bench");
                nanos[i] = System.nanoTime() - start;
            }
            long[] decideNanos = new long[allocations];
            Random random = new Random(2);
            for (int i = 0; i < allocations; i++) {
                long start = System.nanoTime();
                store.read(v -> POOL.addresses().allocate(v.reserved(), AllocationOrder.LOWEST, random));
                decideNanos[i] = System.nanoTime() - start;
            }
            Stats decide = new Stats(decideNanos);
            Stats stats = new Stats(nanos);
            String scenario = "allocate 1 address, " + label(size) + " reserved (/16, lowest free)";
            results.add(new Measurement(scenario, "p50", stats.percentileMillis(50), "ms", allocations + " allocations"));
            results.add(new Measurement(scenario, "p99", stats.percentileMillis(99), "ms", "includes journal append + fsync"));
            results.add(new Measurement(scenario + " without the write", "p99", decide.percentileMillis(99), "ms",
                    "locks + catch-up + finding the free address: the part that grows with the ledger"));
            results.add(new Measurement("open ledger, " + label(size) + " reserved", "time", openNanos / 1e6, "ms",
                    "first call of a process: snapshot + journal replay"));
            long compactStart = System.nanoTime();
            new JournaledLedgerStore(dir, 1).update(v -> new LedgerStore.Decision<>(List.of(
                    new LedgerChange.Remove("bench/new-0")), null));
            results.add(new Measurement("compaction, " + label(size) + " reserved", "time",
                    (System.nanoTime() - compactStart) / 1e6, "ms", "once per 4096 changes; snapshot write + fsync + rename"));
        }
        int gcSize = options.quick() ? 1000 : 60_000;
        Path gcDir = options.workDir().resolve("gc");
        prefill(new JournaledLedgerStore(gcDir), gcSize, true);
        IpReservationLedger gcLedger = new IpReservationLedger(new JournaledLedgerStore(gcDir), Clock.systemUTC(), new Random(1));
        gcLedger.read(v -> v.size());
        long start = System.nanoTime();
        ReservationCollector.Report report = ReservationCollector.sweep(gcLedger, Map.of(POOL.name(), POOL),
                Instant.now(), new ReservationCollector.Guard(Set.of(), Set.of(), Set.of(), Map.of()));
        long sweep = System.nanoTime() - start;
        results.add(new Measurement("GC sweep, " + label(gcSize) + " reservations (half idle past reclaimAfter)", "time",
                sweep / 1e6, "ms", report.released().size() + " released in one durable write"));
        return results;
    }

    private static String label(int size) {
        return size >= 1000 ? (size / 1000) + "k" : Integer.toString(size);
    }

    /** Writes {@code count} reservations in one change, the first addresses of the /16. */
    private static void prefill(LedgerStore store, int count, boolean halfIdleExpired) {
        long base = Ipv4.parse("10.40.0.1").orElseThrow();
        Instant created = Instant.now().minus(Duration.ofDays(2));
        List<LedgerChange> changes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            boolean idle = halfIdleExpired && i % 2 == 0;
            changes.add(new LedgerChange.Put(new Reservation("ns" + (i % 50) + "/app" + (i / 50) + "-0", POOL.name(),
                    Ipv4.format(base + i), Reservation.Kind.MANAGED,
                    idle ? Reservation.State.IDLE : Reservation.State.ACTIVE, "node-" + (i % 100),
                    idle ? created : null, "job#" + i, created, 1)));
        }
        store.update(v -> new LedgerStore.Decision<>(changes, null));
    }
}
