package io.jenkins.plugins.kubeplatform.engine.stickyip;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.repair.NodeRepairer;
import io.jenkins.plugins.kubeplatform.engine.repair.RepairOutcome;
import io.jenkins.plugins.kubeplatform.engine.repair.RepairRequest;
import io.jenkins.plugins.kubeplatform.engine.repair.RepairResult;
import io.jenkins.plugins.kubeplatform.engine.repair.RepairSettings;
import io.jenkins.plugins.kubeplatform.engine.repair.TimelineEntry;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * repairNode on a node that runs a pod of a sticky app: the pod leaves its Service's endpoints (the traffic label
 * stickyIpDeploy puts on pods and Service selector) before it is evicted.
 */
class StickyRepairSimTest {

    static final RepairSettings FAST = RepairSettings.builder().maxConcurrent(1).leaseTtl(Duration.ofSeconds(30))
            .leaseWaitTimeout(Duration.ofSeconds(20)).deregistrationGrace(Duration.ofMillis(200))
            .deregistrationTimeout(Duration.ofSeconds(10)).taskTimeout(Duration.ofSeconds(20))
            .drainTimeout(Duration.ofSeconds(30)).repairTimeout(Duration.ofSeconds(10))
            .verifyTimeout(Duration.ofSeconds(10)).stabilizationWindow(Duration.ofMillis(300))
            .recheckInterval(Duration.ofSeconds(1)).build();

    @TempDir
    Path stateDir;

    SimulatedCluster sim;

    @BeforeEach
    void start() {
        sim = TestNamespaces.with(SimulatedCluster.start(SimOptions.builder().speed(100).build()), "shop");
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void takesAStickyPodOutOfItsServiceBeforeEvictingIt() throws Exception {
        IpReservationLedger ledger = new IpReservationLedger(new JournaledLedgerStore(stateDir.resolve("ip-ledger")),
                Clock.systemUTC(), new Random(1));
        new StickyIpDeployer(sim.client(), Map.of("shop-pool", Pools.pool("shop-pool", "10.42.200.0/24")), ledger,
                StickyIpDeployerSimTest.fastRetry())
                .deploy(DeployRequest.of("shop", "web", "registry.example.com/shop/web:1", 2, 8080, "shop-pool")
                        .withTimeout(Duration.ofSeconds(60)), Progress.silent());
        Pod pod = sim.client().pods().inNamespace("shop").withLabel(StickyIpLabels.NAME, "web").list().getItems()
                .get(0);
        String podName = pod.getMetadata().getName();
        String node = pod.getSpec().getNodeName();
        sim.client().discovery().v1().endpointSlices().inNamespace("shop").withLabel("kubernetes.io/service-name", "web")
                .informOnCondition(slices -> lists(slices, podName)).get(30, TimeUnit.SECONDS);
        AtomicReference<Instant> leftEndpoints = new AtomicReference<>();
        Watch watch = sim.client().discovery().v1().endpointSlices().inNamespace("shop")
                .withLabel("kubernetes.io/service-name", "web").watch(new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, EndpointSlice slice) {
                        if (!lists(List.of(slice), podName)) {
                            leftEndpoints.compareAndSet(null, Instant.now());
                        }
                    }

                    @Override
                    public void onClose(WatcherException cause) {
                    }
                });
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        RepairResult result;
        try {
            result = new NodeRepairer(sim.client(), StickyIpDeployerSimTest.fastRetry(), FAST, Clock.systemUTC())
                    .repair(RepairRequest.of(node, "ops/repair#1"), (n, p) -> { }, Progress.lines(l -> log.add(Instant.now() + " " + l)));
        } finally {
            watch.close();
        }

        assertThat(result.outcome()).as(result.message() + "\n" + String.join("\n", log)).isEqualTo(RepairOutcome.REPAIRED);
        assertThat(log).as(String.join("\n", log)).noneMatch(l -> l.contains("no serving pods"));
        assertThat(result.timeline()).extracting(TimelineEntry::state).contains("DEREGISTERING");
        List<ApiRequest> evictions = sim.requests().matching(r -> "eviction".equals(r.subresource())
                && podName.equals(r.name()));
        assertThat(evictions).as("the sticky pod was evicted").isNotEmpty();
        assertThat(leftEndpoints.get()).as("the pod left the Service's endpoints").isNotNull();
        assertThat(evictions.get(0).at()).as("evicted after it left the endpoints")
                .isAfterOrEqualTo(leftEndpoints.get().minusMillis(1));
    }

    private static boolean lists(List<EndpointSlice> slices, String pod) {
        return slices.stream().filter(s -> s.getEndpoints() != null).flatMap(s -> s.getEndpoints().stream())
                .anyMatch(e -> e.getTargetRef() != null && pod.equals(e.getTargetRef().getName())
                        && !Boolean.FALSE.equals(e.getConditions() == null ? null : e.getConditions().getReady()));
    }
}
