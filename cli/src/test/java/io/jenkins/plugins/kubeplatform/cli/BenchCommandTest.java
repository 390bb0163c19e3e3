package io.jenkins.plugins.kubeplatform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keeps {@code kubeplatform bench} working; the figures themselves are published in docs/benchmarks.md. */
class BenchCommandTest {

    @TempDir
    Path dir;

    @Test
    void writesAMarkdownReportWhenRunQuickly() throws Exception {
        Path report = dir.resolve("bench.md");

        CliRunner.Run run = CliRunner.run("bench", "--quick", "--report", report.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("| benchmark | scenario | metric |", "Machine: ");
        assertThat(Files.readString(report)).isEqualTo(run.out());
    }

    @Test
    void exitsWithTwoWhenABenchmarkIsUnknown() {
        CliRunner.Run run = CliRunner.run("bench", "--only", "nope");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(run.err()).contains("--only");
    }
}
