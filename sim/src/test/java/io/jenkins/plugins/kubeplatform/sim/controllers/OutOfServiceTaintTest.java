package io.jenkins.plugins.kubeplatform.sim.controllers;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.jenkins.plugins.kubeplatform.sim.Pods;
import io.jenkins.plugins.kubeplatform.sim.SimNode;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Non-graceful node shutdown: the {@code node.kubernetes.io/out-of-service} taint, as kube-controller-manager's pod
 * garbage collector ({@code gcTerminating}) and taint eviction controller handle it.
 */
@Timeout(120)
class OutOfServiceTaintTest {

    private static final String OUT_OF_SERVICE = "node.kubernetes.io/out-of-service";
    private static final String UNREACHABLE = "node.kubernetes.io/unreachable";

    private SimulatedCluster sim;
    private KubernetesClient client;
    private final List<Watch> watches = new ArrayList<>();

    private void start(SimOptions.Builder options) {
        sim = SimulatedCluster.start(options.nodes(0).node(SimNode.builder("down").build())
                .node(SimNode.builder("spare").build()).node(SimNode.builder("up").build()).build());
        client = sim.client();
    }

    @AfterEach
    void stop() {
        watches.forEach(Watch::close);
        if (sim != null) {
            sim.close();
        }
    }

    @Test
    void forceDeletesATerminatingPodOfANotReadyNodeOnlyOnceTheNodeIsTaintedOutOfService() throws Exception {
        // 300 s of default unreachable toleration pass in 3 s
        start(SimOptions.builder().speed(100));
        Pods.create(client, on("down", Pods.pod("stranded")).build());
        Pods.create(client, on("spare", Pods.pod("witness")).build());
        Pods.awaitReady(client, "default", "stranded");
        Pods.awaitReady(client, "default", "witness");
        CompletableFuture<Pod> strandedGone = lastStateOf("stranded");
        CompletableFuture<Pod> witnessGone = lastStateOf("witness");

        sim.nodes().fail("down");
        sim.nodes().fail("spare");
        Pods.await(client, "default", "stranded", p -> p.getMetadata().getDeletionTimestamp() != null);
        Pods.await(client, "default", "witness", p -> p.getMetadata().getDeletionTimestamp() != null);
        taintOutOfService("spare");

        // Once the witness, tainted later, is collected, the untainted node's pod has had the same time and more.
        assertThat(witnessGone.get(60, TimeUnit.SECONDS).getStatus().getPhase()).isEqualTo("Failed");
        Pod stillThere = client.pods().inNamespace("default").withName("stranded").get();
        assertThat(stillThere).as("a Terminating pod of a NotReady node without the taint").isNotNull();
        assertThat(stillThere.getMetadata().getDeletionTimestamp()).isNotNull();
        assertThat(stillThere.getStatus().getPhase()).isEqualTo("Running");

        taintOutOfService("down");

        Pod last = strandedGone.get(60, TimeUnit.SECONDS);
        assertThat(last.getStatus().getPhase()).as("marked Failed before the force delete").isEqualTo("Failed");
        assertThat(condition(last, "DisruptionTarget")).hasValueSatisfying(c -> {
            assertThat(c.getStatus()).isEqualTo("True");
            assertThat(c.getReason()).as("set by the taint manager's eviction").isEqualTo("DeletionByTaintManager");
        });
    }

