package io.jenkins.plugins.kubeplatform.cli.stickyip;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.jenkins.plugins.kubeplatform.cli.CliRunner;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import io.jenkins.plugins.kubeplatform.store.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
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

        CliRunner.Run first = run(config, "controller-a", "sticky-deploy", "-n", "shop", "--name", "web",
                "--image", "nginx:1.27", "--replicas", "2", "--port", "80");
        CliRunner.Run second = run(config, "controller-b", "sticky-deploy", "-n", "shop", "--name", "api",
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
        assertThat(identities).containsExactlyInAnyOrder("shop/web-0", "shop/web-1", "shop/api-0", "shop/api-1");
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
        sim.client().pods().inNamespace("shop").list().getItems().forEach(p -> podIps.add(p.getMetadata()
                .getAnnotations().get("cni.projectcalico.org/ipAddrs")));
        assertThat(podIps).hasSize(4);
    }

    @Test
    void anUnknownLedgerStoreIsAnInputErrorNamingTheKey() throws Exception {
        Path config = config("etcd");

        CliRunner.Run run = run(config, "x", "ip-ledger", "list");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("stickyIp.ledgerStore").contains("file or cluster");
    }
}
