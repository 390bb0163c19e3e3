package io.jenkins.plugins.kubeplatform.cli.bench;

import io.jenkins.plugins.kubeplatform.cli.bench.spi.BenchOptions;
import io.jenkins.plugins.kubeplatform.cli.bench.spi.Benchmark;
import io.jenkins.plugins.kubeplatform.cli.bench.spi.Measurement;
import io.jenkins.plugins.kubeplatform.cli.bench.spi.Stats;
import io.jenkins.plugins.kubeplatform.engine.edgevm.ClusterPlanner;
import io.jenkins.plugins.kubeplatform.engine.edgevm.EdgeSettings;
import io.jenkins.plugins.kubeplatform.engine.edgevm.EdgeVmRequest;
import io.jenkins.plugins.kubeplatform.engine.edgevm.GeoPoint;
import io.jenkins.plugins.kubeplatform.engine.edgevm.SitePlacement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Edge VM placement (EVM-5, EVM-6): choosing the site and scoring every edge cluster by load and haversine distance,
 * over 1000 (and 10000) edge clusters spread across Europe with random load, a tenth of them full.
 */
final class EdgePlacementBenchmark implements Benchmark {

    @Override
    public String name() {
        return "edge-placement";
    }

    @Override
    public String description() {
        return "edge VM placement: site choice plus deterministic scoring of N edge clusters (load + distance)";
    }

    @Override
    public List<Measurement> run(BenchOptions options) {
        EdgeSettings settings = EdgeSettings.demo();
        EdgeVmRequest request = EdgeVmRequest.of("web", "demo", 2, "2Gi", "10Gi",
                "quay.io/containerdisks/ubuntu:22.04", false, "49.99,8.27", null, null, null, null);
        int iterations = options.quick() ? 30 : 2000;
        List<Measurement> out = new ArrayList<>();
        for (int size : options.quick() ? new int[] {1000} : new int[] {1000, 10000}) {
            List<ClusterPlanner.ClusterView> clusters = clusters(size);
            String chosen = "";
            for (int i = 0; i < Math.min(iterations, 100); i++) {
                chosen = place(settings, request, clusters);
            }
            long[] nanos = new long[iterations];
            for (int i = 0; i < iterations; i++) {
                long start = System.nanoTime();
                chosen = place(settings, request, clusters);
                nanos[i] = System.nanoTime() - start;
            }
            Stats stats = new Stats(nanos);
            String scenario = "place one VM over " + size + " edge clusters";
            out.add(new Measurement(scenario, "p50", stats.percentileMillis(50), "ms", "chose " + chosen));
            out.add(Measurement.of(scenario, "p99", stats.percentileMillis(99), "ms"));
        }
        return out;
    }

    private static String place(EdgeSettings settings, EdgeVmRequest request, List<ClusterPlanner.ClusterView> clusters) {
        SitePlacement.Choice site = SitePlacement.choose(settings, request, List.of());
        ClusterPlanner.Plan plan = ClusterPlanner.plan(clusters, site.site().point(), site.site().name(), false,
                Optional.empty(), settings.scoring(), Optional.of("edge"));
        return plan instanceof ClusterPlanner.Join join ? join.cluster() : "a new cluster";
    }

    /** Deterministic fleet: clusters between Lisbon and Helsinki with loads 0..max, every tenth full. */
    static List<ClusterPlanner.ClusterView> clusters(int size) {
        Random random = new Random(42);
        List<ClusterPlanner.ClusterView> clusters = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            int max = 4 + random.nextInt(29);
            int nodes = i % 10 == 0 ? max : random.nextInt(max);
            clusters.add(new ClusterPlanner.ClusterView("edge-" + i,
                    new GeoPoint(38 + random.nextDouble() * 22, -9 + random.nextDouble() * 34), nodes, max, false));
        }
        return clusters;
    }
}
