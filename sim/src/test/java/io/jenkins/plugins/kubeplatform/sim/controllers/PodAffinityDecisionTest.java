package io.jenkins.plugins.kubeplatform.sim.controllers;

import static io.jenkins.plugins.kubeplatform.sim.controllers.SchedulerTest.node;
import static io.jenkins.plugins.kubeplatform.sim.controllers.SchedulerTest.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodAffinityTermBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Scheduling decisions for inter-pod affinity and topology spread details, without a server: namespace scoping
 * (GetNamespacesFromPodAffinityTerm, namespaceSelector), matchLabelKeys, minDomains, and FitError's histogram order.
 */
class PodAffinityDecisionTest {

    private static final String HOSTNAME = "kubernetes.io/hostname";

    private static Node host(String name) {
        return node(name, Map.of(HOSTNAME, name));
    }

    private static Pod on(Pod pod, String node) {
        return new PodBuilder(pod).editSpec().withNodeName(node).endSpec().build();
    }

    private static PodBuilder labelled(String name, String namespace, Map<String, String> labels) {
        return pod(name).editMetadata().withNamespace(namespace).withLabels(labels).endMetadata();
    }

    private static PodAffinityTerm antiWeb() {
        return new PodAffinityTermBuilder().withLabelSelector(new LabelSelectorBuilder().addToMatchLabels("app", "web")
                .build()).withTopologyKey(HOSTNAME).build();
    }

    @Test
    void scopesAnExistingPodsAntiAffinityToItsOwnNamespaceWhenTheTermNamesNone() {
        Pod guard = on(labelled("guard", "team-a", Map.of()).editSpec().withNewAffinity().withNewPodAntiAffinity()
                .withRequiredDuringSchedulingIgnoredDuringExecution(antiWeb()).endPodAntiAffinity().endAffinity()
                .endSpec().build(), "a");
        Pod sameNamespace = labelled("web-a", "team-a", Map.of("app", "web")).build();
        Pod otherNamespace = labelled("web-b", "team-b", Map.of("app", "web")).build();

        assertThat(Scheduler.decide(sameNamespace, List.of(host("a")), List.of(guard)).failure())
                .startsWith("0/1 nodes are available: 1 node(s) didn't satisfy existing pods anti-affinity rules.");
        assertThat(Scheduler.decide(otherNamespace, List.of(host("a")), List.of(guard)).node()).contains("a");
    }

    @Test
    void appliesANamespaceSelectorToTheNamespacesLabels() {
        Pod web = on(labelled("web", "shop", Map.of("app", "web")).build(), "a");
        PodAffinityTerm selected = new PodAffinityTermBuilder(antiWeb()).withNewNamespaceSelector()
                .addToMatchLabels("tier", "frontend").endNamespaceSelector().build();
        Pod incoming = labelled("apart", "ops", Map.of()).editSpec().withNewAffinity().withNewPodAntiAffinity()
                .withRequiredDuringSchedulingIgnoredDuringExecution(selected).endPodAntiAffinity().endAffinity()
                .endSpec().build();

        var frontend = Map.of("shop", Map.of("tier", "frontend"), "ops", Map.<String, String>of());
        var unlabelled = Map.of("shop", Map.<String, String>of(), "ops", Map.<String, String>of());
        assertThat(Scheduler.decide(incoming, List.of(host("a")), List.of(web), frontend).failure())
                .startsWith("0/1 nodes are available: 1 node(s) didn't match pod anti-affinity rules.");
        assertThat(Scheduler.decide(incoming, List.of(host("a")), List.of(web), unlabelled).node()).contains("a");
    }

    @Test
    void narrowsAntiAffinityToTheSameRevisionWithMatchLabelKeys() {
        PodAffinityTerm perRevision = new PodAffinityTermBuilder(antiWeb()).withMatchLabelKeys("rev").build();
        Pod old = on(labelled("web-old", "default", Map.of("app", "web", "rev", "1")).editSpec().withNewAffinity()
                .withNewPodAntiAffinity().withRequiredDuringSchedulingIgnoredDuringExecution(perRevision)
                .endPodAntiAffinity().endAffinity().endSpec().build(), "a");
        Pod next = labelled("web-new", "default", Map.of("app", "web", "rev", "2")).editSpec().withNewAffinity()
                .withNewPodAntiAffinity().withRequiredDuringSchedulingIgnoredDuringExecution(perRevision)
                .endPodAntiAffinity().endAffinity().endSpec().build();
        Pod sibling = new PodBuilder(next).editMetadata().withName("web-old-2").withUid("web-old-2")
                .addToLabels("rev", "1").endMetadata().build();

        assertThat(Scheduler.decide(next, List.of(host("a")), List.of(old)).node()).contains("a");
        assertThat(Scheduler.decide(sibling, List.of(host("a")), List.of(old)).node()).isEmpty();
    }

    @Test
    void treatsTheGlobalMinimumAsZeroWhileThereAreFewerDomainsThanMinDomains() {
        Pod a = on(labelled("s-a", "default", Map.of("app", "s")).build(), "a");
        Pod b = on(labelled("s-b", "default", Map.of("app", "s")).build(), "b");
        PodBuilder next = labelled("s-c", "default", Map.of("app", "s")).editSpec().addNewTopologySpreadConstraint()
                .withMaxSkew(1).withTopologyKey(HOSTNAME).withWhenUnsatisfiable("DoNotSchedule")
                .withLabelSelector(new LabelSelectorBuilder().addToMatchLabels("app", "s").build())
                .endTopologySpreadConstraint().endSpec();
        List<Node> nodes = List.of(host("a"), host("b"));

        assertThat(Scheduler.decide(next.build(), nodes, List.of(a, b)).node()).contains("a");
        Pod withMinDomains = new PodBuilder(next.build()).editSpec().editFirstTopologySpreadConstraint()
                .withMinDomains(3).endTopologySpreadConstraint().endSpec().build();
        assertThat(Scheduler.decide(withMinDomains, nodes, List.of(a, b)).failure()).startsWith(
                "0/2 nodes are available: 2 node(s) didn't match pod topology spread constraints.");
    }

    @Test
    void sortsTheReasonHistogramAsStringsCountFirst() {
        Node tainted = new NodeBuilder(host("a")).editSpec().addToTaints(new TaintBuilder().withKey("dedicated")
                .withValue("db").withEffect("NoSchedule").build()).endSpec().build();
        Pod big = pod("big").editSpec().editFirstContainer().withNewResources().addToRequests("cpu",
                new Quantity("3")).endResources().endContainer().endSpec().build();

        assertThat(Scheduler.decide(big, List.of(tainted, host("b"), host("c")), List.of()).failure()).isEqualTo(
                "0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: db}, 2 Insufficient cpu. "
                        + "preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, "
                        + "2 No preemption victims found for incoming pod.");
    }
}
