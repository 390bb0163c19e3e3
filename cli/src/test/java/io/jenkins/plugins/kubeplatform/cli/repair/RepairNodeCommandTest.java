package io.jenkins.plugins.kubeplatform.cli.repair;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.kubeplatform.cli.CliRunner;
import io.jenkins.plugins.kubeplatform.engine.repair.MaintenanceRecord;
import io.jenkins.plugins.kubeplatform.engine.store.Json;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepairNodeCommandTest {

    static SimulatedCluster sim;
    @TempDir
    static Path dir;
    static Path config;

    @BeforeAll
    static void start() throws Exception {
        sim = SimulatedCluster.start(SimOptions.builder().builtInControllers(false).createMissingNamespaces(true).build());
        config = dir.resolve("kubeplatform.yaml");
        Files.writeString(config, """
                clusters:
                  - name: sim
                    serverUrl: %s
                repair:
                  deregistrationGrace: 100ms
                  stabilizationWindow: 200ms
                  recheckInterval: 1s
                """.formatted(sim.url()));
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @Test
    void repairsANodeWithTheGivenCommandAndPrintsTheTimelineAsJson() throws Exception {
        CliRunner.Run run = CliRunner.run("--config", config.toString(), "--output", "json", "repair-node",
                "--node", "node-1", "--exec", "echo fixing $KUBEPLATFORM_NODE", "--owner", "cli-test");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode result = Json.mapper().readTree(run.out());
        assertThat(result.path("outcome").asText()).isEqualTo("REPAIRED");
        assertThat(result.path("timeline")).extracting(e -> e.path("state").asText())
                .contains("CORDONED", "DRAINING", "REPAIRING", "VERIFYING", "RELEASED");
        assertThat(run.err()).contains("repair node-1: fixing node-1");
        assertThat(sim.client().nodes().withName("node-1").get().getMetadata().getAnnotations())
                .doesNotContainKey(MaintenanceRecord.ANNOTATION);
    }

    @Test
    void exitsWithOneAndLeavesTheNodeCordonedWhenTheCommandFails() {
        CliRunner.Run run = CliRunner.run("--config", config.toString(), "repair-node", "--node", "node-2",
                "--exec", "exit 3", "--owner", "cli-test");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("FAILED: repair of node-2 failed: repair failed: repair command exited with status 3");
        assertThat(sim.client().nodes().withName("node-2").get().getSpec().getUnschedulable()).isTrue();
    }

    @Test
    void rejectsMissingNodeAndMissingCommandBeforeTouchingTheCluster() {
        sim.requests().clear();
        assertThat(CliRunner.run("--config", config.toString(), "repair-node", "--exec", "true").exitCode()).isEqualTo(2);
        CliRunner.Run noCommand = CliRunner.run("--config", config.toString(), "repair-node", "--node", "node-3");
        assertThat(noCommand.exitCode()).isEqualTo(2);
        assertThat(noCommand.err()).contains("--exec");
        assertThat(CliRunner.run("--config", config.toString(), "repair-node", "--node", "Bad_Name", "--exec", "true")
                .exitCode()).isEqualTo(2);
        assertThat(sim.requests().list()).noneMatch(r -> !r.verb().equals("get") && !r.verb().equals("list"));
    }
}
