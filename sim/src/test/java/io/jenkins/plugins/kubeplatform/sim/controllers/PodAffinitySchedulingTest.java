package io.jenkins.plugins.kubeplatform.sim.controllers;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodAffinityTermBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.sim.Pods;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Inter-pod affinity as kube-scheduler v1.32's InterPodAffinity plugin applies it
 * (pkg/scheduler/framework/plugins/interpodaffinity/filtering.go and scoring.go), on the three default nodes
 * (node-1 and node-2 in region eu-central-1, node-3 in eu-west-3). The expected messages are built from the plugin's
 * reason constants and FitError.Error's format (pkg/scheduler/framework/types.go: "COUNT reason" sorted as strings),
 * with DefaultPreemption's per-node answers (no victims where the plugin said Unschedulable, "not helpful" where it
 * said UnschedulableAndUnresolvable).
 */
@Timeout(120)
class PodAffinitySchedulingTest {

    private static final String NS = "default";
    private static final String HOSTNAME = "kubernetes.io/hostname";

    @AutoClose
    static final SimulatedCluster sim = SimulatedCluster.start(SimOptions.builder().speed(50).nodes(3).build());
    static final KubernetesClient client = sim.client();

    static PodAffinityTerm term(String key, String value, String topologyKey) {
        return new PodAffinityTermBuilder().withLabelSelector(new LabelSelectorBuilder().addToMatchLabels(key, value)
                .build()).withTopologyKey(topologyKey).build();
    }

    static Optional<PodCondition> scheduled(Pod pod) {
        return pod.getStatus() == null || pod.getStatus().getConditions() == null ? Optional.empty()
                : pod.getStatus().getConditions().stream().filter(c -> c.getType().equals("PodScheduled")).findFirst();
    }

    /** Waits until the scheduler has reported the pod unschedulable; returns its PodScheduled condition. */
    static PodCondition awaitUnschedulable(KubernetesClient client, String name) {
        Pod pod = Pods.await(client, NS, name, p -> scheduled(p).map(c -> "Unschedulable".equals(c.getReason()))
                .orElse(false));
        assertThat(pod.getSpec().getNodeName()).isNull();
        return scheduled(pod).orElseThrow();
    }

    static String bound(KubernetesClient client, String name) {
        return Pods.await(client, NS, name, p -> p.getSpec().getNodeName() != null).getSpec().getNodeName();
    }

    @Test
    void spreadsRequiredAntiAffinityReplicasOnePerNodeAndLeavesTheExtraOnePending() {
        for (int i = 1; i <= 4; i++) {
            // created back to back: each decision must see the pods bound just before it (the assumed pods)
            Pods.create(client, Pods.pod("solo-" + i).editMetadata().withLabels(java.util.Map.of("app", "solo"))
                    .endMetadata().editSpec().withNewAffinity().withNewPodAntiAffinity()
                    .withRequiredDuringSchedulingIgnoredDuringExecution(term("app", "solo", HOSTNAME))
                    .endPodAntiAffinity().endAffinity().endSpec().build());
        }
        List<Pod> pods = Pods.awaitAll(client, NS, "app", "solo", ps -> ps.size() == 4
                && ps.stream().filter(p -> p.getSpec().getNodeName() != null).count() == 3
                && ps.stream().anyMatch(p -> scheduled(p).map(c -> "Unschedulable".equals(c.getReason()))
                        .orElse(false)));
        assertThat(pods.stream().map(p -> p.getSpec().getNodeName()).filter(n -> n != null))
                .containsExactlyInAnyOrder("node-1", "node-2", "node-3");
        Pod pending = pods.stream().filter(p -> p.getSpec().getNodeName() == null).findFirst().orElseThrow();
        PodCondition condition = scheduled(pending).orElseThrow();
        assertThat(condition.getStatus()).isEqualTo("False");
        assertThat(condition.getMessage()).isEqualTo("0/3 nodes are available: 3 node(s) didn't match pod "
                + "anti-affinity rules. preemption: 0/3 nodes are available: 3 No preemption victims found for "
                + "incoming pod.");
        assertThat(Pods.awaitEvent(client, NS, pending.getMetadata().getName(), "FailedScheduling").getMessage())
                .isEqualTo(condition.getMessage());

        client.pods().inNamespace(NS).withName(pods.stream().filter(p -> "node-2".equals(p.getSpec().getNodeName()))
                .findFirst().orElseThrow().getMetadata().getName()).delete();
        assertThat(bound(client, pending.getMetadata().getName())).isEqualTo("node-2");
    }

