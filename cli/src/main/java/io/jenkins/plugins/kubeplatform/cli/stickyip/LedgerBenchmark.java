package io.jenkins.plugins.kubeplatform.cli.stickyip;

import io.jenkins.plugins.kubeplatform.cli.CliContext;
import io.jenkins.plugins.kubeplatform.cli.bench.spi.BenchOptions;
import io.jenkins.plugins.kubeplatform.cli.bench.spi.Benchmark;
import io.jenkins.plugins.kubeplatform.cli.bench.spi.Measurement;
import io.jenkins.plugins.kubeplatform.cli.bench.spi.Stats;
import io.jenkins.plugins.kubeplatform.engine.stickyip.IpPool;
import io.jenkins.plugins.kubeplatform.engine.stickyip.IpReservationLedger;
import io.jenkins.plugins.kubeplatform.engine.stickyip.JournaledLedgerStore;
import io.jenkins.plugins.kubeplatform.engine.stickyip.LedgerChange;
import io.jenkins.plugins.kubeplatform.engine.stickyip.LedgerStore;
import io.jenkins.plugins.kubeplatform.engine.stickyip.LedgerView;
import io.jenkins.plugins.kubeplatform.engine.stickyip.PoolSettings;
import io.jenkins.plugins.kubeplatform.engine.stickyip.ReplicaIdentity;
import io.jenkins.plugins.kubeplatform.engine.stickyip.Reservation;
import io.jenkins.plugins.kubeplatform.engine.stickyip.ReservationCollector;
import io.jenkins.plugins.kubeplatform.engine.stickyip.address.Ipv4;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The reservation ledger at a given size: durable allocation latency (reserve one new identity in a /12, lowest free,
 * including the journal append and the group-commit force) next to a raw append + {@code force} of the same disk in
 * the same run; open time in this JVM and in a fresh one; heap and snapshot bytes per reservation; and the longest
 * allocation while a background compaction and a GC sweep releasing half the ledger run at the same time.
 */
public final class LedgerBenchmark implements Benchmark {

    private static final IpPool POOL = PoolSettings.builder("bench").ranges("10.0.0.0/12").reclaimAfter("1h")
            .build().toPool();
    private static final int RAW_RECORD = 128;
    /** Untimed allocations and raw appends first, so the measured ones run compiled code (JIT warm-up). */
    private static final int WARM_UP = 1000;

    @Override
    public String name() {
        return "ip-ledger";
    }

    @Override
    public String description() {
        return "durable allocation p50/p99/p99.9/max vs raw append+force, open, heap and snapshot per reservation, "
                + "compaction and the longest stall during compaction + GC (--size N, --allocations N)";
    }

    @Override
    public List<Measurement> run(BenchOptions options) throws Exception {
        int[] sizes = options.size().isPresent() ? new int[] {options.size().getAsInt()}
                : options.quick() ? new int[] {1000} : new int[] {1000, 10_000, 60_000};
        int allocations = options.iterations().orElse(options.quick() ? 50 : 2000);
        List<Measurement> results = new ArrayList<>();
        for (int size : sizes) {
            results.addAll(runAt(options.workDir().resolve("ledger-" + size), size, allocations, options.trace()));
        }
        return results;
    }