    @Test
    void evictsButDoesNotForceDeleteThePodsOfAReadyNodeTaintedOutOfService() throws Exception {
        // the kubelet of the Ready node takes 10 simulated minutes to stop a pod (6 s), the GC passes after 20 s (0.2 s)
        start(SimOptions.builder().speed(100).podTerminationDelay(Duration.ofMinutes(10)));
        Pods.create(client, on("up", Pods.pod("graceful")).editSpec().withTerminationGracePeriodSeconds(600L)
                .endSpec().build());
        Pods.create(client, on("spare", Pods.pod("witness")).build());
        Pods.awaitReady(client, "default", "graceful");
        Pods.awaitReady(client, "default", "witness");
        CompletableFuture<Pod> witnessGone = lastStateOf("witness");

        taintOutOfService("up");
        Pod evicted = Pods.await(client, "default", "graceful", p -> p.getMetadata().getDeletionTimestamp() != null);
        assertThat(evicted.getMetadata().getDeletionGracePeriodSeconds()).as("its own grace period").isEqualTo(600L);
        sim.nodes().fail("spare");
        taintOutOfService("spare");

        assertThat(witnessGone.get(60, TimeUnit.SECONDS).getStatus().getPhase()).isEqualTo("Failed");
        Pod stillThere = client.pods().inNamespace("default").withName("graceful").get();
        assertThat(stillThere).as("a Terminating pod of a Ready node is left to its kubelet").isNotNull();
        assertThat(stillThere.getStatus().getPhase()).isEqualTo("Running");
        assertThat(stillThere.getMetadata().getDeletionGracePeriodSeconds()).isEqualTo(600L);
    }

    @Test
    void keepsAPodThatToleratesTheOutOfServiceTaintAndEvictsTheOthersWithoutADefaultToleration() throws Exception {
        // 300 s take 30 s here: an eviction that waits for the default toleration of the unreachable taint, or gives
        // the out-of-service taint one, misses the 15 s bound below
        start(SimOptions.builder().speed(10));
        Pods.create(client, on("down", Pods.pod("tolerant")).editSpec()
                .addNewToleration().withKey(UNREACHABLE).withOperator("Exists").withEffect("NoExecute").endToleration()
                .addNewToleration().withKey(OUT_OF_SERVICE).withOperator("Exists").withEffect("NoExecute")
                .endToleration().endSpec().build());
        Pods.create(client, on("down", Pods.pod("intolerant")).build());
        Pods.awaitReady(client, "default", "tolerant");
        Pods.awaitReady(client, "default", "intolerant");
        CompletableFuture<Pod> intolerantGone = lastStateOf("intolerant");

        sim.nodes().fail("down");
        taintOutOfService("down");

        assertThat(intolerantGone.get(15, TimeUnit.SECONDS).getStatus().getPhase()).isEqualTo("Failed");
        Pod tolerant = client.pods().inNamespace("default").withName("tolerant").get();
        assertThat(tolerant).isNotNull();
        assertThat(tolerant.getMetadata().getDeletionTimestamp()).as("not marked for deletion").isNull();
    }

    private static io.fabric8.kubernetes.api.model.PodBuilder on(String node,
            io.fabric8.kubernetes.api.model.PodBuilder pod) {
        return pod.editSpec().withNodeName(node).endSpec();
    }

    /** As {@code kubectl taint nodes NODE node.kubernetes.io/out-of-service=nodeshutdown:NoExecute}. */
    private void taintOutOfService(String node) {
        client.nodes().withName(node).edit(n -> {
            List<Taint> taints = n.getSpec().getTaints() == null ? new ArrayList<>()
                    : new ArrayList<>(n.getSpec().getTaints());
            taints.add(new TaintBuilder().withKey(OUT_OF_SERVICE).withValue("nodeshutdown").withEffect("NoExecute")
                    .build());
            n.getSpec().setTaints(taints);
            return n;
        });
    }

    /** The pod as the watch's DELETED event carries it: its state just before it went. */
    private CompletableFuture<Pod> lastStateOf(String name) {
        CompletableFuture<Pod> gone = new CompletableFuture<>();
        watches.add(client.pods().inNamespace("default").withName(name).watch(new Watcher<Pod>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                if (action == Action.DELETED) {
                    gone.complete(pod);
                }
            }

            @Override
            public void onClose(WatcherException cause) {
                gone.completeExceptionally(cause);
            }
        }));
        return gone;
    }

    private static Optional<PodCondition> condition(Pod pod, String type) {
        return pod.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
    }
}
