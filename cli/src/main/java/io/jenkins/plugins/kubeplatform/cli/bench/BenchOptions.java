package io.jenkins.plugins.kubeplatform.cli.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * How to run: {@code quick} shrinks sizes and iterations (for the test that keeps bench working); {@code workDir}
 * is a scratch directory each benchmark may use; {@code sizes}, when not empty, replaces a benchmark's own sizes
 * (for benchmarks that have sizes, such as {@code rollout}).
 */
public record BenchOptions(boolean quick, Path workDir, List<Integer> sizes) {

    public BenchOptions {
        sizes = sizes == null ? List.of() : List.copyOf(sizes);
    }

    public BenchOptions(boolean quick, Path workDir) {
        this(quick, workDir, List.of());
    }
}
