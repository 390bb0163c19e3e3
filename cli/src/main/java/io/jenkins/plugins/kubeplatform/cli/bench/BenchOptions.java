package io.jenkins.plugins.kubeplatform.cli.bench;

import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * How to run: {@code quick} shrinks sizes and iterations (for the test that keeps bench working); {@code workDir}
 * is a scratch directory each benchmark may use; {@code size} and {@code iterations} override a benchmark's own
 * data size and number of timed operations where it has them ({@code --size}, {@code --allocations}).
 */
public record BenchOptions(boolean quick, Path workDir, OptionalInt size, OptionalInt iterations) {

    public BenchOptions(boolean quick, Path workDir) {
        this(quick, workDir, OptionalInt.empty(), OptionalInt.empty());
    }
}