    private static List<Measurement> runAt(Path dir, int size, int allocations, boolean trace) throws Exception {
        int warmUp = Math.min(WARM_UP, allocations);
        if (size + (allocations + warmUp) * 3L + 1000 > POOL.addresses().size()) {
            throw new IllegalArgumentException("--size " + size + " with --allocations " + allocations
                    + " does not fit the benchmark's /12 pool (" + POOL.addresses().size() + " addresses)");
        }
        String at = label(size) + " reserved";
        List<Measurement> results = new ArrayList<>();
        try (JournaledLedgerStore fill = new JournaledLedgerStore(dir)) {
            prefill(fill, size);
            fill.checkpoint();
            fill.awaitCompaction();
        }
        long snapshotBytes = latestSnapshotSize(dir);

        gc();
        long heapBefore = usedHeap();
        long openStart = System.nanoTime();
        JournaledLedgerStore store = new JournaledLedgerStore(dir);
        store.read(LedgerView::size);
        long openNanos = System.nanoTime() - openStart;
        gc();
        long heapPerReservation = (usedHeap() - heapBefore) / size;
        double[] coldOpen = openInFreshJvm(dir);

        IpReservationLedger ledger = new IpReservationLedger(store, CliContext.CLOCK, new Random(1));
        long[] allocate = new long[allocations];
        long[] raw = new long[allocations];
        long[][] phases = new long[allocations][];
        long[] collected = new long[allocations];
        long[][] last = new long[1][];
        long gcBefore;
        try (FileChannel rawChannel = FileChannel.open(dir.resolve("raw-append.bin"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer record = ByteBuffer.allocateDirect(RAW_RECORD);
            for (int i = 0; i < warmUp; i++) {
                ledger.reserve(POOL, List.of(new ReplicaIdentity("bench", "warm", i)), Set.of(), Set.of(), "bench");
                rawChannel.write(record.clear());
                rawChannel.force(false);
            }
            if (trace) {
                store.trace(nanos -> last[0] = nanos);
            }
            gcBefore = gcMillis();
            for (int i = 0; i < allocations; i++) {
                long gcAt = trace ? gcMillis() : 0;
                long start = System.nanoTime();
                ledger.reserve(POOL, List.of(new ReplicaIdentity("bench", "new", i)), Set.of(), Set.of(), "bench");
                allocate[i] = System.nanoTime() - start;
                if (trace) {
                    phases[i] = last[0];
                    collected[i] = gcMillis() - gcAt;
                }
                start = System.nanoTime();
                rawChannel.write(record.clear());
                rawChannel.force(false);
                raw[i] = System.nanoTime() - start;
            }
            store.trace(null);
        }
        Stats a = new Stats(allocate);
        Stats r = new Stats(raw);
        String scenario = "durable allocation, " + at + " (/12, lowest free)";
        results.add(new Measurement(scenario, "p50", a.percentileMillis(50), "ms", allocations + " allocations"));
        results.add(new Measurement(scenario, "p99", a.percentileMillis(99), "ms", "append + group-commit force"));
        results.add(new Measurement(scenario, "p99.9", a.percentileMillis(99.9), "ms", ""));
        results.add(new Measurement(scenario, "max", a.percentileMillis(100), "ms", ""));
        results.add(new Measurement("JVM garbage collection during the allocations, " + at, "time",
                gcMillis() - gcBefore, "ms", "all collectors; explains outliers in max"));
        results.add(new Measurement("raw append of " + RAW_RECORD + " bytes + force(false), same disk, same run", "p50",
                r.percentileMillis(50), "ms", "one after each timed allocation, to a growing file"));
        results.add(new Measurement("raw append of " + RAW_RECORD + " bytes + force(false), same disk, same run", "p99",
                r.percentileMillis(99), "ms", "interleaved with the allocations above (after " + warmUp
                + " untimed warm-up pairs)"));
        results.add(new Measurement("allocation p99 / raw append p99, " + at, "ratio",
                a.percentileMillis(99) / r.percentileMillis(99), "x", ""));
        if (trace) {
            results.addAll(breakdown(allocate, phases, collected, at));
        }
        results.add(new Measurement("open ledger, " + at, "time", openNanos / 1e6, "ms", "in this JVM"));
        results.add(new Measurement("open ledger, " + at + ", fresh JVM", "time", coldOpen[0], "ms",
                "JVM start excluded: from constructing the store to the first read"));
        results.add(new Measurement("open ledger, " + at + ", fresh JVM", "cpu", coldOpen[1], "ms",
                "CPU time of the opening thread (what the wall time approaches on an idle machine)"));
        results.add(new Measurement("heap per reservation, " + at, "bytes", heapPerReservation, "B",
                "used heap after full GCs, before and after loading"));
        results.add(new Measurement("snapshot per reservation, " + at, "bytes", (double) snapshotBytes / size, "B",
                snapshotBytes + " bytes"));
        results.addAll(underCompactionAndGc(store, ledger, at));
        store.close();
        return results;
    }

    /**
     * Where the slowest 1% of the timed allocations (at least one) spent their time, step by step, next to all
     * allocations: mean milliseconds per step ("outside the store": the ledger's own work before and after the store
     * call), and how many of the slowest saw a collection or a segment rotation.
     */
    private static List<Measurement> breakdown(long[] allocate, long[][] phases, long[] collected, String at) {
        Integer[] order = new Integer[allocate.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (x, y) -> Long.compare(allocate[y], allocate[x]));
        int slow = Math.max(1, allocate.length / 100);
        JournaledLedgerStore.Phase[] steps = JournaledLedgerStore.Phase.values();
        double[] slowSum = new double[steps.length + 1];
        double[] allSum = new double[steps.length + 1];
        int withGc = 0;
        int withRotation = 0;
        int followers = 0;
        for (int k = 0; k < order.length; k++) {
            int i = order[k];
            long[] p = phases[i];
            long inStore = 0;
            for (int s = 0; s < steps.length; s++) {
                inStore += p[s];
                allSum[s] += p[s];
                if (k < slow) {
                    slowSum[s] += p[s];
                }
            }
            allSum[steps.length] += allocate[i] - inStore;
            if (k < slow) {
                slowSum[steps.length] += allocate[i] - inStore;
                withGc += collected[i] > 0 ? 1 : 0;
                withRotation += p[JournaledLedgerStore.Phase.ROTATE.ordinal()] > 0 ? 1 : 0;
                followers += p[JournaledLedgerStore.Phase.FORCE_WAIT.ordinal()] > 0 ? 1 : 0;
            }
        }
        List<Measurement> out = new ArrayList<>();
        String scenario = "allocation steps, slowest " + slow + " of " + allocate.length + ", " + at;
        for (int s = 0; s <= steps.length; s++) {
            String step = s < steps.length ? steps[s].name().toLowerCase(java.util.Locale.ROOT) : "outside the store";
            out.add(new Measurement(scenario, step, slowSum[s] / slow / 1e6, "ms",
                    String.format(java.util.Locale.ROOT, "mean; all allocations: %.4f ms", allSum[s] / allocate.length / 1e6)));
        }
        out.add(new Measurement(scenario, "with a collection", withGc, "", "allocations during which a JVM GC ran"));
        out.add(new Measurement(scenario, "with a rotation", withRotation, "", "allocations that sealed a segment"));
        out.add(new Measurement(scenario, "followers", followers, "", "allocations that waited for another's force"));
        return out;
    }

    /** Allocates continuously while a background compaction and a GC sweep (half the ledger expired) run. */
    private static List<Measurement> underCompactionAndGc(JournaledLedgerStore store, IpReservationLedger ledger,
                                                          String at) throws Exception {
        PauseWatch pauses = PauseWatch.start();
        AtomicLong compactionNanos = new AtomicLong();
        AtomicLong gcNanos = new AtomicLong();
        CompletableFuture<Void> compaction = CompletableFuture.runAsync(() -> {
            long start = System.nanoTime();
            store.checkpoint();
            try {
                store.awaitCompaction();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            compactionNanos.set(System.nanoTime() - start);
        });
        CompletableFuture<ReservationCollector.Report> gcSweep = CompletableFuture.supplyAsync(() -> {
            long start = System.nanoTime();
            ReservationCollector.Report report = ReservationCollector.sweep(ledger, Map.of(POOL.name(), POOL),
                    Instant.now(), new ReservationCollector.Guard(Set.of(), Set.of(), Set.of(), Map.of()));
            gcNanos.set(System.nanoTime() - start);
            return report;
        });
        long gcBefore = gcMillis();
        store.takeLongestLockHold();
        long longest = 0;
        int during = 0;
        while (!(compaction.isDone() && gcSweep.isDone())) {
            long start = System.nanoTime();
            ledger.reserve(POOL, List.of(new ReplicaIdentity("bench", "during", during)), Set.of(), Set.of(), "bench");
            longest = Math.max(longest, System.nanoTime() - start);
            during++;
        }
        compaction.get(10, TimeUnit.MINUTES);
        ReservationCollector.Report report = gcSweep.get(10, TimeUnit.MINUTES);
        long lockHold = store.takeLongestLockHold();
        pauses.stop();
        return List.of(
                new Measurement("background compaction, " + at, "time", compactionNanos.get() / 1e6, "ms",
                        "seal, fold snapshot + journal into a new snapshot, fsync, rename"),
                new Measurement("GC sweep, " + at + " (half idle past reclaimAfter)", "time", gcNanos.get() / 1e6,
                        "ms", report.released().size() + " released; per lock hold at most 8192 visited and 512 released"),
                new Measurement("longest allocation while compaction and GC ran, " + at, "max", longest / 1e6, "ms",
                        during + " allocations meanwhile"),
                new Measurement("longest ledger lock hold while compaction and GC ran, " + at, "max",
                        lockHold / 1e6, "ms", "held by " + store.longestLockHolder() + "; an allocation waits at "
                        + "most this for another caller"),
                new Measurement("longest JVM collector pause while compaction and GC ran, " + at, "max",
                        pauses.longestMillis(), "ms", pauses.count() + " pauses, " + pauses.totalMillis()
                        + " ms in all (stop-the-world: every thread waits)"),
                new Measurement("JVM garbage collection while compaction and GC ran, " + at, "time",
                        gcMillis() - gcBefore, "ms", "all collectors (for ZGC/Shenandoah this counts concurrent "
                        + "cycles too)"));
    }

    /** Stop-the-world collector pauses, from the JVM's GC notifications. */
    private static final class PauseWatch implements javax.management.NotificationListener {
        private final List<javax.management.NotificationEmitter> emitters = new ArrayList<>();
        private final List<java.lang.management.GarbageCollectorMXBean> beans = new ArrayList<>();
        private long countAtStart;
        private long longest;
        private long total;
        private int count;

        private long collections() {
            return beans.stream().mapToLong(b -> Math.max(0, b.getCollectionCount())).sum();
        }

        static PauseWatch start() {
            PauseWatch watch = new PauseWatch();
            for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                // concurrent cycles (G1 Concurrent GC, ZGC Cycles, Shenandoah Cycles) are not pauses
                if (gc instanceof javax.management.NotificationEmitter emitter && !gc.getName().contains("Cycles")
                        && !gc.getName().contains("Concurrent")) {
                    emitter.addNotificationListener(watch, null, null);
                    watch.emitters.add(emitter);
                    watch.beans.add(gc);
                }
            }
            watch.countAtStart = watch.collections();
            return watch;
        }

        @Override
        public synchronized void handleNotification(javax.management.Notification n, Object handback) {
            if (com.sun.management.GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                var info = com.sun.management.GarbageCollectionNotificationInfo.from(
                        (javax.management.openmbean.CompositeData) n.getUserData());
                long ms = info.getGcInfo().getDuration();
                longest = Math.max(longest, ms);
                total += ms;
                count++;
                notifyAll();
            }
        }

        /** Stops listening once the notifications (delivered asynchronously) caught up with the collectors, or 5 s. */
        void stop() throws InterruptedException {
            long expected = collections() - countAtStart;
            synchronized (this) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (count < expected && System.nanoTime() < deadline) {
                    wait(100);
                }
            }
            for (var emitter : emitters) {
                try {
                    emitter.removeNotificationListener(this);
                } catch (javax.management.ListenerNotFoundException e) {
                    // already gone
                }
            }
        }

        synchronized double longestMillis() {
            return longest;
        }

        synchronized long totalMillis() {
            return total;
        }

        synchronized int count() {
            return count;
        }
    }

    private static String label(int size) {
        return size >= 1_000_000 && size % 1_000_000 == 0 ? (size / 1_000_000) + "M"
                : size >= 1000 && size % 1000 == 0 ? (size / 1000) + "k" : Integer.toString(size);
    }

    /**
     * Writes {@code count} reservations of the first addresses of the pool, 10k per change: half idle for two days
     * (past the pool's reclaimAfter), owners shared by the ten replicas of one deploy, nodes by a hundred.
     */
    private static void prefill(LedgerStore store, int count) {
        long base = Ipv4.parse("10.0.0.1").orElseThrow();
        Instant created = Instant.now().minus(Duration.ofDays(2));
        for (int from = 0; from < count; from += 10_000) {
            List<LedgerChange> changes = new ArrayList<>(10_000);
            for (int i = from; i < Math.min(count, from + 10_000); i++) {
                boolean idle = i % 2 == 0;
                changes.add(new LedgerChange.Put(new Reservation("ns" + (i % 50) + "/app" + (i / 500) + "-" + (i / 50 % 10),
                        POOL.name(), Ipv4.format(base + i), Reservation.Kind.MANAGED,
                        idle ? Reservation.State.IDLE : Reservation.State.ACTIVE, "node-" + (i % 100),
                        idle ? created : null, "job-" + (i / 500) + "#" + (i % 7), created, 1)));
            }
            store.update(v -> new LedgerStore.Decision<>(changes, null));
        }
    }

    private static long latestSnapshotSize(Path dir) throws Exception {
        try (var files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches("snapshot-\\d+\\.bin"))
                    .max(java.util.Comparator.comparing(p -> Long.parseLong(p.getFileName().toString()
                            .replaceAll("\\D", "")))).map(p -> {
                                try {
                                    return Files.size(p);
                                } catch (java.io.IOException e) {
                                    return -1L;
                                }
                            }).orElse(-1L);
        }
    }

    /** Wall and CPU milliseconds of opening the ledger in a new JVM; NaN when the probe could not run. */
    private static double[] openInFreshJvm(Path dir) {
        try {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            long maxMb = Runtime.getRuntime().maxMemory() >> 20;
            Process p = new ProcessBuilder(java, "-Xmx" + maxMb + "m", "-cp", System.getProperty("java.class.path"),
                    LedgerOpenProbe.class.getName(), dir.toString()).redirectErrorStream(true).start();
            String line;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                line = out.readLine();
            }
            if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0 || line == null) {
                return new double[] {Double.NaN, Double.NaN};
            }
            String[] parts = line.split(" ");
            return new double[] {Long.parseLong(parts[0]) / 1e6, Long.parseLong(parts[1]) / 1e6};
        } catch (Exception e) {
            return new double[] {Double.NaN, Double.NaN};
        }
    }

    private static void gc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
    }

    private static long gcMillis() {
        long total = 0;
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }

    private static long usedHeap() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
