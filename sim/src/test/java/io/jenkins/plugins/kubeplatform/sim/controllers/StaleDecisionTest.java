package io.jenkins.plugins.kubeplatform.sim.controllers;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.jenkins.plugins.kubeplatform.sim.Faults.ApiCall;
import io.jenkins.plugins.kubeplatform.sim.Pods;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import io.jenkins.plugins.kubeplatform.sim.model.PodStates;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * Simulated controllers whose write meets a newer object than the one they decided on (another client wrote in
 * between: {@code Faults.interleave}) decide again on the newer one, as a real controller does on its latest copy,
 * instead of writing the stale decision into it.
 */
class StaleDecisionTest {

    private static final String NS = "default";
    private static final String MERGE = "application/merge-patch+json";

    @AutoClose
    private static final SimulatedCluster sim = SimulatedCluster.start(SimOptions.builder().speed(50).build());
    private static final KubernetesClient client = sim.client();

    private static Deployment rolling(String name, String image) {
        return new DeploymentBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                .withNewSpec().withReplicas(3).withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata().withNewSpec()
                .addNewContainer().withName("app").withImage(image).endContainer().endSpec().endTemplate()
                .withNewStrategy().withType("RollingUpdate").withNewRollingUpdate()
                .withNewMaxSurge(0).withNewMaxUnavailable(1).endRollingUpdate().endStrategy().endSpec().build();
    }

    private static Deployment awaitRolledOut(String name, String image) {
        return Pods.await(client.apps().deployments().inNamespace(NS).withName(name), d -> d != null
                && d.getStatus() != null
                && image.equals(d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                && d.getMetadata().getGeneration().equals(d.getStatus().getObservedGeneration())
                && Integer.valueOf(3).equals(d.getStatus().getUpdatedReplicas())
                && Integer.valueOf(3).equals(d.getStatus().getAvailableReplicas())
                && Integer.valueOf(3).equals(d.getStatus().getReplicas()));
    }

    /** Every {@code spec.replicas} the watch reports for one ReplicaSet, in order. */
    private static Watch recordReplicas(String name, List<Integer> seen) {
        return client.apps().replicaSets().inNamespace(NS).withName(name).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, ReplicaSet rs) {
                seen.add(rs.getSpec().getReplicas());
            }

            @Override
            public void onClose(WatcherException cause) {
                // closed by the test
            }
        });
    }

    @Test
    void neverScalesAnOldReplicaSetBackUpWhenItWasScaledDownBetweenTheControllersReadAndWrite() throws Exception {
        client.apps().deployments().inNamespace(NS).resource(rolling("rolling", "nginx:1.27")).create();
        awaitRolledOut("rolling", "nginx:1.27");
        String old = client.apps().replicaSets().inNamespace(NS).withLabel("app", "rolling").list().getItems().get(0)
                .getMetadata().getName();
        List<Integer> replicas = new CopyOnWriteArrayList<>();
        // the rollout's first step scales the old ReplicaSet 3 -> 2; someone scales it to 1 just before that write
        sim.faults().interleave("update", "/replicasets/" + old + "$", new ApiCall("PATCH",
                "/apis/apps/v1/namespaces/" + NS + "/replicasets/" + old, MERGE, "{\"spec\":{\"replicas\":1}}"));

        try (Watch ignored = recordReplicas(old, replicas)) {
            client.apps().deployments().inNamespace(NS).withName("rolling").edit(d -> new DeploymentBuilder(d)
                    .editSpec().editTemplate().editSpec().editFirstContainer().withImage("nginx:1.28").endContainer()
                    .endSpec().endTemplate().endSpec().build());
            awaitRolledOut("rolling", "nginx:1.28");
            Pods.await(client.apps().replicaSets().inNamespace(NS).withName(old),
                    rs -> rs != null && Integer.valueOf(0).equals(rs.getSpec().getReplicas()));
            Pods.await(client.apps().replicaSets().inNamespace(NS).withName(old),
                    rs -> !replicas.isEmpty() && replicas.get(replicas.size() - 1) == 0);
        }

        assertThat(sim.faults().pendingInterleaves()).isZero();
        assertThat(replicas).contains(1);
        List<Integer> afterInterleave = replicas.subList(replicas.indexOf(1), replicas.size());
        assertThat(afterInterleave).as("spec.replicas of %s after it was scaled to 1: %s", old, replicas)
                .isSortedAccordingTo((a, b) -> Integer.compare(b, a));
    }

    @Test
    void neverMarksAPodUnschedulableThatWasBoundBetweenTheSchedulersReadAndWrite() throws Exception {
        // the scheduler finds no node for the pod and writes PodScheduled=False; it was bound just before
        sim.faults().interleave("update", "/pods/stray/status$", new ApiCall("POST",
                "/api/v1/namespaces/" + NS + "/pods/stray/binding", "application/json", """
                {"apiVersion":"v1","kind":"Binding","metadata":{"name":"stray"},
                 "target":{"apiVersion":"v1","kind":"Node","name":"node-1"}}"""));
        List<Pod> seen = new CopyOnWriteArrayList<>();
        CountDownLatch ready = new CountDownLatch(1);

        try (Watch ignored = client.pods().inNamespace(NS).withName("stray").watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                seen.add(pod);
                if (PodStates.isReady(pod)) {
                    ready.countDown();
                }
            }

            @Override
            public void onClose(WatcherException cause) {
                // closed by the test
            }
        })) {
            Pods.create(client, Pods.pod("stray").editSpec().addToNodeSelector("disk", "none").endSpec().build());
            Pods.awaitEvent(client, NS, "stray", "FailedScheduling");
            // the kubelet runs it on node-1: every version from the binding on has been seen once it is Ready
            assertThat(ready.await(60, TimeUnit.SECONDS)).as("pod Ready; seen %s", seen).isTrue();
        }

        assertThat(sim.faults().pendingInterleaves()).isZero();
        assertThat(seen).filteredOn(p -> p.getSpec().getNodeName() != null).isNotEmpty()
                .noneMatch(p -> p.getStatus().getConditions().stream().anyMatch(c -> c.getType().equals("PodScheduled")
                        && c.getStatus().equals("False")));
    }

    @Test
    void givesNoLoadBalancerAddressToAServiceThatStoppedBeingALoadBalancerBeforeTheWrite() {
        // the controller's services/status write comes second: the service became ClusterIP in between
        sim.faults().interleave("update", "/services/edge/status$", new ApiCall("PATCH",
                "/api/v1/namespaces/" + NS + "/services/edge", MERGE, "{\"spec\":{\"type\":\"ClusterIP\"}}"));

        client.services().inNamespace(NS).resource(new ServiceBuilder().withNewMetadata().withName("edge")
                .endMetadata().withNewSpec().withType("LoadBalancer").addToSelector("app", "edge").addNewPort()
                .withPort(80).endPort().endSpec().build()).create();
        // the controller writes the service's Endpoints after its load-balancer decision
        Pods.await(client.endpoints().inNamespace(NS).withName("edge"), e -> e != null);

        assertThat(sim.faults().pendingInterleaves()).isZero();
        Service edge = client.services().inNamespace(NS).withName("edge").get();
        assertThat(edge.getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(edge.getStatus().getLoadBalancer().getIngress()).as(edge.getStatus().toString()).isNullOrEmpty();
    }
}
