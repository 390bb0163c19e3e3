package io.jenkins.plugins.kubeplatform.cli.bench.spi;

/** One figure of a benchmark run, e.g. ("allocate at 60k", "p99", 1.9, "ms"). */
public record Measurement(String scenario, String metric, double value, String unit, String note) {

    public static Measurement of(String scenario, String metric, double value, String unit) {
        return new Measurement(scenario, metric, value, unit, "");
    }
}