    @Test
    void coLocatesAPodWithRequiredAffinityWithThePodItSelects() {
        Pods.create(client, Pods.pod("cache").editSpec().addToNodeSelector(HOSTNAME, "node-2").endSpec().build());
        assertThat(bound(client, "cache")).isEqualTo("node-2");

        Pods.create(client, Pods.pod("beside-cache").editSpec().withNewAffinity().withNewPodAffinity()
                .withRequiredDuringSchedulingIgnoredDuringExecution(term("app", "cache", HOSTNAME))
                .endPodAffinity().endAffinity().endSpec().build());
        assertThat(bound(client, "beside-cache")).isEqualTo("node-2");
    }

    @Test
    void leavesAPodPendingWhenNoPodMatchesItsRequiredAffinityUnlessItMatchesItself() {
        Pods.create(client, Pods.pod("lonely").editSpec().withNewAffinity().withNewPodAffinity()
                .withRequiredDuringSchedulingIgnoredDuringExecution(term("app", "no-such-app", HOSTNAME))
                .endPodAffinity().endAffinity().endSpec().build());
        assertThat(awaitUnschedulable(client, "lonely").getMessage()).isEqualTo("0/3 nodes are available: 3 node(s) "
                + "didn't match pod affinity rules. preemption: 0/3 nodes are available: 3 Preemption is not helpful "
                + "for scheduling.");

        // the first pod of a group whose affinity selects the group itself goes anywhere
        Pods.create(client, Pods.pod("herd-1").editMetadata().withLabels(java.util.Map.of("app", "herd"))
                .endMetadata().editSpec().withNewAffinity().withNewPodAffinity()
                .withRequiredDuringSchedulingIgnoredDuringExecution(term("app", "herd", HOSTNAME))
                .endPodAffinity().endAffinity().endSpec().build());
        String first = bound(client, "herd-1");
        Pods.create(client, Pods.pod("herd-2").editMetadata().withLabels(java.util.Map.of("app", "herd"))
                .endMetadata().editSpec().withNewAffinity().withNewPodAffinity()
                .withRequiredDuringSchedulingIgnoredDuringExecution(term("app", "herd", HOSTNAME))
                .endPodAffinity().endAffinity().endSpec().build());
        assertThat(bound(client, "herd-2")).isEqualTo(first);
    }

    @Test
    void keepsAPodOffATopologyDomainWhoseExistingPodsRequiredAntiAffinitySelectsIt() {
        // node-3 is the only node in region eu-west-3
        Pods.create(client, Pods.pod("guard").editSpec().addToNodeSelector(HOSTNAME, "node-3").withNewAffinity()
                .withNewPodAntiAffinity().withRequiredDuringSchedulingIgnoredDuringExecution(
                        term("tier", "noisy", "topology.kubernetes.io/region"))
                .endPodAntiAffinity().endAffinity().endSpec().build());
        assertThat(bound(client, "guard")).isEqualTo("node-3");

        Pods.create(client, Pods.pod("noisy").editMetadata().addToLabels("tier", "noisy").endMetadata().editSpec()
                .addToNodeSelector("topology.kubernetes.io/region", "eu-west-3").endSpec().build());
        assertThat(awaitUnschedulable(client, "noisy").getMessage()).isEqualTo("0/3 nodes are available: 1 node(s) "
                + "didn't satisfy existing pods anti-affinity rules, 2 node(s) didn't match Pod's node "
                + "affinity/selector. preemption: 0/3 nodes are available: 1 No preemption victims found for incoming "
                + "pod, 2 Preemption is not helpful for scheduling.");
    }

    @Test
    void prefersTheNodeOfAPodItsPreferredAffinitySelects() {
        Pods.create(client, Pods.pod("db").editSpec().addToNodeSelector(HOSTNAME, "node-3").endSpec().build());
        assertThat(bound(client, "db")).isEqualTo("node-3");

        Pods.create(client, Pods.pod("near-db").editSpec().withNewAffinity().withNewPodAffinity()
                .addNewPreferredDuringSchedulingIgnoredDuringExecution().withWeight(50)
                .withPodAffinityTerm(term("app", "db", HOSTNAME)).endPreferredDuringSchedulingIgnoredDuringExecution()
                .endPodAffinity().endAffinity().endSpec().build());
        assertThat(bound(client, "near-db")).isEqualTo("node-3");
    }
}
