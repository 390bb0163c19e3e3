package io.jenkins.plugins.kubeplatform.cli.bench;

import java.util.List;

/** One measured scenario of {@code kubeplatform bench}; implementations are listed in {@link Benchmarks}. */
public interface Benchmark {

    /** Short identifier used by {@code --only}. */
    String name();

    /** One sentence: what is measured and how. */
    String description();

    List<Measurement> run(BenchOptions options) throws Exception;
}
