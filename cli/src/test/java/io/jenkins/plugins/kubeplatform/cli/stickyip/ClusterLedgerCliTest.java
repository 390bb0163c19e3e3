package io.jenkins.plugins.kubeplatform.cli.stickyip;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.jenkins.plugins.kubeplatform.cli.CliRunner;
import io.jenkins.plugins.kubeplatform.engine.kube.ApiRetry;
import io.jenkins.plugins.kubeplatform.engine.stickyip.ClusterLedgerStore;
import io.jenkins.plugins.kubeplatform.engine.stickyip.LedgerChange;
import io.jenkins.plugins.kubeplatform.engine.stickyip.LedgerStore;
import io.jenkins.plugins.kubeplatform.engine.stickyip.Reservation;
import io.jenkins.plugins.kubeplatform.engine.store.Json;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code stickyIp.ledgerStore: cluster}: two CLIs with separate state directories share one ledger in the cluster. */
class ClusterLedgerCliTest {

    private static SimulatedCluster sim;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        sim = SimulatedCluster.start(SimOptions.builder().createMissingNamespaces(true).build());
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    private Path config(String store) throws Exception {
        return Files.writeString(dir.resolve(store + ".yaml"), """
                stickyIp:
                  ledgerStore: %s
                  ledgerNamespace: kp-ledger
                  pools:
                    - name: default
                      ranges: [10.42.200.0/28]
                """.formatted(store));
    }

    private CliRunner.Run run(Path config, String stateDir, String... args) {
        return CliRunner.run(Stream.concat(Stream.of("--server", sim.url(), "--config", config.toString(),
                "--state-dir", dir.resolve(stateDir).toString()), Stream.of(args)).toArray(String[]::new));
    }

    @Test
    void twoControllersWithTheirOwnStateDirectoriesShareTheClusterLedger() throws Exception {
        Path config = config("cluster");

        CliRunner.Run first = run(config, "controller-a", "sticky-deploy", "-n", "shared", "--name", "web",
                "--image", "nginx:1.27", "--replicas", "2", "--port", "80");
        CliRunner.Run second = run(config, "controller-b", "sticky-deploy", "-n", "shared", "--name", "api",
                "--image", "nginx:1.27", "--replicas", "2", "--port", "80");
        CliRunner.Run list = run(config, "controller-a", "-o", "json", "ip-ledger", "list");

        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(list.exitCode()).as(list.err()).isZero();
        JsonNode reservations = Json.mapper().readTree(list.out()).get("reservations");
        List<String> identities = new ArrayList<>();
        Set<String> ips = new HashSet<>();
        reservations.forEach(r -> {
            identities.add(r.get("identity").asText());
            ips.add(r.get("ip").asText());
        });
        assertThat(identities).containsExactlyInAnyOrder("shared/web-0", "shared/web-1", "shared/api-0", "shared/api-1");
        assertThat(ips).hasSize(4);
        // the ledger is in the cluster, one ConfigMap per address; nothing under either state directory
        List<ConfigMap> objects = sim.client().configMaps().inNamespace("kp-ledger")
                .withLabel("kubeplatform.io/store", "ip-ledger").list().getItems();
        assertThat(objects).extracting(cm -> cm.getMetadata().getName())
                .containsExactlyInAnyOrderElementsOf(ips.stream().map(ip -> "kubeplatform-ip-" + ip).toList());
        assertThat(dir.resolve("controller-a/ip-ledger")).doesNotExist();
        assertThat(dir.resolve("controller-b/ip-ledger")).doesNotExist();
        // the pods run with the addresses the shared ledger gave them
        Set<String> podIps = new HashSet<>();
        sim.client().pods().inNamespace("shared").list().getItems().forEach(p -> podIps.add(p.getMetadata()
                .getAnnotations().get("cni.projectcalico.org/ipAddrs")));
        assertThat(podIps).hasSize(4);
    }

