package io.jenkins.plugins.kubeplatform.sim.controllers;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The scheduler's decisions, without a server. */
class SchedulerTest {

    static Node node(String name, Map<String, String> labels) {
        return new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata().withNewSpec()
                .endSpec().withNewStatus().withAllocatable(Map.of("cpu", new Quantity("2"), "memory",
                        new Quantity("4Gi"), "pods", new Quantity("110"))).endStatus().build();
    }

    static PodBuilder pod(String name) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("default").withUid(name).endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("i").endContainer().endSpec();
    }

    static Optional<String> place(Pod pod, List<Node> nodes, List<Pod> running) {
        return Scheduler.decide(pod, nodes, running).node();
    }

    @Test
    void placesAPodOnlyOnANodeMatchingItsNodeSelector() {
        List<Node> nodes = List.of(node("a", Map.of("disk", "hdd")), node("b", Map.of("disk", "ssd")));
        assertThat(place(pod("p").editSpec().addToNodeSelector("disk", "ssd").endSpec().build(), nodes, List.of()))
                .contains("b");
    }

    @Test
    void placesAPodOnlyWhereRequiredNodeAffinityHolds() {
        List<Node> nodes = List.of(node("a", Map.of("zone", "z1")), node("b", Map.of("zone", "z2")),
                node("c", Map.of("zone", "z3")));
        Pod pod = pod("p").editSpec().withNewAffinity().withNewNodeAffinity()
                .withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .addNewNodeSelectorTerm().addNewMatchExpression().withKey("zone").withOperator("NotIn")
                .withValues("z1", "z2").endMatchExpression().endNodeSelectorTerm()
                .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().endAffinity().endSpec().build();
        assertThat(place(pod, nodes, List.of())).contains("c");
    }

    @Test
    void prefersTheNodeWithTheHighestPreferredAffinityWeight() {
        List<Node> nodes = List.of(node("a", Map.of("zone", "z1")), node("b", Map.of("zone", "z2")));
        Pod pod = pod("p").editSpec().withNewAffinity().withNewNodeAffinity()
                .addNewPreferredDuringSchedulingIgnoredDuringExecution().withWeight(10).withNewPreference()
                .addNewMatchExpression().withKey("zone").withOperator("In").withValues("z2").endMatchExpression()
                .endPreference().endPreferredDuringSchedulingIgnoredDuringExecution()
                .endNodeAffinity().endAffinity().endSpec().build();
        assertThat(place(pod, nodes, List.of())).contains("b");
    }

    @Test
    void answersNoNodesAvailableWhenTheClusterHasNoNodeAtAll() {
        // ErrNoNodesAvailable, pkg/scheduler/schedule_one.go: returned before any filter when the snapshot is empty
        Scheduler.Decision d = Scheduler.decide(pod("p").build(), List.of(), List.of());
        assertThat(d.node()).isEmpty();
        assertThat(d.failure()).isEqualTo("no nodes available to schedule pods");
    }

    @Test
    void avoidsNoScheduleAndNoExecuteTaintsUnlessTolerated() {
        Node noSchedule = new NodeBuilder(node("a", Map.of())).editSpec().addToTaints(new TaintBuilder()
                .withKey("gpu").withValue("yes").withEffect("NoSchedule").build()).endSpec().build();
        Node noExecute = new NodeBuilder(node("b", Map.of())).editSpec().addToTaints(new TaintBuilder()
                .withKey("gpu").withValue("yes").withEffect("NoExecute").build()).endSpec().build();
        Scheduler.Decision d = Scheduler.decide(pod("p").build(), List.of(noSchedule, noExecute), List.of());
        assertThat(d.node()).isEmpty();
        assertThat(d.failure()).startsWith("0/2 nodes are available: 2 node(s) had untolerated taint {gpu: yes}");

        Pod tolerant = pod("t").editSpec().addNewToleration().withKey("gpu").withOperator("Equal").withValue("yes")
                .withEffect("NoSchedule").endToleration().endSpec().build();
        assertThat(place(tolerant, List.of(noSchedule, noExecute), List.of())).contains("a");
    }

    @Test
    void placesPodsOnPreferNoScheduleNodesOnlyWhenNothingElseFits() {
        Node soft = new NodeBuilder(node("a", Map.of())).editSpec().addToTaints(new TaintBuilder()
                .withKey("spot").withEffect("PreferNoSchedule").build()).endSpec().build();
        assertThat(place(pod("p").build(), List.of(soft, node("b", Map.of())), List.of())).contains("b");
        assertThat(place(pod("p").build(), List.of(soft), List.of())).contains("a");
    }

    @Test
    void skipsCordonedNodes() {
        Node cordoned = new NodeBuilder(node("a", Map.of())).editSpec().withUnschedulable(true).endSpec().build();
        Scheduler.Decision d = Scheduler.decide(pod("p").build(), List.of(cordoned), List.of());
        assertThat(d.node()).isEmpty();
        assertThat(d.failure()).contains("1 node(s) were unschedulable");
    }

    @Test
    void refusesAPodWhoseCpuRequestDoesNotFitNextToTheRunningPods() {
        Node n = node("a", Map.of());
        Pod big = pod("big").editSpec().editFirstContainer().withNewResources()
                .addToRequests("cpu", new Quantity("1500m")).endResources().endContainer().withNodeName("a").endSpec()
                .build();
        Pod another = pod("another").editSpec().editFirstContainer().withNewResources()
                .addToRequests("cpu", new Quantity("1")).endResources().endContainer().endSpec().build();
        Scheduler.Decision d = Scheduler.decide(another, List.of(n), List.of(big));
        assertThat(d.node()).isEmpty();
        assertThat(d.failure()).contains("1 Insufficient cpu");
        assertThat(place(another, List.of(n), List.of())).contains("a");
    }

    @Test
    void refusesAPodWhoseMemoryLimitDoesNotFit() {
        Pod huge = pod("huge").editSpec().editFirstContainer().withNewResources()
                .addToLimits("memory", new Quantity("8Gi")).endResources().endContainer().endSpec().build();
        assertThat(Scheduler.decide(huge, List.of(node("a", Map.of())), List.of()).failure())
                .contains("Insufficient memory");
    }

    @Test
    void spreadsPodsToTheLeastLoadedNode() {
        Pod onA = pod("x").editSpec().withNodeName("a").editFirstContainer().withNewResources()
                .addToRequests("cpu", new Quantity("500m")).endResources().endContainer().endSpec().build();
        assertThat(place(pod("p").build(), List.of(node("a", Map.of()), node("b", Map.of())), List.of(onA)))
                .contains("b");
    }

    @Test
    void aNodeFailingTaintsAndNodeAffinityCountsUnderTheTaintTheFrameworkChecksFirst() {
        Node tainted = new NodeBuilder(node("a", Map.of("zone", "z1"))).editSpec().addToTaints(new TaintBuilder()
                .withKey("dedicated").withValue("db").withEffect("NoSchedule").build()).endSpec().build();
        Pod pod = pod("p").editSpec().addToNodeSelector("zone", "z2").endSpec().build();

        Scheduler.Decision d = Scheduler.decide(pod, List.of(tainted), List.of());

        // TaintToleration runs before NodeAffinity in the default profile (default_plugins.go) and the framework
        // stops at the first failing filter
        assertThat(d.failure()).isEqualTo("0/1 nodes are available: 1 node(s) had untolerated taint {dedicated: db}. "
                + "preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.");
    }

    @Test
    void aNodeShortOfCpuAndMemoryCountsBothShortfalls() {
        Pod big = pod("big").editSpec().editFirstContainer().withNewResources()
                .addToRequests("cpu", new Quantity("3")).addToRequests("memory", new Quantity("8Gi")).endResources()
                .endContainer().endSpec().build();

        Scheduler.Decision d = Scheduler.decide(big, List.of(node("a", Map.of()), node("b", Map.of())), List.of());

        // NodeResourcesFit names every insufficient resource and FitError counts each reason per node
        assertThat(d.failure()).isEqualTo("0/2 nodes are available: 2 Insufficient cpu, 2 Insufficient memory. "
                + "preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.");
    }
}
