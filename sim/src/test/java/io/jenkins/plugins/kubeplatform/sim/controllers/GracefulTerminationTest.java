package io.jenkins.plugins.kubeplatform.sim.controllers;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.jenkins.plugins.kubeplatform.sim.Pods;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import io.jenkins.plugins.kubeplatform.sim.model.PodStates;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Graceful pod deletion end to end: the API server marks a bound pod (kube-apiserver {@code rest.BeforeDelete} with
 * the pod strategy's {@code CheckGracefulDelete}), its kubelet stops it, frees the address and deletes it with grace
 * 0 and a uid precondition (kubelet status_manager.go {@code syncPod}), and the controllers treat the Terminating pod
 * as the real ones do. The kubelet takes 50 s of simulated time (1 s here) to stop a pod, so the Terminating window
 * is wide enough to look at; the pods' grace period (300 s) is longer, so it is the kubelet that ends it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GracefulTerminationTest {

    private static final String NS = "default";
    private static final long GRACE = 300;
    private static final String IP_ANNOTATION = "cni.projectcalico.org/ipAddrs";

    @AutoClose
    static final SimulatedCluster sim = SimulatedCluster.start(SimOptions.builder()
            .speed(50).podTerminationDelay(Duration.ofSeconds(50))
            .build());
    static final KubernetesClient client = sim.client();

    private static Pod pod(String name) {
        return Pods.pod(name).editSpec().withTerminationGracePeriodSeconds(GRACE).endSpec().build();
    }

    private static Pod get(String name) {
        return client.pods().inNamespace(NS).withName(name).get();
    }

    /** Records the watch events of one pod, in order, as "ACTION phase terminating". */
    private static final class Recorder implements Watcher<Pod> {
        final List<String> events = new CopyOnWriteArrayList<>();
        final CountDownLatch deleted = new CountDownLatch(1);

        @Override
        public void eventReceived(Action action, Pod pod) {
            events.add(action + " " + PodStates.phase(pod) + " " + PodStates.isTerminating(pod));
            if (action == Action.DELETED) {
                deleted.countDown();
            }
        }

        @Override
        public void onClose(WatcherException cause) {
        }
    }

    @Test
    void keepsADeletedBoundPodTerminatingUntilItsKubeletHasStoppedIt() throws InterruptedException {
        Pods.create(client, pod("graceful"));
        Pods.awaitReady(client, NS, "graceful");
        Recorder recorder = new Recorder();
        try (Watch w = client.pods().inNamespace(NS).withField("metadata.name", "graceful").watch(recorder)) {
            Instant before = Instant.now();
            client.pods().inNamespace(NS).withName("graceful").delete();

            Pod terminating = get("graceful");
            assertThat(terminating).as("the pod stays after the DELETE").isNotNull();
            assertThat(terminating.getMetadata().getDeletionGracePeriodSeconds()).isEqualTo(GRACE);
            Instant due = Instant.parse(terminating.getMetadata().getDeletionTimestamp());
            assertThat(due).isBetween(before.plusSeconds(GRACE - 1), Instant.now().plusSeconds(GRACE + 1));
            assertThat(PodStates.phase(terminating)).isEqualTo("Running");

            assertThat(recorder.deleted.await(30, TimeUnit.SECONDS)).as("DELETED event").isTrue();
        }
        // the watch's initial ADDED, then MODIFIED (marked, still running), MODIFIED (stopped: terminal phase),
        // DELETED: as the real server and kubelet
        assertThat(recorder.events).startsWith("ADDED Running false", "MODIFIED Running true")
                .endsWith("MODIFIED Succeeded true", "DELETED Succeeded true");
        assertThat(get("graceful")).isNull();
        Event killing = Pods.awaitEvent(client, NS, "graceful", "Killing");
        assertThat(killing.getMessage()).isEqualTo("Stopping container app");
    }

    @Test
    void holdsTheAddressUntilTheKubeletTearsDownTheSandbox() {
        Pods.create(client, new io.fabric8.kubernetes.api.model.PodBuilder(pod("holder-a")).editMetadata()
                .addToAnnotations(IP_ANNOTATION, "[\"10.42.77.7\"]").endMetadata().build());
        Pods.awaitReady(client, NS, "holder-a");
        client.pods().inNamespace(NS).withName("holder-a").delete();
        Pods.create(client, new io.fabric8.kubernetes.api.model.PodBuilder(pod("holder-b")).editMetadata()
                .addToAnnotations(IP_ANNOTATION, "[\"10.42.77.7\"]").endMetadata().build());

        Event clash = Pods.awaitEvent(client, NS, "holder-b", "FailedCreatePodSandBox");
        assertThat(clash.getMessage()).contains("10.42.77.7").contains("Address already assigned");

        Pod second = Pods.awaitReady(client, NS, "holder-b");
        assertThat(second.getStatus().getPodIP()).isEqualTo("10.42.77.7");
        assertThat(get("holder-a")).as("the first pod is gone once its address is reused").isNull();
    }

    @Test
    void removesABoundPodAtOnceWithGraceZero() {
        Pods.create(client, pod("forced"));
        Pods.awaitReady(client, NS, "forced");
        client.pods().inNamespace(NS).withName("forced").withGracePeriod(0).delete();
        assertThat(get("forced")).isNull();
    }

    @Test
    void removesAPodNotBoundToANodeAtOnce() {
        Pods.create(client, Pods.pod("unbound").editSpec().withTerminationGracePeriodSeconds(GRACE)
                .addToNodeSelector("no-such-label", "x").endSpec().build()); // no node fits: never bound
        assertThat(get("unbound").getSpec().getNodeName()).isNull();
        client.pods().inNamespace(NS).withName("unbound").delete();
        assertThat(get("unbound")).isNull();
    }

    @Test
    void shortensAPendingDeletionButNeverLengthensIt() {
        Pods.create(client, pod("shorter"));
        Pods.awaitReady(client, NS, "shorter");
        client.pods().inNamespace(NS).withName("shorter").delete();
        Pod first = get("shorter");
        Instant due = Instant.parse(first.getMetadata().getDeletionTimestamp());

        client.pods().inNamespace(NS).withName("shorter").withGracePeriod(GRACE + 100).delete();
        Pod longer = get("shorter");
        assertThat(longer.getMetadata().getDeletionGracePeriodSeconds()).isEqualTo(GRACE);
        assertThat(longer.getMetadata().getDeletionTimestamp()).isEqualTo(first.getMetadata().getDeletionTimestamp());

        client.pods().inNamespace(NS).withName("shorter").withGracePeriod(100).delete();
        Pod shortened = get("shorter");
        if (shortened != null) { // the kubelet may already have finished
            assertThat(shortened.getMetadata().getDeletionGracePeriodSeconds()).isEqualTo(100);
            assertThat(Instant.parse(shortened.getMetadata().getDeletionTimestamp()))
                    .isEqualTo(due.minusSeconds(GRACE - 100));
        }
        Pods.awaitGone(client, NS, "shorter");
    }

    @Test
    void keepsAPodOnANotReadyNodeTerminatingUntilTheNodeIsBack() {
        Pods.create(client, Pods.pod("stranded").editSpec().withTerminationGracePeriodSeconds(GRACE)
                .withNodeName("node-3").endSpec().build());
        Pods.create(client, Pods.pod("control").editSpec().withTerminationGracePeriodSeconds(GRACE)
                .withNodeName("node-2").endSpec().build());
        Pods.awaitReady(client, NS, "stranded");
        Pods.awaitReady(client, NS, "control");
        sim.nodes().fail("node-3");
        try {
            client.pods().inNamespace(NS).withName("stranded").delete();
            client.pods().inNamespace(NS).withName("control").delete();
            // the control pod's kubelet finishes; the stranded pod's has nobody to finish it
            Pods.awaitGone(client, NS, "control");
            Pod stranded = get("stranded");
            assertThat(stranded).isNotNull();
            assertThat(PodStates.isTerminating(stranded)).isTrue();
            assertThat(PodStates.phase(stranded)).isEqualTo("Running");
        } finally {
            sim.nodes().recover("node-3");
        }
        Pods.awaitGone(client, NS, "stranded");
    }

    @Test
    void keepsAPodWithAFinalizerAfterItsKubeletsFinalDeleteUntilTheFinalizerIsRemoved() {
        Pods.create(client, new io.fabric8.kubernetes.api.model.PodBuilder(pod("held")).editMetadata()
                .addToFinalizers("example.com/hold").endMetadata().build());
        Pods.awaitReady(client, NS, "held");
        client.pods().inNamespace(NS).withName("held").delete();

        // the kubelet stopped it and deleted it with grace 0: the finalizer keeps the object (updateForGraceful...)
        Pod stopped = Pods.await(client, NS, "held", p -> Long.valueOf(0).equals(
                p.getMetadata().getDeletionGracePeriodSeconds()));
        assertThat(PodStates.phase(stopped)).isEqualTo("Succeeded");
        assertThat(stopped.getMetadata().getFinalizers()).containsExactly("example.com/hold");

        client.pods().inNamespace(NS).withName("held").edit(p -> {
            p.getMetadata().setFinalizers(new java.util.ArrayList<>());
            return p;
        });
        Pods.awaitGone(client, NS, "held");
    }

    @Test
    void deletesEachPodOfACollectionGracefully() {
        Pods.create(client, new io.fabric8.kubernetes.api.model.PodBuilder(pod("batch-a")).editMetadata()
                .addToLabels("group", "batch").endMetadata().build());
        Pods.create(client, new io.fabric8.kubernetes.api.model.PodBuilder(pod("batch-b")).editMetadata()
                .addToLabels("group", "batch").endMetadata().build());
        Pods.awaitReady(client, NS, "batch-a");
        Pods.awaitReady(client, NS, "batch-b");

        client.pods().inNamespace(NS).withLabel("group", "batch").delete();

        for (String name : List.of("batch-a", "batch-b")) {
            Pod marked = get(name);
            assertThat(marked).as(name).isNotNull();
            assertThat(marked.getMetadata().getDeletionGracePeriodSeconds()).as(name).isEqualTo(GRACE);
            Pods.awaitGone(client, NS, name);
        }
    }

    @Test
    void evictsGracefully() {
        Pods.create(client, pod("evicted"));
        Pods.awaitReady(client, NS, "evicted");
        assertThat(client.pods().inNamespace(NS).withName("evicted").evict()).isTrue();
        Pod terminating = get("evicted");
        assertThat(terminating).isNotNull();
        assertThat(terminating.getMetadata().getDeletionGracePeriodSeconds()).isEqualTo(GRACE);
        Pods.awaitGone(client, NS, "evicted");
    }

    @Test
    void replacesATerminatingReplicaSetPodAtOnce() {
        client.apps().deployments().inNamespace(NS).resource(deployment("swift", "RollingUpdate")).create();
        Pod original = awaitOnlyReadyPod("swift");
        client.pods().inNamespace(NS).withName(original.getMetadata().getName()).delete();

        // FilterActivePods: the Terminating pod is not active, so its replacement is made while it still exists
        String name = original.getMetadata().getName();
        List<Pod> both = awaitPods("swift", pods -> pods.size() == 2 && pods.stream()
                .anyMatch(p -> p.getMetadata().getName().equals(name) && PodStates.isTerminating(p)));
        assertThat(both).filteredOn(p -> !p.getMetadata().getName().equals(name)).singleElement()
                .satisfies(p -> assertThat(PodStates.isTerminating(p)).isFalse());
        Pods.awaitGone(client, NS, original.getMetadata().getName());
    }

    @Test
    void takesATerminatingPodOutOfTheServiceEndpoints() {
        client.services().inNamespace(NS).resource(ServiceEndpointsTest.service("leaving", "leaving")).create();
        Pods.create(client, new io.fabric8.kubernetes.api.model.PodBuilder(pod("leaving-a")).editMetadata()
                .addToLabels("app", "leaving").endMetadata().build());
        Pods.awaitReady(client, NS, "leaving-a");
        Pods.await(client.endpoints().inNamespace(NS).withName("leaving"), e -> ServiceEndpointsTest.ready(e) == 1);

        client.pods().inNamespace(NS).withName("leaving-a").delete();

        // ShouldPodBeInEndpoints(pod, includeTerminating=false): neither ready nor not-ready in Endpoints
        Endpoints endpoints = Pods.await(client.endpoints().inNamespace(NS).withName("leaving"),
                e -> ServiceEndpointsTest.ready(e) == 0 && ServiceEndpointsTest.notReady(e) == 0);
        assertThat(endpoints).isNotNull();
        // podToEndpoint: in the slice, not ready, still serving (its readiness), terminating
        EndpointSlice slice = Pods.await(client.discovery().v1().endpointSlices().inNamespace(NS)
                .withName("leaving-sim"), s -> s != null && s.getEndpoints() != null && s.getEndpoints().size() == 1
                && Boolean.TRUE.equals(s.getEndpoints().get(0).getConditions().getTerminating()));
        assertThat(get("leaving-a")).as("checked while the pod is Terminating").isNotNull();
        assertThat(slice.getEndpoints().get(0).getConditions().getReady()).isFalse();
        assertThat(slice.getEndpoints().get(0).getConditions().getServing()).isTrue();
        Pods.awaitGone(client, NS, "leaving-a");
    }

    @Test
    void recreatesAStatefulSetPodOnlyAfterTheOldOneIsGone() throws InterruptedException {
        client.apps().statefulSets().inNamespace(NS).resource(new StatefulSetBuilder().withNewMetadata()
                .withName("ledger").withNamespace(NS).endMetadata().withNewSpec().withReplicas(1)
                .withServiceName("ledger").withNewSelector().addToMatchLabels("app", "ledger").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "ledger").endMetadata().withNewSpec()
                .withTerminationGracePeriodSeconds(GRACE).addNewContainer().withName("app").withImage("nginx:1.27")
                .endContainer().endSpec().endTemplate().endSpec().build()).create();
        Pod old = Pods.awaitReady(client, NS, "ledger-0");
        List<String> order = new CopyOnWriteArrayList<>();
        CountDownLatch recreated = new CountDownLatch(1);
        try (Watch w = client.pods().inNamespace(NS).withField("metadata.name", "ledger-0").watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                boolean same = pod.getMetadata().getUid().equals(old.getMetadata().getUid());
                order.add((same ? "old " : "new ") + action);
                if (!same) {
                    recreated.countDown();
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        })) {
            client.pods().inNamespace(NS).withName("ledger-0").delete();
            assertThat(recreated.await(30, TimeUnit.SECONDS)).as("ledger-0 re-created").isTrue();
        }
        assertThat(order.indexOf("old DELETED")).as("events: " + order).isGreaterThanOrEqualTo(0)
                .isLessThan(order.indexOf("new ADDED"));
    }

    @Test
    void startsADaemonPodOnANodeOnlyAfterTheOldOneThereIsTerminalOrGone() throws InterruptedException {
        client.apps().daemonSets().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder()
                .withNewMetadata().withName("agent").withNamespace(NS).endMetadata().withNewSpec().withNewSelector()
                .addToMatchLabels("app", "agent").endSelector().withNewTemplate().withNewMetadata()
                .addToLabels("app", "agent").endMetadata().withNewSpec().withTerminationGracePeriodSeconds(GRACE)
                .addNewContainer().withName("app").withImage("nginx:1.27").endContainer().endSpec().endTemplate()
                .endSpec().build()).create();
        List<Pod> running = awaitPods("agent", pods -> pods.size() == 3 && pods.stream().allMatch(PodStates::isReady));
        Pod old = running.stream().filter(p -> "node-1".equals(p.getSpec().getNodeName())).findFirst().orElseThrow();
        java.util.Set<String> before = new java.util.HashSet<>();
        running.forEach(p -> before.add(p.getMetadata().getUid()));
        List<String> order = new CopyOnWriteArrayList<>();
        CountDownLatch replaced = new CountDownLatch(1);
        try (Watch w = client.pods().inNamespace(NS).withLabel("app", "agent").watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                String uid = pod.getMetadata().getUid();
                boolean same = uid.equals(old.getMetadata().getUid());
                if (!same && before.contains(uid)) {
                    return; // the pods of the other nodes
                }
                boolean gone = action == Action.DELETED || PodStates.isFinished(pod);
                order.add((same ? "old " : "new ") + action + (same && gone ? " gone" : ""));
                if (!same) {
                    replaced.countDown();
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        })) {
            client.pods().inNamespace(NS).withName(old.getMetadata().getName()).delete();
            assertThat(replaced.await(30, TimeUnit.SECONDS)).as("a new agent pod for node-1").isTrue();
        }
        // getNodesToDaemonPods and podsShouldBeOnNode: a Terminating pod still counts as the node's daemon pod until it
        // is terminal (the kubelet writes Succeeded or Failed before the final delete) or gone
        int gone = IntStream.range(0, order.size()).filter(k -> order.get(k).endsWith(" gone")).findFirst().orElse(-1);
        assertThat(gone).as("events: " + order).isGreaterThanOrEqualTo(0).isLessThan(order.indexOf("new ADDED"));
    }

    private static Deployment deployment(String name, String strategy) {
        return new DeploymentBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata().withNewSpec()
                .withTerminationGracePeriodSeconds(GRACE).addNewContainer().withName("app").withImage("nginx:1.27")
                .endContainer().endSpec().endTemplate().withNewStrategy().withType(strategy).endStrategy().endSpec()
                .build();
    }

    private static Pod awaitOnlyReadyPod(String app) {
        return awaitPods(app, pods -> pods.size() == 1 && PodStates.isReady(pods.get(0))).get(0);
    }

    private static List<Pod> awaitPods(String app, Predicate<List<Pod>> condition) {
        return Pods.awaitAll(client, NS, "app", app, condition);
    }
}