    @Test
    void migrateCopiesTheFileLedgerOnceAndRefusesAClusterLedgerThatDisagrees() throws Exception {
        Path file = config("file");
        Path cluster = Files.writeString(dir.resolve("migrate.yaml"), Files.readString(config("cluster"))
                .replace("kp-ledger", "kp-migrate"));
        CliRunner.Run deploy = run(file, "controller", "sticky-deploy", "-n", "shop", "--name", "db", "--image",
                "postgres:16", "--replicas", "2", "--port", "5432");
        assertThat(deploy.exitCode()).as(deploy.err()).isZero();
        JsonNode fileLedger = Json.mapper().readTree(run(file, "controller", "-o", "json", "ip-ledger", "list").out());

        CliRunner.Run first = run(cluster, "controller", "-o", "json", "ip-ledger", "migrate");
        CliRunner.Run again = run(cluster, "controller", "-o", "json", "ip-ledger", "migrate");
        JsonNode clusterLedger = Json.mapper().readTree(run(cluster, "controller", "-o", "json", "ip-ledger", "list")
                .out());

        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(Json.mapper().readTree(first.out()).get("copied").asInt()).isEqualTo(2);
        assertThat(Json.mapper().readTree(again.out()).get("copied").asInt()).isZero();
        assertThat(pairs(clusterLedger)).isEqualTo(pairs(fileLedger)).hasSize(2);

        // another writer gives shop/db-0 another address in the cluster: nothing is copied
        String db0 = "shop/db-0";
        ClusterLedgerStore store = new ClusterLedgerStore(sim.client(), "kp-migrate", ApiRetry.defaults(),
                new Random(1));
        Reservation moved = store.read(view -> view.get(db0)).map(r -> new Reservation(r.identity(), r.pool(),
                "10.42.200.14", r.kind(), r.state(), r.node(), r.idleSince(), r.owner(), r.created(), r.revision() + 1))
                .orElseThrow();
        store.update(view -> new LedgerStore.Decision<>(List.of(new LedgerChange.Put(moved)), null));
        CliRunner.Run refused = run(cluster, "controller", "ip-ledger", "migrate");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("nothing was migrated").contains(db0 + " holds 10.42.200.14 in the cluster");
        assertThat(pairs(Json.mapper().readTree(run(cluster, "controller", "-o", "json", "ip-ledger", "list").out())))
                .contains(db0 + "=10.42.200.14").hasSize(2);
    }

    private static Set<String> pairs(JsonNode list) {
        Set<String> out = new HashSet<>();
        list.get("reservations").forEach(r -> out.add(r.get("identity").asText() + "=" + r.get("ip").asText()));
        return out;
    }

    @Test
    void verifyNamesAClusterLedgerObjectChangedByHand() throws Exception {
        Path config = Files.writeString(dir.resolve("verify.yaml"), Files.readString(config("cluster"))
                .replace("kp-ledger", "kp-verify"));
        CliRunner.Run deploy = run(config, "c", "sticky-deploy", "-n", "shop", "--name", "queue", "--image",
                "rabbitmq:3", "--port", "5672");
        assertThat(deploy.exitCode()).as(deploy.err()).isZero();
        CliRunner.Run healthy = run(config, "c", "ip-ledger", "verify");
        ConfigMap object = sim.client().configMaps().inNamespace("kp-verify")
                .withLabel("kubeplatform.io/store", "ip-ledger").list().getItems().get(0);
        object.getData().put("reservation", "{\"identity\": \"shop/queue-0\"");
        sim.client().configMaps().inNamespace("kp-verify").resource(object).update();

        CliRunner.Run damaged = run(config, "c", "ip-ledger", "verify");

        assertThat(healthy.exitCode()).as(healthy.out() + healthy.err()).isZero();
        assertThat(damaged.exitCode()).isEqualTo(1);
        assertThat(damaged.out()).contains("DAMAGED").contains(object.getMetadata().getName())
                .contains("changed by hand");
    }

    @Test
    void anUnknownLedgerStoreIsAnInputErrorNamingTheKey() throws Exception {
        Path config = config("etcd");

        CliRunner.Run run = run(config, "x", "ip-ledger", "list");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("stickyIp.ledgerStore").contains("file or cluster");
    }
}
