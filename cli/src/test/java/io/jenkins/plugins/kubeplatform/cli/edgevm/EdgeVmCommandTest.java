package io.jenkins.plugins.kubeplatform.cli.edgevm;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kubeplatform.cli.CliRunner;
import io.jenkins.plugins.kubeplatform.engine.store.Json;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kubeplatform edge-vm} with the shipped example configuration against the simulated cluster. */
class EdgeVmCommandTest {

    static SimulatedCluster sim;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        sim = SimulatedCluster.start(SimOptions.builder().speed(100).createMissingNamespaces(true).build());
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    /** The example configuration, pointed at this test's cluster. */
    Path config() throws Exception {
        Path examples = Path.of("..", "docs", "examples");
        Path config = dir.resolve("kubeplatform.yaml");
        Files.writeString(config, Files.readString(examples.resolve("kubeplatform.yaml"))
                .replace("http://127.0.0.1:8001", sim.url()));
        Files.copy(examples.resolve("edge-join-token.sim"), dir.resolve("edge-join-token.sim"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return config;
    }

    CliRunner.Run run(String... args) throws Exception {
        String[] all = new String[args.length + 4];
        all[0] = "--config";
        all[1] = config().toString();
        all[2] = "--state-dir";
        all[3] = dir.resolve("state").toString();
        System.arraycopy(args, 0, all, 4, args.length);
        return CliRunner.run(all);
    }

    @Test
    void createsListsAndDeletesAnEdgeVmWithTheExampleConfiguration() throws Exception {
        CliRunner.Run created = run("--output", "json", "edge-vm", "create", "--name", "web", "--tenant", "demo",
                "--cpu", "2", "--memory", "2Gi", "--disk", "10Gi", "--image", "quay.io/containerdisks/ubuntu:22.04",
                "--location", "48.85,2.35");

        assertThat(created.exitCode()).as(created.err()).isZero();
        var json = Json.mapper().readTree(created.out());
        assertThat(json.path("site").asText()).isEqualTo("paris");
        assertThat(json.path("edgeCluster").asText()).isEqualTo("edge-par");
        assertThat(json.path("state").asText()).isEqualTo("RUNNING");
        assertThat(created.err()).contains("[plan] edge VM demo-web", "edge cluster chosen: edge-par");
        assertThat(created.out() + created.err()).doesNotContain("K10simulated-demo-token");

        CliRunner.Run csv = run("edge-vm", "inventory", "--csv");
        assertThat(csv.exitCode()).isZero();
        assertThat(csv.out()).startsWith("tenant,name,vm,site,edgeCluster").contains("demo,web,demo-web,paris,edge-par");

        CliRunner.Run release = run("--output", "json", "edge-vm", "release", "--name", "web", "--dry-run");
        assertThat(release.exitCode()).as(release.err()).isZero();
        var releasePlan = Json.mapper().readTree(release.out());
        assertThat(releasePlan.path("objects").findValuesAsText("kind")).as("the VM is kept")
                .contains("Node").doesNotContain("VirtualMachine");
        assertThat(releasePlan.path("state").findValuesAsText("change")).containsExactly("update");

        CliRunner.Run deleted = run("edge-vm", "delete", "--name", "web");
        assertThat(deleted.exitCode()).as(deleted.err()).isZero();
        assertThat(deleted.out()).startsWith("deleted: edge VM demo-web");
        assertThat(run("edge-vm", "inventory", "--csv").out()).contains("DELETED");
    }

    @Test
    void exitsWithTwoAndChangesNothingWhenTheQuotaIsExceeded() throws Exception {
        sim.requests().clear();

        CliRunner.Run run = run("edge-vm", "create", "--name", "huge", "--tenant", "demo", "--cpu", "12",
                "--memory", "2Gi", "--disk", "10Gi", "--image", "quay.io/containerdisks/ubuntu:22.04");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("quota exceeded");
        assertThat(sim.requests().matching(r -> !r.internal() && !r.isReview())).allSatisfy(r -> assertThat(r.verb()).isIn("get", "list", "watch"));
    }

    @Test
    void exitsWithTwoNamingTheFieldForBadInput() throws Exception {
        CliRunner.Run run = run("edge-vm", "create", "--name", "Bad_Name", "--tenant", "demo", "--cpu", "1",
                "--memory", "1Gi", "--disk", "1Gi", "--image", "quay.io/containerdisks/ubuntu:22.04");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("name");
    }

    /** The declared rules of edgeVms refuse a bad site value or an unknown key at load: exit 2, no API request. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "memory: lots  | edgeVms.sites[lisbon].memory: must be a Kubernetes quantity such as 4Gi or 512Mi; got 'lots'",
            "colour: red   | edgeVms.sites[lisbon].colour: is not a key of section 'edgeVms.sites[]'"})
    void exitsWithTwoNamingTheItemAndKeyWhenASiteBreaksItsDeclaredRule(String entry, String message) throws Exception {
        Path config = dir.resolve("bad.yaml");
        Files.writeString(config, """
                kubePlatform: {clusters: [{name: sim, serverUrl: "%s"}]}
                edgeVms:
                  sites:
                    - {name: lisbon, namespace: edge-lisbon, location: "38.72,-9.14", %s}
                """.formatted(sim.url(), entry.trim()));
        long before = sim.requests().matching(r -> !r.internal()).size();

        CliRunner.Run run = CliRunner.run("--config", config.toString(), "--state-dir", dir.resolve("state").toString(),
                "edge-vm", "inventory");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).contains(message.trim());
        assertThat(sim.requests().matching(r -> !r.internal()).size()).isEqualTo(before);
    }
}
