package io.jenkins.plugins.kubeplatform.sim.controllers;

import static io.jenkins.plugins.kubeplatform.sim.controllers.PodAffinitySchedulingTest.awaitUnschedulable;
import static io.jenkins.plugins.kubeplatform.sim.controllers.PodAffinitySchedulingTest.bound;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.sim.Pods;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Topology spread constraints as kube-scheduler v1.32's PodTopologySpread plugin applies them
 * (pkg/scheduler/framework/plugins/podtopologyspread/filtering.go, scoring.go), on the three default nodes: node-1 and
 * node-2 in region eu-central-1, node-3 in eu-west-3. A node passes a DoNotSchedule constraint when the matching pods
 * in its domain, plus one if the pod matches the selector itself, minus the fewest in any eligible domain, is at most
 * maxSkew.
 */
@Timeout(120)
class TopologySpreadSchedulingTest {

    private static final String NS = "default";
    private static final String REGION = "topology.kubernetes.io/region";

    @AutoClose
    static final SimulatedCluster sim = SimulatedCluster.start(SimOptions.builder().speed(50).nodes(3).build());
    static final KubernetesClient client = sim.client();

    static TopologySpreadConstraint constraint(String app, String key, String when) {
        return new TopologySpreadConstraintBuilder().withMaxSkew(1).withTopologyKey(key).withWhenUnsatisfiable(when)
                .withLabelSelector(new LabelSelectorBuilder().addToMatchLabels("app", app).build()).build();
    }

    static Pod spreadPod(String name, String app, TopologySpreadConstraint c) {
        return Pods.pod(name).editMetadata().withLabels(Map.of("app", app)).endMetadata().editSpec()
                .withTopologySpreadConstraints(c).endSpec().build();
    }

    @Test
    void balancesPodsAcrossRegionsWithMaxSkewOne() {
        // every pod prefers eu-central-1: without the constraint all four would go there
        for (int i = 1; i <= 4; i++) {
            Pods.create(client, new io.fabric8.kubernetes.api.model.PodBuilder(spreadPod("even-" + i, "even",
                    constraint("even", REGION, "DoNotSchedule"))).editSpec().withNewAffinity().withNewNodeAffinity()
                    .addNewPreferredDuringSchedulingIgnoredDuringExecution().withWeight(100).withNewPreference()
                    .addNewMatchExpression().withKey(REGION).withOperator("In").withValues("eu-central-1")
                    .endMatchExpression().endPreference().endPreferredDuringSchedulingIgnoredDuringExecution()
                    .endNodeAffinity().endAffinity().endSpec().build());
        }
        List<Pod> pods = Pods.awaitAll(client, NS, "app", "even",
                ps -> ps.size() == 4 && ps.stream().allMatch(p -> p.getSpec().getNodeName() != null));
        Map<String, Long> perRegion = pods.stream().collect(Collectors.groupingBy(
                p -> p.getSpec().getNodeName().equals("node-3") ? "eu-west-3" : "eu-central-1", Collectors.counting()));
        assertThat(perRegion).containsEntry("eu-central-1", 2L).containsEntry("eu-west-3", 2L);
    }

    @Test
    void refusesANodeWhereThePodWouldExceedMaxSkewCountingDomainsItsNodeAffinityExcludesOnlyWhenIgnored() {
        Pods.create(client, Pods.pod("skew-1").editMetadata().withLabels(Map.of("app", "skew")).endMetadata()
                .editSpec().addToNodeSelector("kubernetes.io/hostname", "node-1").endSpec().build());
        assertThat(bound(client, "skew-1")).isEqualTo("node-1");

        TopologySpreadConstraint ignoringAffinity = new TopologySpreadConstraintBuilder(
                constraint("skew", "kubernetes.io/hostname", "DoNotSchedule")).withNodeAffinityPolicy("Ignore").build();
        Pods.create(client, new io.fabric8.kubernetes.api.model.PodBuilder(spreadPod("skew-2", "skew",
                ignoringAffinity)).editSpec().addToNodeSelector("kubernetes.io/hostname", "node-1").endSpec().build());
        assertThat(awaitUnschedulable(client, "skew-2").getMessage()).isEqualTo("0/3 nodes are available: 1 node(s) "
                + "didn't match pod topology spread constraints, 2 node(s) didn't match Pod's node affinity/selector. "
                + "preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption "
                + "is not helpful for scheduling.");

        // nodeAffinityPolicy Honor (the default): node-2 and node-3 are not domains, so node-1 is within maxSkew
        Pods.create(client, new io.fabric8.kubernetes.api.model.PodBuilder(spreadPod("skew-3", "skew",
                constraint("skew", "kubernetes.io/hostname", "DoNotSchedule"))).editSpec()
                .addToNodeSelector("kubernetes.io/hostname", "node-1").endSpec().build());
        assertThat(bound(client, "skew-3")).isEqualTo("node-1");
    }

    @Test
    void refusesEveryNodeWithoutTheConstraintsTopologyKey() {
        Pods.create(client, spreadPod("racked", "racked", constraint("racked", "example.com/rack", "DoNotSchedule")));
        assertThat(awaitUnschedulable(client, "racked").getMessage()).isEqualTo("0/3 nodes are available: 3 node(s) "
                + "didn't match pod topology spread constraints (missing required label). preemption: 0/3 nodes are "
                + "available: 3 Preemption is not helpful for scheduling.");
    }

    @Test
    void prefersTheLeastPopulatedRegionForScheduleAnyway() {
        Pods.create(client, Pods.pod("soft-1").editMetadata().withLabels(Map.of("app", "soft")).endMetadata()
                .editSpec().addToNodeSelector("kubernetes.io/hostname", "node-3").endSpec().build());
        assertThat(bound(client, "soft-1")).isEqualTo("node-3");
        Pods.create(client, Pods.pod("soft-2").editMetadata().withLabels(Map.of("app", "soft")).endMetadata()
                .editSpec().addToNodeSelector("kubernetes.io/hostname", "node-3").endSpec().build());
        assertThat(bound(client, "soft-2")).isEqualTo("node-3");

        // node-1 and node-2 have less free cpu (the score's next criterion), so only the spread score keeps node-3 out
        for (String node : List.of("node-1", "node-2")) {
            Pods.create(client, Pods.pod("cpu-on-" + node).editSpec().addToNodeSelector("kubernetes.io/hostname", node)
                    .editFirstContainer().withNewResources().addToRequests("cpu",
                            new io.fabric8.kubernetes.api.model.Quantity("1")).endResources().endContainer().endSpec()
                    .build());
            assertThat(bound(client, "cpu-on-" + node)).isEqualTo(node);
        }
        // region eu-west-3 has two matching pods, eu-central-1 none: the pod avoids node-3 though it could go there
        Pods.create(client, spreadPod("soft-3", "soft", constraint("soft", REGION, "ScheduleAnyway")));
        assertThat(bound(client, "soft-3")).isIn("node-1", "node-2");
    }
}
