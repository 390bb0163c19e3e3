package io.jenkins.plugins.kubeplatform.cli.bench;

import io.jenkins.plugins.kubeplatform.cli.bench.spi.Benchmark;
import java.util.List;

/** The benchmarks {@code kubeplatform bench} runs, in order. Each capability adds its own here. */
final class Benchmarks {

    private Benchmarks() {
    }

    static List<Benchmark> all() {
        return List.of(
                new StoreWriteBenchmark(),
                new io.jenkins.plugins.kubeplatform.cli.stickyip.LedgerBenchmark(),
                new io.jenkins.plugins.kubeplatform.cli.stickyip.ClusterLedgerBenchmark(),
                new ImageBuildBenchmark(),
                new ExposeBenchmark(),
                new io.jenkins.plugins.kubeplatform.cli.repair.RepairBenchmark(),
                new EdgePlacementBenchmark(),
                new io.jenkins.plugins.kubeplatform.cli.stickyip.RolloutBenchmark());
    }
}
