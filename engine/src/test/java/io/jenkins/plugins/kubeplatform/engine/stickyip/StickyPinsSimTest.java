package io.jenkins.plugins.kubeplatform.engine.stickyip;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.repair.NodeRepairer;
import io.jenkins.plugins.kubeplatform.engine.repair.RepairOutcome;
import io.jenkins.plugins.kubeplatform.engine.repair.RepairRequest;
import io.jenkins.plugins.kubeplatform.engine.repair.RepairResult;
import io.jenkins.plugins.kubeplatform.engine.repair.RepairSettings;
import io.jenkins.plugins.kubeplatform.engine.repair.TimelineEntry;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIP-15: a required pin does not leave a pod Pending when its node is drained or lost. */
class StickyPinsSimTest {

    private static final RepairSettings FAST = RepairSettings.builder().maxConcurrent(1)
            .leaseTtl(Duration.ofSeconds(30)).leaseWaitTimeout(Duration.ofSeconds(20))
            .deregistrationGrace(Duration.ofMillis(200)).deregistrationTimeout(Duration.ofSeconds(5))
            .taskTimeout(Duration.ofSeconds(20)).drainTimeout(Duration.ofSeconds(30))
            .repairTimeout(Duration.ofSeconds(10)).verifyTimeout(Duration.ofSeconds(10))
            .stabilizationWindow(Duration.ofMillis(300)).recheckInterval(Duration.ofSeconds(1)).build();

    @TempDir
    Path stateDir;

    private SimulatedCluster sim;

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    private IpReservationLedger ledger;

    private IpReservationLedger ledger() {
        if (ledger == null) {
            ledger = new IpReservationLedger(new JournaledLedgerStore(stateDir.resolve("ip-ledger")), Clock.systemUTC(),
                    new Random(1));
        }
        return ledger;
    }

    private StickyIpDeployer deployer() {
        IpPool pool = PoolSettings.builder("default").ranges("10.42.200.0/24").reclaimAfter("1h")
                .nodePinning("required").build().toPool();
        return new StickyIpDeployer(sim.client(), Map.of("default", pool), ledger(),
                StickyIpDeployerSimTest.fastRetry());
    }

    private static DeployRequest web(String image) {
        return DeployRequest.of("shop", "web", image, 2, 8080, "default").withTimeout(Duration.ofSeconds(60));
    }

    /** Deploys twice: the second rollout pins every identity `required` to the node it ran on. */
    private DeployResult requiredPinned() {
        deployer().deploy(web("registry.example.com/web:1"), Progress.silent());
        DeployResult pinned = deployer().deploy(web("registry.example.com/web:2"), Progress.silent());
        Deployment d = sim.client().apps().deployments().inNamespace("shop").withName("web-0").get();
        assertThat(d.getSpec().getTemplate().getSpec().getAffinity().getNodeAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution()).as("required pin").isNotNull();
        return pinned;
    }

    private Pod readyElsewhere(String identity, String node) throws Exception {
        return sim.client().pods().inNamespace("shop").withLabel(StickyIpLabels.IDENTITY, identity)
                .informOnCondition(pods -> pods.stream().anyMatch(p -> p.getMetadata().getDeletionTimestamp() == null
                        && ClusterObserver.isReady(p) && !node.equals(p.getSpec().getNodeName())))
                .get(60, TimeUnit.SECONDS).stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null && ClusterObserver.isReady(p))
                .findFirst().orElseThrow();
    }

    @Test
    void movesARequiredPinnedIdentityOffADrainedNodeWithItsAddress() throws Exception {
        sim = TestNamespaces.with(SimulatedCluster.start(SimOptions.builder().speed(100).build()));
        DeployResult.IdentityResult web0 = requiredPinned().identities().get(0);
        List<String> log = Collections.synchronizedList(new ArrayList<>());

        java.time.Instant before = java.time.Instant.now();
        RepairResult repaired = new NodeRepairer(sim.client(), StickyIpDeployerSimTest.fastRetry(), FAST,
                Clock.systemUTC()).recordingPinReleasesIn(ledger()).repair(RepairRequest.of(web0.node(), "test#1"), (node, p) -> { },
                Progress.lines(log::add));

        assertThat(repaired.outcome()).as(repaired.message()).isEqualTo(RepairOutcome.REPAIRED);
        Pod moved = readyElsewhere("web-0", web0.node());
        assertThat(moved.getStatus().getPodIP()).isEqualTo(web0.ip());
        assertThat(repaired.timeline()).extracting(TimelineEntry::what)
                .anyMatch(w -> w.contains("released the required pin of sticky identity shop/web-0")
                        && w.contains(web0.ip()));
        Deployment d = sim.client().apps().deployments().inNamespace("shop").withName("web-0").get();
        assertThat(d.getMetadata().getAnnotations().get(StickyPins.RELEASED)).contains(web0.node())
                .contains("cordoned by repairNode (test#1)");
        // the ledger records it on the reservation, which keeps its address
        Reservation r = ledger().get("shop/web-0").orElseThrow();
        assertThat(r.ip()).isEqualTo(web0.ip());
        assertThat(r.pinRelease().node()).isEqualTo(web0.node());
        assertThat(r.pinRelease().reason()).isEqualTo("node " + web0.node() + " cordoned by repairNode (test#1)");
        assertThat(r.pinRelease().at()).isAfterOrEqualTo(before).isBeforeOrEqualTo(java.time.Instant.now());
        assertThat(repaired.timeline()).extracting(TimelineEntry::what)
                .anyMatch(w -> w.contains("cordoned by repairNode (test#1)"));
    }

    @Test
    void releasesThePinToADeletedNodeInThePeriodicMaintenance() throws Exception {
        sim = TestNamespaces.with(SimulatedCluster.start(SimOptions.builder().speed(100).build()));
        DeployResult.IdentityResult web1 = requiredPinned().identities().get(1);
        sim.client().nodes().withName(web1.node()).delete();

        List<StickyPins.Released> released = new StickyPins(sim.client(), StickyIpDeployerSimTest.fastRetry(),
                Clock.systemUTC(), java.util.Optional.of(ledger())).releaseLost(Duration.ofMinutes(5), Progress.silent());

        assertThat(released).extracting(StickyPins.Released::identity).containsExactly("shop/web-1");
        assertThat(ledger().get("shop/web-1").orElseThrow().pinRelease().reason())
                .isEqualTo("node " + web1.node() + " was deleted");
        assertThat(ledger().get("shop/web-0").orElseThrow().pinRelease()).isNull();
        assertThat(released.get(0).ip()).isEqualTo(web1.ip());
        Pod moved = readyElsewhere("web-1", web1.node());
        assertThat(moved.getStatus().getPodIP()).isEqualTo(web1.ip());
    }

    @Test
    void leavesPinsToReadyNodesAlone() {
        sim = TestNamespaces.with(SimulatedCluster.start(SimOptions.builder().speed(100).build()));
        requiredPinned();

        List<StickyPins.Released> released = new StickyPins(sim.client(), StickyIpDeployerSimTest.fastRetry(),
                Clock.systemUTC()).releaseLost(Duration.ofMinutes(5), Progress.silent());

        assertThat(released).isEmpty();
    }
}
