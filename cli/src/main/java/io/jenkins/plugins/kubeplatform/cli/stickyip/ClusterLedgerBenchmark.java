package io.jenkins.plugins.kubeplatform.cli.stickyip;

import io.jenkins.plugins.kubeplatform.cli.CliContext;
import io.jenkins.plugins.kubeplatform.cli.bench.spi.BenchOptions;
import io.jenkins.plugins.kubeplatform.cli.bench.spi.Benchmark;
import io.jenkins.plugins.kubeplatform.cli.bench.spi.Measurement;
import io.jenkins.plugins.kubeplatform.engine.kube.ApiRetry;
import io.jenkins.plugins.kubeplatform.engine.stickyip.ClusterLedgerStore;
import io.jenkins.plugins.kubeplatform.engine.stickyip.IpPool;
import io.jenkins.plugins.kubeplatform.engine.stickyip.IpReservationLedger;
import io.jenkins.plugins.kubeplatform.engine.stickyip.LedgerStore;
import io.jenkins.plugins.kubeplatform.engine.stickyip.PoolSettings;
import io.jenkins.plugins.kubeplatform.engine.stickyip.ReplicaIdentity;
import io.jenkins.plugins.kubeplatform.sim.ApiRequest;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The cluster ledger ({@code stickyIp.ledgerStore: cluster}) against the simulated API server: API requests and
 * latency per allocation of one identity, at a few ledger sizes, alone and with two writers allocating at once; the
 * same for a dual-stack pool (one address per family per identity) at the first size.
 */
public final class ClusterLedgerBenchmark implements Benchmark {

    private static final String NAMESPACE = "kube-platform";

    @Override
    public String name() {
        return "cluster-ledger";
    }

    @Override
    public String description() {
        return "cluster ledger store: API writes and reads per allocation (goal 1 write), latency, two writers at once";
    }

    @Override
    public List<Measurement> run(BenchOptions options) throws Exception {
        List<Integer> sizes = options.sizes().isEmpty() ? (options.quick() ? List.of(10) : List.of(100, 2000))
                : options.sizes();
        int allocations = options.iterations().orElse(options.quick() ? 10 : 200);
        List<Measurement> out = new ArrayList<>();
        IpPool single = PoolSettings.builder("bench").ranges("10.96.0.0/16").build().toPool();
        IpPool dual = PoolSettings.builder("bench").ranges("10.96.0.0/16", "fd00:96::/112").build().toPool();
        for (int size : sizes) {
            scenarios(out, single, "", size, allocations);
        }
        // dual-stack: one ConfigMap (one write) holds both addresses of an identity
        scenarios(out, dual, "dual-stack, ", sizes.get(0), allocations);
        return out;
    }

    /** One writer alone, then two at once, on a ledger of {@code size} identities of {@code pool}. */
    private static void scenarios(List<Measurement> out, IpPool pool, String label, int size, int allocations)
            throws Exception {
        try (SimulatedCluster sim = SimulatedCluster.start(SimOptions.builder().createMissingNamespaces(true)
                .builtInControllers(false).build())) {
            LedgerStore store = store(sim);
            prefill(store, pool, size);
            IpReservationLedger ledger = new IpReservationLedger(store, CliContext.CLOCK, new Random(1));
            sim.requests().clear();
            double[] millis = new double[allocations];
            for (int i = 0; i < allocations; i++) {
                long t = System.nanoTime();
                allocate(ledger, pool, new ReplicaIdentity("bench", "solo", i));
                millis[i] = (System.nanoTime() - t) / 1e6;
            }
            String scenario = label + "one writer, " + size + " reserved";
            count(out, scenario, sim.requests().list(), allocations);
            Arrays.sort(millis);
            out.add(Measurement.of(scenario, "allocation p50", millis[allocations / 2], "ms"));
            out.add(Measurement.of(scenario, "allocation p99", millis[(int) Math.min(allocations - 1,
                    Math.ceil(allocations * 0.99) - 1)], "ms"));

            sim.requests().clear();
            int each = Math.max(1, allocations / 2);
            twoWriters(sim, pool, each);
            count(out, label + "two writers at once, " + size + " reserved", sim.requests().list(), 2 * each);
        }
    }

    /** One identity's addresses: one of each family of the pool, in one decision. */
    private static void allocate(IpReservationLedger ledger, IpPool pool, ReplicaIdentity identity) {
        ledger.reserveAll(pool, List.of(identity), Set.of(), Set.of(), "bench");
    }

    private static LedgerStore store(SimulatedCluster sim) {
        return new ClusterLedgerStore(sim.client(), NAMESPACE, new ApiRetry(6, Duration.ofMillis(20),
                Duration.ofMillis(500), d -> Thread.sleep(d.toMillis())), new Random());
    }

    private static void prefill(LedgerStore store, IpPool pool, int size) {
        IpReservationLedger ledger = new IpReservationLedger(store, CliContext.CLOCK, new Random(2));
        List<ReplicaIdentity> identities = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            identities.add(new ReplicaIdentity("fill", "app" + (i / 100), i % 100));
        }
        for (int from = 0; from < size; from += 500) {
            ledger.reserveAll(pool, identities.subList(from, Math.min(size, from + 500)), Set.of(), Set.of(), "fill");
        }
    }

    private static void twoWriters(SimulatedCluster sim, IpPool pool, int each) throws Exception {
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService executor = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                int writer = w;
                IpReservationLedger ledger = new IpReservationLedger(store(sim), CliContext.CLOCK, new Random(writer));
                futures.add(executor.submit(() -> {
                    start.await(60, TimeUnit.SECONDS);
                    for (int i = 0; i < each; i++) {
                        allocate(ledger, pool, new ReplicaIdentity("bench", "w" + writer, i));
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(10, TimeUnit.MINUTES);
            }
        } finally {
            executor.shutdownNow();
        }
    }

    private static void count(List<Measurement> out, String scenario, List<ApiRequest> requests, int allocations) {
        long writes = requests.stream().filter(r -> r.path().contains("/configmaps") && isWrite(r.verb())).count();
        long reads = requests.stream().filter(r -> r.path().contains("/configmaps") && !isWrite(r.verb())).count();
        long conflicts = requests.stream().filter(r -> r.path().contains("/configmaps") && r.status() == 409).count();
        out.add(Measurement.of(scenario, "writes per allocation", (double) writes / allocations, "requests"));
        out.add(Measurement.of(scenario, "reads per allocation", (double) reads / allocations, "requests"));
        out.add(Measurement.of(scenario, "conflicts per allocation", (double) conflicts / allocations, "requests"));
    }

    private static boolean isWrite(String verb) {
        return switch (verb) {
            case "create", "update", "patch", "delete", "deletecollection" -> true;
            default -> false;
        };
    }
}
