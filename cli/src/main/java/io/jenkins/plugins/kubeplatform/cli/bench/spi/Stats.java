package io.jenkins.plugins.kubeplatform.cli.bench.spi;

import java.util.Arrays;

/** Percentiles over recorded latencies in nanoseconds. */
public final class Stats {

    private final long[] sorted;

    public Stats(long[] nanos) {
        this.sorted = nanos.clone();
        Arrays.sort(this.sorted);
    }

    /** Nearest-rank percentile in milliseconds. */
    public double percentileMillis(double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1_000_000.0;
    }

    public int count() {
        return sorted.length;
    }
}
