package io.jenkins.plugins.kubeplatform.engine.stickyip;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.kube.KubernetesClients;
import io.jenkins.plugins.kubeplatform.sim.ApiRequest;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 14 item 3: the server closes every watch (at once, or after a while) and the deploy still ends within about
 * a second of the pod becoming Running and Ready, as the simulated kubelet recorded it. And when every watch is served
 * but never delivers an event (a half-open connection, a proxy holding the stream), the deploy still succeeds: it
 * lists once more before it decides on a timeout.
 */
class WatchDropSimTest {

    @TempDir
    Path stateDir;

    private SimulatedCluster sim;
    private KubernetesClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (sim != null) {
            sim.close();
        }
    }

    @ParameterizedTest(name = "watches dropped after {0} ms")
    @ValueSource(ints = {0, 300})
    void finishesWithinASecondOfThePodBecomingReadyWhenEveryWatchIsDropped(int dropAfterMillis) {
        sim = TestNamespaces.with(SimulatedCluster.start(SimOptions.builder().speed(1)
                .imagePullDelay(Duration.ofMillis(1500)).containerStartDelay(Duration.ofMillis(1000)).build()),
                "shop");
        client = KubernetesClients.create(sim.client().getConfiguration());
        sim.faults().dropEveryWatch(Duration.ofMillis(dropAfterMillis));
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        StickyIpDeployer deployer = new StickyIpDeployer(client,
                Map.of("default", Pools.pool("default", "10.42.200.0/24")),
                new IpReservationLedger(new JournaledLedgerStore(stateDir.resolve("ip-ledger")), Clock.systemUTC(),
                        new Random(1)), StickyIpDeployerSimTest.fastRetry());

        DeployResult result = deployer.deploy(DeployRequest.of("shop", "web", "registry.example.com/web:1", 1, 8080,
                "default").withTimeout(Duration.ofSeconds(40)), Progress.lines(lines::add));
        Instant finished = Instant.now();

        assertThat(result.ips()).hasSize(1);
        assertThat(sim.faults().injected().get("drop-watch")).as("watches dropped").isGreaterThanOrEqualTo(2);
        Instant ready = sim.requests().allIncludingInternal().stream()
                .filter(r -> r.internal() && r.resource().equals("pods") && r.namespace().equals("shop")
                        && r.status() < 300 && (r.verb().equals("update") || r.verb().equals("patch")))
                .map(ApiRequest::at).filter(at -> !at.isAfter(finished)).max(Instant::compareTo).orElseThrow();
        Duration lag = Duration.between(ready, finished);
        System.out.println("[watch-drop " + dropAfterMillis + " ms] deploy ended " + lag.toMillis()
                + " ms after the kubelet's last pod status write; drop-watch faults: "
                + sim.faults().injected().get("drop-watch"));
        assertThat(lag).as("deploy end after the pod became Ready").isLessThan(Duration.ofMillis(1500));
    }

    @org.junit.jupiter.api.Test
    void succeedsAtItsTimeoutByListingAgainWhenEveryWatchIsServedButSilent() {
        sim = TestNamespaces.with(SimulatedCluster.start(SimOptions.builder().speed(10).build()), "shop");
        client = KubernetesClients.create(sim.client().getConfiguration());
        sim.faults().stallEveryWatch();
        StickyIpDeployer deployer = new StickyIpDeployer(client,
                Map.of("default", Pools.pool("default", "10.42.200.0/24")),
                new IpReservationLedger(new JournaledLedgerStore(stateDir.resolve("ip-ledger")), Clock.systemUTC(),
                        new Random(1)), StickyIpDeployerSimTest.fastRetry());

        DeployResult result = deployer.deploy(DeployRequest.of("shop", "web", "registry.example.com/web:1", 1, 8080,
                "default").withTimeout(Duration.ofSeconds(3)), Progress.silent());

        assertThat(result.ips()).as("Ready, seen only by the list before deciding on a timeout").hasSize(1);
        assertThat(sim.faults().injected().get("stall-watch")).as("silent watches").isGreaterThanOrEqualTo(1);
    }
}
