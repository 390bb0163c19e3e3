package io.jenkins.plugins.kubeplatform.cli.bench.spi;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;

/**
 * How to run: {@code quick} shrinks sizes and iterations (for the test that keeps bench working); {@code workDir}
 * is a scratch directory each benchmark may use; {@code size} and {@code iterations} override a benchmark's own
 * data size and number of timed operations where it has them ({@code --size}, {@code --allocations});
 * {@code sizes}, when not empty, replaces a benchmark's own list of sizes ({@code --sizes}, e.g. for rollout);
 * {@code trace} asks benchmarks that can for a breakdown of their slowest operations ({@code --trace});
 * {@code controllerLimits} limits the simulated controllers' clients as kube-controller-manager's defaults do
 * ({@code --controller-limits}, rollout).
 */
public record BenchOptions(boolean quick, Path workDir, OptionalInt size, OptionalInt iterations, List<Integer> sizes,
                           boolean trace, boolean controllerLimits) {

    public BenchOptions {
        sizes = sizes == null ? List.of() : List.copyOf(sizes);
    }

    public BenchOptions(boolean quick, Path workDir, OptionalInt size, OptionalInt iterations, List<Integer> sizes,
                        boolean trace) {
        this(quick, workDir, size, iterations, sizes, trace, false);
    }

    public BenchOptions(boolean quick, Path workDir, OptionalInt size, OptionalInt iterations, List<Integer> sizes) {
        this(quick, workDir, size, iterations, sizes, false);
    }

    public BenchOptions(boolean quick, Path workDir, OptionalInt size, OptionalInt iterations) {
        this(quick, workDir, size, iterations, List.of());
    }

    public BenchOptions(boolean quick, Path workDir, List<Integer> sizes) {
        this(quick, workDir, OptionalInt.empty(), OptionalInt.empty(), sizes);
    }

    public BenchOptions(boolean quick, Path workDir) {
        this(quick, workDir, OptionalInt.empty(), OptionalInt.empty(), List.of());
    }
}
