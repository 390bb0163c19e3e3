package io.jenkins.plugins.kubeplatform.cli.bench;

import java.nio.file.Path;

/**
 * How to run: {@code quick} shrinks sizes and iterations (for the test that keeps bench working); {@code workDir}
 * is a scratch directory each benchmark may use.
 */
public record BenchOptions(boolean quick, Path workDir) {
}
