package io.jenkins.plugins.kubeplatform.cli.bench;

import io.jenkins.plugins.kubeplatform.cli.bench.spi.BenchOptions;
import io.jenkins.plugins.kubeplatform.cli.bench.spi.Benchmark;
import io.jenkins.plugins.kubeplatform.cli.bench.spi.Measurement;
import io.jenkins.plugins.kubeplatform.cli.bench.spi.Stats;
import io.jenkins.plugins.kubeplatform.engine.store.AtomicFileStore;
import io.jenkins.plugins.kubeplatform.engine.store.StateStore.Update;
import java.nio.file.Path;
import java.util.List;

/** The floor under every durable change: one small document written with temp file, fsync and rename. */
final class StoreWriteBenchmark implements Benchmark {

    record Counter(long value) {
    }

    @Override
    public String name() {
        return "store";
    }

    @Override
    public String description() {
        return "durable write of a small state document (temp file + fsync + atomic rename + directory fsync)";
    }

    @Override
    public List<Measurement> run(BenchOptions options) {
        Path file = options.workDir().resolve("store-bench.json");
        AtomicFileStore<Counter> store = AtomicFileStore.of(file, "counter", Counter.class, () -> new Counter(0));
        int iterations = options.quick() ? 20 : 500;
        long[] nanos = new long[iterations];
        for (int i = 0; i < iterations; i++) {
            long start = System.nanoTime();
            store.update(c -> Update.to(new Counter(c.value() + 1), null));
            nanos[i] = System.nanoTime() - start;
        }
        Stats stats = new Stats(nanos);
        return List.of(
                Measurement.of("small document update", "p50", stats.percentileMillis(50), "ms"),
                Measurement.of("small document update", "p99", stats.percentileMillis(99), "ms"));
    }
}
