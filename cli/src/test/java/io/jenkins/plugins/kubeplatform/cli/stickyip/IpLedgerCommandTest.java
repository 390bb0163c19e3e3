package io.jenkins.plugins.kubeplatform.cli.stickyip;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.kubeplatform.cli.CliRunner;
import io.jenkins.plugins.kubeplatform.engine.stickyip.IpReservationLedger;
import io.jenkins.plugins.kubeplatform.engine.stickyip.PoolSettings;
import io.jenkins.plugins.kubeplatform.engine.stickyip.ReplicaIdentity;
import io.jenkins.plugins.kubeplatform.engine.store.Json;
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
        var pool = PoolSettings.builder("default").ranges("10.42.200.0/29").build().toPool();
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
    void showsWhyAndWhenARequiredPinWasReleasedInTheTableAndInJson() throws Exception {
        reserve("shop", "web", 2);
        java.time.Instant at = java.time.Instant.now().minus(java.time.Duration.ofMinutes(12));
        IpReservationLedger.open(dir.resolve("state"), Clock.systemUTC()).recordPinRelease("shop/web-1",
                new io.jenkins.plugins.kubeplatform.engine.stickyip.Reservation.PinRelease(at, "n3",
                        "node n3 cordoned by repairNode (ops#7)"));

        CliRunner.Run json = run("--output", "json", "ip-ledger", "list");
        CliRunner.Run table = run("ip-ledger", "list");
        CliRunner.Run wide = run("--output", "wide", "ip-ledger", "list");

        assertThat(json.exitCode()).as(json.err()).isZero();
        JsonNode reservations = Json.mapper().readTree(json.out()).get("reservations");
        assertThat(reservations.get(0).get("pinRelease").isNull()).isTrue();
        JsonNode pin = reservations.get(1).get("pinRelease");
        assertThat(pin.get("node").asText()).isEqualTo("n3");
        assertThat(pin.get("reason").asText()).isEqualTo("node n3 cordoned by repairNode (ops#7)");
        assertThat(java.time.Instant.parse(pin.get("at").asText())).isEqualTo(at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        assertThat(table.out()).contains("PIN RELEASED").containsPattern("12m(\\d+s)? ago from n3")
                .doesNotContain("cordoned by repairNode");
        assertThat(wide.out()).contains("PIN RELEASE REASON").contains("node n3 cordoned by repairNode (ops#7)");
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

    @Test
    void verifyReportsAnEmptiedJournalWithExitCodeOneAndRestoreKeepsTheDamagedFile() throws Exception {
        reserve("keep", "kapp", 3);
        CliRunner.Run healthy = run("ip-ledger", "verify");
        assertThat(healthy.exitCode()).as(healthy.err()).isZero();
        assertThat(healthy.out()).contains("The ledger is intact.");
        Path journal = dir.resolve("state/ip-ledger/journal-0.log");
        Files.write(journal, new byte[0]);

        CliRunner.Run damaged = run("--output", "json", "ip-ledger", "verify");
        assertThat(damaged.exitCode()).isEqualTo(1);
        JsonNode json = Json.mapper().readTree(damaged.out());
        assertThat(json.get("healthy").asBoolean()).isFalse();
        assertThat(json.get("files").get(0).get("detail").asText()).contains("journal-0.log").contains("0 bytes long");
        CliRunner.Run list = run("ip-ledger", "list");
        assertThat(list.exitCode()).isNotZero();
        assertThat(list.err()).contains("journal-0.log").contains("ip-ledger restore");

        CliRunner.Run restore = run("ip-ledger", "restore");
        assertThat(restore.exitCode()).as(restore.err()).isZero();
        // the three reservations were one decision, so one journal record
        assertThat(restore.out()).contains("Restored 0 reservations from the journal up to record 0.")
                .contains("Records 1..1 were acknowledged but could not be read back");
        try (var files = Files.list(dir.resolve("state/ip-ledger"))) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("journal-0.log.damaged-"));
        }
        assertThat(run("ip-ledger", "verify").exitCode()).isZero();
    }

    @Test
    void verifyNamesReservationsOutsideTheirConfiguredPool() throws Exception {
        reserve("shop", "web", 3); // 10.42.200.1-3 of the /29
        Files.writeString(config, "pools:\n  - name: default\n    ranges: [10.42.200.1-10.42.200.2]\n");

        CliRunner.Run run = run("ip-ledger", "verify");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("OUTSIDE  shop/web-2 holds 10.42.200.3, outside pool 'default'")
                .doesNotContain("shop/web-0 holds");
    }
}
