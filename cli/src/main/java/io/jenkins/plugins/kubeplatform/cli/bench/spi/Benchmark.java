package io.jenkins.plugins.kubeplatform.cli.bench.spi;

import java.util.List;

/** One measured scenario of {@code kubeplatform bench}; implementations are listed in {@code cli.bench.Benchmarks}; capabilities implement it without depending on the bench command. */
public interface Benchmark {

    /** Short identifier used by {@code --only}. */
    String name();

    /** One sentence: what is measured and how. */
    String description();

    List<Measurement> run(BenchOptions options) throws Exception;
}
