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
    void printsOneJsonObjectWithTheLedgerFiguresAtTheGivenSize() throws Exception {
        CliRunner.Run run = CliRunner.run("--output", "json", "bench", "--only", "ip-ledger", "--size", "500",
                "--allocations", "20");

        assertThat(run.exitCode()).as(run.err()).isZero();
        var json = io.jenkins.plugins.kubeplatform.engine.store.Json.mapper().readTree(run.out());
        var scenarios = new java.util.ArrayList<String>();
        json.get("measurements").forEach(m -> scenarios.add(m.get("scenario").asText() + " " + m.get("metric").asText()));
        assertThat(scenarios).contains("durable allocation, 500 reserved (/12, lowest free) p99.9",
                "allocation p99 / raw append p99, 500 reserved ratio", "heap per reservation, 500 reserved bytes",
                "longest allocation while compaction and GC ran, 500 reserved max");
        json.get("measurements").forEach(m -> {
            if (m.get("scenario").asText().startsWith("durable allocation")) {
                assertThat(m.get("value").asDouble()).isPositive();
            }
        });
    }

    @Test
    void exitsWithTwoWhenABenchmarkIsUnknown() {
        CliRunner.Run run = CliRunner.run("bench", "--only", "nope");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(run.err()).contains("--only");
    }
}
