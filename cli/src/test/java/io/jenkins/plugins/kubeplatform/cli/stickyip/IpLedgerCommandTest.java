package io.jenkins.plugins.kubeplatform.cli.stickyip;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.kubeplatform.cli.CliRunner;
import io.jenkins.plugins.kubeplatform.stickyip.IpReservationLedger;
import io.jenkins.plugins.kubeplatform.stickyip.PoolSettings;
import io.jenkins.plugins.kubeplatform.stickyip.ReplicaIdentity;
import io.jenkins.plugins.kubeplatform.store.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IpLedgerCommandTest {

    @TempDir
    Path dir;

    private Path config;

    @BeforeEach
    void writeConfig() throws Exception {
        config = dir.resolve("kubeplatform.yaml");
        Files.writeString(config, "pools:\n  - name: default\n    ranges: [10.42.200.0/29]\n    keepNamespaces: [keep]\n");
    }

    private void reserve(String ns, String name, int n) {
        IpReservationLedger ledger = IpReservationLedger.open(dir.resolve("state"), Clock.systemUTC());
        var pool = new PoolSettings("default", List.of("10.42.200.0/29"), List.of(), null, null, List.of(), null, null,
                false).toPool();
        ledger.reserve(pool, java.util.stream.IntStream.range(0, n).mapToObj(i -> new ReplicaIdentity(ns, name, i)).toList(),
                Set.of(), Set.of(), "test");
    }

    private CliRunner.Run run(String... args) {
        String[] all = new String[args.length + 4];
        all[0] = "--config";
        all[1] = config.toString();
        all[2] = "--state-dir";
        all[3] = dir.resolve("state").toString();
        System.arraycopy(args, 0, all, 4, args.length);
        return CliRunner.run(all);
    }

    @Test
    void listsReservationsAndPoolUsageAsOneJsonObject() throws Exception {
        reserve("shop", "web", 2);

        CliRunner.Run run = run("--output", "json", "ip-ledger", "list");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode json = Json.mapper().readTree(run.out());
        assertThat(json.get("reservations")).hasSize(2);
        assertThat(json.get("reservations").get(0).get("ip").asText()).isEqualTo("10.42.200.1");
        assertThat(json.get("pools").get(0).get("free").asLong()).isEqualTo(4);
    }

    @Test
    void releasesOnlyWhenTheIdentityStillHoldsTheAddress() {
        reserve("shop", "web", 1);

        CliRunner.Run wrongIp = run("ip-ledger", "release", "--identity", "shop/web-0", "--ip", "10.42.200.5");
        CliRunner.Run unknown = run("ip-ledger", "release", "--identity", "shop/nope-0");
        CliRunner.Run ok = run("ip-ledger", "release", "--identity", "shop/web-0", "--ip", "10.42.200.1");

        assertThat(wrongIp.exitCode()).isEqualTo(2);
        assertThat(wrongIp.err()).contains("holds 10.42.200.1, not 10.42.200.5");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(ok.exitCode()).as(ok.err()).isZero();
        assertThat(IpReservationLedger.open(dir.resolve("state"), Clock.systemUTC()).list()).isEmpty();
    }

    @Test
    void rejectsBadDeployInputWithExitCodeTwoBeforeTouchingAnything() {
        CliRunner.Run run = run("sticky-deploy", "--namespace", "shop", "--name", "Web_App", "--image", "nginx",
                "--port", "8080", "--server", "http://127.0.0.1:1");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("name").contains("DNS-1123");
        assertThat(dir.resolve("state")).doesNotExist();
    }

    @Test
    void rejectsAnUnknownPoolWithExitCodeTwo() {
        CliRunner.Run run = run("sticky-deploy", "--namespace", "shop", "--name", "web", "--image", "nginx",
                "--port", "8080", "--pool", "missing", "--server", "http://127.0.0.1:1");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("pool").contains("configured: default");
    }
}
