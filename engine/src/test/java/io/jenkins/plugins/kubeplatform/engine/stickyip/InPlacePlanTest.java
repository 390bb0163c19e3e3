package io.jenkins.plugins.kubeplatform.engine.stickyip;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.jenkins.plugins.kubeplatform.engine.stickyip.ClusterView.LivePod;
import io.jenkins.plugins.kubeplatform.engine.stickyip.ClusterView.LiveService;
import io.jenkins.plugins.kubeplatform.engine.stickyip.ClusterView.LiveWorkload;
import io.jenkins.plugins.kubeplatform.engine.stickyip.ClusterView.NodeState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Which changes the planner takes in place (SIP-4): only container images, on a pod Ready from the live template. */
class InPlacePlanTest {

    private static final Map<String, NodeState> NODES = Map.of("n1", new NodeState("n1", true, true, "n1"),
            "n2", new NodeState("n2", true, true, "n2"));
    private static final String TEMPLATE = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  initContainers:
                  - {name: migrate, image: INIT}
                  containers:
                  - {name: web, image: "shop/web:1", ports: [{containerPort: 8080}]}
                  - {name: sidecar, image: SIDECAR}
            """;

    private final IpPool pool = Pools.pool("default", "10.42.200.0/24");

    private static List<Reservation> reservations(int n) {
        List<Reservation> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Reservation("shop/web-" + i, "default", "10.42.200." + (i + 1), Reservation.Kind.MANAGED,
                    Reservation.State.ACTIVE, "n" + (i + 1), null, "j", Instant.EPOCH, 1));
        }
        return out;
    }

    private static DeployRequest request(String image, String init, String sidecar) {
        return DeployRequest.of("shop", "web", image, 2, 0, "default").withTemplate(ManifestParser.parse("template",
                TEMPLATE.replace("INIT", init).replace("SIDECAR", sidecar)));
    }

    private static DeployRequest first() {
        return request("shop/web:1", "shop/migrate:1", "envoy:1");
    }

    /**
     * The cluster after {@code plan} was applied: its Deployments as written (with or without the shape annotation),
     * and one pod per identity, Ready with its address unless {@code ready} says otherwise.
     */
    private static ClusterView applied(DeployPlan plan, boolean withShape, boolean ready,
                                       UnaryOperator<String> podTemplateHash) {
        Map<String, LiveWorkload> workloads = new java.util.HashMap<>();
        List<LivePod> pods = new ArrayList<>();
        for (DeployPlan.WorkloadAction a : plan.workloads()) {
            Deployment d = ((DeployPlan.Create) a).desired();
            Map<String, String> ann = d.getMetadata().getAnnotations();
            String name = d.getMetadata().getName();
            workloads.put(name, new LiveWorkload(name, true, ann.get(StickyIpLabels.SPEC_HASH),
                    ann.get(StickyIpLabels.TEMPLATE_HASH), ann.get(StickyIpLabels.PINNED_NODE),
                    withShape ? ann.get(StickyIpLabels.SHAPE_HASH) : null, false));
            pods.add(new LivePod("shop", name + "-abc", name, a.reservation().ip(), ann.get(StickyIpLabels.PINNED_NODE),
                    "Running", ready, false, podTemplateHash.apply(a.templateHash()), name + "-5d8f"));
        }
        var svc = ((DeployPlan.CreateService) plan.service()).desired();
        return new ClusterView(workloads, pods, Optional.of(new LiveService(true,
                svc.getMetadata().getAnnotations().get(StickyIpLabels.SPEC_HASH))), NODES);
    }

    private DeployPlan deployed(DeployRequest next, boolean withShape, boolean ready, UnaryOperator<String> hash) {
        DeployPlan firstPlan = DeployPlanner.plan(first(), pool, reservations(2), List.of(),
                new ClusterView(Map.of(), List.of(), Optional.empty(), NODES));
        return DeployPlanner.plan(next, pool, reservations(2), List.of(), applied(firstPlan, withShape, ready, hash));
    }

    private static List<Optional<String>> inPlacePods(DeployPlan plan) {
        return plan.workloads().stream().map(a -> ((DeployPlan.Replace) a).inPlace()
                .map(LivePod::name)).toList();
    }

    @Test
    void updatesEachIdentityInPlaceWhenOnlyContainerImagesChange() {
        DeployPlan plan = deployed(request("shop/web:2", "shop/migrate:1", "envoy:2"), true, true, h -> h);

        assertThat(inPlacePods(plan)).containsExactly(Optional.of("web-0-abc"), Optional.of("web-1-abc"));
        assertThat(plan.describe().get(0)).startsWith("shop/web-0 -> 10.42.200.1: update in place: image changed;")
                .contains("web-0-abc restarts its containers on n1, keeping 10.42.200.1");
        Deployment desired = ((DeployPlan.Replace) plan.workloads().get(0)).desired();
        assertThat(desired.getSpec().getTemplate().getSpec().getContainers())
                .extracting(c -> c.getImage()).containsExactly("shop/web:2", "envoy:2");
    }

    @Test
    void replacesWhenAnInitContainerImageChangesBecauseARunningPodDoesNotRunItsInitContainersAgain() {
        DeployPlan plan = deployed(request("shop/web:2", "shop/migrate:2", "envoy:1"), true, true, h -> h);

        assertThat(inPlacePods(plan)).containsOnly(Optional.empty());
        assertThat(plan.describe().get(0)).contains(": replace: workload changed");
    }

    @Test
    void replacesWhenMoreThanImagesChange() {
        DeployPlan plan = deployed(request("shop/web:2", "shop/migrate:1", "envoy:1")
                .withEnv(Map.of("MODE", "blue")), true, true, h -> h);

        assertThat(inPlacePods(plan)).containsOnly(Optional.empty());
    }

    @Test
    void replacesADeploymentWrittenBeforeShapeHashesExisted() {
        DeployPlan plan = deployed(request("shop/web:2", "shop/migrate:1", "envoy:1"), false, true, h -> h);

        assertThat(inPlacePods(plan)).containsOnly(Optional.empty());
    }

    @Test
    void replacesAnIdentityWhosePodIsNotReady() {
        DeployPlan plan = deployed(request("shop/web:2", "shop/migrate:1", "envoy:1"), true, false, h -> h);

        assertThat(inPlacePods(plan)).containsOnly(Optional.empty());
    }

    @Test
    void replacesAnIdentityWhosePodRunsAnotherTemplateThanItsDeployment() {
        DeployPlan plan = deployed(request("shop/web:2", "shop/migrate:1", "envoy:1"), true, true, h -> "older");

        assertThat(inPlacePods(plan)).containsOnly(Optional.empty());
    }

    @Test
    void replacesAnIdentityWhosePodNoReplicaSetControls() {
        DeployPlan firstPlan = DeployPlanner.plan(first(), pool, reservations(2), List.of(),
                new ClusterView(Map.of(), List.of(), Optional.empty(), NODES));
        ClusterView view = applied(firstPlan, true, true, h -> h);
        List<LivePod> bare = view.pods().stream().map(p -> new LivePod(p.namespace(), p.name(), p.identity(), p.ip(),
                p.node(), p.phase(), p.ready(), p.terminating(), p.templateHash(), null)).toList();
        DeployPlan plan = DeployPlanner.plan(request("shop/web:2", "shop/migrate:1", "envoy:1"), pool,
                reservations(2), List.of(), new ClusterView(view.workloads(), bare, view.service(), NODES));

        assertThat(inPlacePods(plan)).containsOnly(Optional.empty());
    }

    @Test
    void replacesAnIdentityThatHasASecondPodAndUpdatesTheOthersInPlace() {
        DeployPlan firstPlan = DeployPlanner.plan(first(), pool, reservations(2), List.of(),
                new ClusterView(Map.of(), List.of(), Optional.empty(), NODES));
        ClusterView view = applied(firstPlan, true, true, h -> h);
        List<LivePod> pods = new ArrayList<>(view.pods());
        LivePod healthy = pods.stream().filter(p -> p.identity().equals("web-0")).findFirst().orElseThrow();
        // an earlier pod of the same identity, still terminating
        pods.add(new LivePod("shop", "web-0-old", "web-0", null, "n1", "Running", false, true,
                healthy.templateHash(), healthy.replicaSet()));
        DeployPlan plan = DeployPlanner.plan(request("shop/web:2", "shop/migrate:1", "envoy:1"), pool,
                reservations(2), List.of(), new ClusterView(view.workloads(), pods, view.service(), NODES));

        assertThat(inPlacePods(plan)).containsExactly(Optional.empty(), Optional.of("web-1-abc"));
    }

    @Test
    void keepsAnUnchangedIdentityWithoutWriting() {
        DeployPlan plan = deployed(first(), true, true, h -> h);

        assertThat(plan.workloads()).allMatch(a -> a instanceof DeployPlan.Keep);
    }
}
