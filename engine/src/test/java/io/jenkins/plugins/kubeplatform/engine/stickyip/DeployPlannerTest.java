package io.jenkins.plugins.kubeplatform.engine.stickyip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException;
import io.jenkins.plugins.kubeplatform.engine.stickyip.ClusterView.LivePod;
import io.jenkins.plugins.kubeplatform.engine.stickyip.ClusterView.LiveService;
import io.jenkins.plugins.kubeplatform.engine.stickyip.ClusterView.LiveWorkload;
import io.jenkins.plugins.kubeplatform.engine.stickyip.ClusterView.NodeState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DeployPlannerTest {

    private static final Map<String, NodeState> NODES = Map.of(
            "n1", new NodeState("n1", true, true, "n1"),
            "n2", new NodeState("n2", true, true, "n2"),
            "n3", new NodeState("n3", true, true, "n3"));

    private final IpPool calico = Pools.pool("default", "10.42.200.0/24");
    private final IpPool ovn = PoolSettings.builder("ovn").ranges("10.16.0.0/24").cni("kube-ovn").build().toPool();
    private final IpPool required = PoolSettings.builder("req").ranges("10.42.200.0/24").nodePinning("required")
            .build().toPool();

    private static DeployRequest request(int replicas) {
        return DeployRequest.of("shop", "web", "nginx:1.27", replicas, 8080, "default");
    }

    private static List<Reservation> reservations(String ns, int n, String... nodes) {
        return IntStream.range(0, n).mapToObj(i -> new Reservation(ns + "/web-" + i, "default", "10.42.200." + (i + 1),
                Reservation.Kind.MANAGED, Reservation.State.ACTIVE, i < nodes.length ? nodes[i] : null, null, "j",
                Instant.EPOCH, 1)).toList();
    }

    private static ClusterView empty(Map<String, NodeState> nodes) {
        return new ClusterView(Map.of(), List.of(), Optional.empty(), nodes);
    }

    /** The cluster after a plan was applied and every pod came up on its pinned node. */
    private static ClusterView applied(DeployPlan plan, Map<String, NodeState> nodes) {
        Map<String, LiveWorkload> workloads = new HashMap<>();
        List<LivePod> pods = new ArrayList<>();
        for (DeployPlan.WorkloadAction a : plan.workloads()) {
            Deployment d = a instanceof DeployPlan.Create c ? c.desired() : ((DeployPlan.Replace) a).desired();
            var ann = d.getMetadata().getAnnotations();
            workloads.put(d.getMetadata().getName(), new LiveWorkload(d.getMetadata().getName(), true,
                    ann.get(StickyIpLabels.SPEC_HASH), ann.get(StickyIpLabels.TEMPLATE_HASH), ann.get(StickyIpLabels.PINNED_NODE)));
            pods.add(new LivePod("shop", d.getMetadata().getName() + "-x", d.getMetadata().getName(), a.reservation().ip(),
                    ann.getOrDefault(StickyIpLabels.PINNED_NODE, "n1"), "Running", true, false, a.templateHash()));
        }
        var svc = ((DeployPlan.CreateService) plan.service()).desired();
        return new ClusterView(workloads, pods, Optional.of(new LiveService(true,
                svc.getMetadata().getAnnotations().get(StickyIpLabels.SPEC_HASH))), nodes);
    }

    @Test
    void rendersOneSingleReplicaRecreateWorkloadPerIdentityWithTheCalicoAnnotationAsJsonArray() {
        DeployPlan plan = DeployPlanner.plan(request(3), calico, reservations("shop", 3), List.of(), empty(NODES));

        assertThat(plan.workloads()).hasSize(3).allMatch(a -> a instanceof DeployPlan.Create);
        Deployment d = ((DeployPlan.Create) plan.workloads().get(1)).desired();
        assertThat(d.getMetadata().getName()).isEqualTo("web-1");
        assertThat(d.getSpec().getReplicas()).isEqualTo(1);
        assertThat(d.getSpec().getStrategy().getType()).isEqualTo("Recreate");
        assertThat(d.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry("cni.projectcalico.org/ipAddrs", "[\"10.42.200.2\"]");
        assertThat(d.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("app.kubernetes.io/name", "web")
                .containsEntry("app.kubernetes.io/managed-by", "kubernetes-platform-steps")
                .containsEntry("kubeplatform.jenkins.io/identity", "web-1");
        assertThat(d.getMetadata().getLabels()).containsEntry("kubeplatform.jenkins.io/identity", "web-1");
        assertThat(d.getSpec().getSelector().getMatchLabels()).containsEntry("kubeplatform.jenkins.io/identity", "web-1");
        var svc = ((DeployPlan.CreateService) plan.service()).desired();
        assertThat(svc.getMetadata().getName()).isEqualTo("web");
        // the Service also selects the traffic label repairNode removes; the workload's selector does not
        assertThat(svc.getSpec().getSelector()).containsOnly(Map.entry("app.kubernetes.io/name", "web"),
                Map.entry("app.kubernetes.io/managed-by", "kubernetes-platform-steps"),
                Map.entry("kubeplatform.jenkins.io/traffic", "on"));
        assertThat(d.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("kubeplatform.jenkins.io/traffic", "on");
        assertThat(d.getSpec().getSelector().getMatchLabels()).doesNotContainKey("kubeplatform.jenkins.io/traffic");
        assertThat(svc.getMetadata().getAnnotations()).containsEntry("kubeplatform.jenkins.io/owner-step", "stickyIpDeploy");
    }

    @Test
    void rendersTheKubeOvnAnnotationAsAPlainAddress() {
        DeployPlan plan = DeployPlanner.plan(request(1), ovn, reservations("shop", 1), List.of(), empty(NODES));

        Deployment d = ((DeployPlan.Create) plan.workloads().get(0)).desired();
        assertThat(d.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry("ovn.kubernetes.io/ip_address", "10.42.200.1")
                .doesNotContainKey("cni.projectcalico.org/ipAddrs");
    }

    @Test
    void spreadsFirstPlacementsOverReadyNodesAsPreferredAffinity() {
        DeployPlan plan = DeployPlanner.plan(request(3), calico, reservations("shop", 3), List.of(), empty(NODES));

        assertThat(plan.workloads()).extracting(a -> ((DeployPlan.Create) a).pinnedNode().orElseThrow())
                .containsExactly("n1", "n2", "n3");
        var affinity = ((DeployPlan.Create) plan.workloads().get(0)).desired().getSpec().getTemplate().getSpec()
                .getAffinity().getNodeAffinity();
        assertThat(affinity.getRequiredDuringSchedulingIgnoredDuringExecution()).isNull();
        assertThat(affinity.getPreferredDuringSchedulingIgnoredDuringExecution().get(0).getPreference()
                .getMatchExpressions().get(0).getValues()).containsExactly("n1");
    }

    @Test
    void pinsToTheLastNodeAsRequiredWhenThePoolSaysSo() {
        DeployPlan plan = DeployPlanner.plan(request(1), required, reservations("shop", 1, "n2"), List.of(), empty(NODES));

        var affinity = ((DeployPlan.Create) plan.workloads().get(0)).desired().getSpec().getTemplate().getSpec()
                .getAffinity().getNodeAffinity();
        assertThat(affinity.getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms().get(0)
                .getMatchExpressions().get(0).getValues()).containsExactly("n2");
    }

    @Test
    void schedulesAnywhereButKeepsTheAddressWhenTheLastNodeIsNotReady() {
        Map<String, NodeState> nodes = new HashMap<>(NODES);
        nodes.put("n2", new NodeState("n2", false, true, "n2"));

        DeployPlan plan = DeployPlanner.plan(request(1), calico, reservations("shop", 1, "n2"), List.of(), empty(nodes));

        DeployPlan.Create create = (DeployPlan.Create) plan.workloads().get(0);
        assertThat(create.pinnedNode()).isEmpty();
        assertThat(create.desired().getSpec().getTemplate().getSpec().getAffinity()).isNull();
        assertThat(create.reservation().ip()).isEqualTo("10.42.200.1");
    }

    /**
     * The Deployment as a server returns it after the first deploy: a JSON round trip plus the fields the server
     * stamps and defaults. Only the recorded annotations carry over from what the planner wrote.
     */
    private static LiveWorkload stored(Deployment written) {
        Deployment d = io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
                io.fabric8.kubernetes.client.utils.Serialization.asJson(written), Deployment.class);
        d.getMetadata().setNamespace("shop");
        d.getMetadata().setResourceVersion("4711");
        d.getMetadata().setUid("0b7f6c1e-1111-4222-8333-944455556666");
        d.getMetadata().setGeneration(1L);
        d.getMetadata().setCreationTimestamp("2026-01-01T00:00:00Z");
        d.getMetadata().getAnnotations().put("deployment.kubernetes.io/revision", "1");
        d.getSpec().setRevisionHistoryLimit(10);
        d.getSpec().setProgressDeadlineSeconds(600);
        d.setStatus(new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder().withReplicas(1)
                .withObservedGeneration(1L).build());
        return ClusterObserver.liveWorkload(d);
    }

    /** A pod of identity web-i, as the kubelet reports it: node and address from the test's own expectations. */
    private static LivePod pod(int i, String node, String ip, boolean ready, String templateHash) {
        return new LivePod("shop", "web-" + i + "-7d9f8", "web-" + i, ready ? ip : null, node,
                ready ? "Running" : "Pending", ready, false, templateHash);
    }

    @Test
    void plansNoWritesWhenNothingChanged() {
        DeployPlan first = DeployPlanner.plan(request(3), calico, reservations("shop", 3), List.of(), empty(NODES));
        Map<String, LiveWorkload> workloads = new HashMap<>();
        for (DeployPlan.WorkloadAction a : first.workloads()) {
            LiveWorkload w = stored(((DeployPlan.Create) a).desired());
            workloads.put(w.name(), w);
        }
        // pre-condition: the cluster records the spread the first deploy chose (n1, n2, n3), not just any value
        assertThat(List.of("web-0", "web-1", "web-2")).extracting(n -> workloads.get(n).pinnedNode())
                .containsExactly("n1", "n2", "n3");
        var svc = ((DeployPlan.CreateService) first.service()).desired();
        Optional<LiveService> service = Optional.of(new LiveService(true,
                svc.getMetadata().getAnnotations().get(StickyIpLabels.SPEC_HASH)));
        List<Reservation> recorded = reservations("shop", 3, "n1", "n2", "n3");

        // every pod running and ready with its address
        ClusterView running = new ClusterView(workloads, List.of(
                pod(0, "n1", "10.42.200.1", true, "t0"), pod(1, "n2", "10.42.200.2", true, "t1"),
                pod(2, "n3", "10.42.200.3", true, "t2")), service, NODES);
        DeployPlan again = DeployPlanner.plan(request(3), calico, recorded, List.of(), running);
        assertThat(again.workloads()).allMatch(a -> a instanceof DeployPlan.Keep);
        assertThat(again.workloads()).extracting(a -> a.reservation().ip())
                .containsExactly("10.42.200.1", "10.42.200.2", "10.42.200.3");
        assertThat(again.service()).isInstanceOf(DeployPlan.KeepService.class);
        assertThat(again.writesNothing()).isTrue();

        // pods still starting: nothing is healthy yet, so only the recorded pins tell that nothing changed
        ClusterView starting = new ClusterView(workloads, List.of(
                pod(0, "n1", "10.42.200.1", false, null), pod(1, "n2", "10.42.200.2", false, null),
                pod(2, "n3", "10.42.200.3", false, null)), service, NODES);
        assertThat(DeployPlanner.plan(request(3), calico, recorded, List.of(), starting).writesNothing()).isTrue();
    }

    @Test
    void replacesEveryWorkloadForANewImageAndKeepsTheAddresses() {
        DeployPlan first = DeployPlanner.plan(request(2), calico, reservations("shop", 2), List.of(), empty(NODES));

        DeployPlan second = DeployPlanner.plan(request(2).withImage("nginx:1.28"), calico,
                reservations("shop", 2, "n1", "n2"), List.of(), applied(first, NODES));

        assertThat(second.workloads()).allMatch(a -> a instanceof DeployPlan.Replace);
        assertThat(second.workloads()).extracting(a -> a.reservation().ip()).containsExactly("10.42.200.1", "10.42.200.2");
        assertThat(second.service()).isInstanceOf(DeployPlan.KeepService.class);
    }

    @Test
    void keepsAHealthyPodWhoseRecordedNodeMovedInsteadOfRestartingIt() {
        DeployPlan first = DeployPlanner.plan(request(1), calico, reservations("shop", 1), List.of(), empty(NODES));

        // the pod failed over to n3; the ledger recorded that
        DeployPlan second = DeployPlanner.plan(request(1), calico, reservations("shop", 1, "n3"), List.of(),
                applied(first, NODES));

        assertThat(second.workloads().get(0)).isInstanceOf(DeployPlan.Keep.class);
    }

    @Test
    void removesIdentitiesBeyondTheReplicaCountKeepingAddressesInAKeepNamespace() {
        DeployRequest keep3 = DeployRequest.of("keep", "web", "nginx:1.27", 3, 8080, "default");
        DeployPlan first = DeployPlanner.plan(keep3, calico, reservations("keep", 3), List.of(), empty(NODES));
        List<Reservation> all = reservations("keep", 3, "n1", "n2", "n3");

        DeployPlan down = DeployPlanner.plan(DeployRequest.of("keep", "web", "nginx:1.27", 1, 8080, "default"), calico,
                all.subList(0, 1), all.subList(1, 3), applied(first, NODES));

        assertThat(down.removals()).extracting(r -> r.identity().key()).containsExactly("keep/web-1", "keep/web-2");
        assertThat(down.removals()).allMatch(r -> r.keepReservation() && r.workloadExists());
        DeployPlan elsewhere = DeployPlanner.plan(request(1), calico, reservations("shop", 1), reservations("shop", 3).subList(1, 3),
                empty(NODES));
        assertThat(elsewhere.removals()).noneMatch(DeployPlan.Removal::keepReservation);
    }

    @Test
    void refusesWorkloadsAndServicesItDoesNotManage() {
        ClusterView foreign = new ClusterView(Map.of("web-0", new LiveWorkload("web-0", false, null, null, null)),
                List.of(), Optional.empty(), NODES);
        ClusterView foreignService = new ClusterView(Map.of(), List.of(), Optional.of(new LiveService(false, null)), NODES);

        assertThatThrownBy(() -> DeployPlanner.checkOwnership(request(1), foreign))
                .isInstanceOf(OperationFailedException.class).hasMessageContaining("Deployment shop/web-0 exists but is not managed");
        assertThatThrownBy(() -> DeployPlanner.checkOwnership(request(1), foreignService))
                .isInstanceOf(OperationFailedException.class).hasMessageContaining("Service shop/web exists");
    }

    @Test
    void reallocatesOnlyIdentitiesWhoseLastNodeIsGoneNotReadyOrCordoned() {
        IpPool reallocating = PoolSettings.builder("re").ranges("10.42.200.0/24").reallocateWhenNodeLost(true)
                .build().toPool();
        Map<String, NodeState> nodes = Map.of(
                "n1", new NodeState("n1", true, true, "n1"),
                "n2", new NodeState("n2", false, true, "n2"),
                "n3", new NodeState("n3", true, false, "n3"));
        Map<String, Reservation> existing = new HashMap<>();
        // web-0 on a healthy node, web-1 not ready, web-2 cordoned, web-3 on a deleted node, web-4 never placed,
        // web-5 beyond the replica count on a deleted node
        for (Reservation r : reservations("shop", 6, "n1", "n2", "n3", "gone", null, "gone")) {
            existing.put(r.identity(), r);
        }

        assertThat(DeployPlanner.toReallocate(request(5), reallocating, existing, empty(nodes)))
                .containsExactly("shop/web-1", "shop/web-2", "shop/web-3");
        assertThat(DeployPlanner.toReallocate(request(5), calico, existing, empty(nodes))).isEmpty();
    }

    @Test
    void removesOnlyNumberedWorkloadsAtOrBeyondTheReplicaCountAndActiveReservationsWithoutOne() {
        Map<String, LiveWorkload> workloads = new HashMap<>();
        for (String name : List.of("web-0", "web-1", "web-2", "web-canary", "web-00003", "webapp-7", "web-")) {
            workloads.put(name, new LiveWorkload(name, true, "s", "t", null));
        }
        ClusterView view = new ClusterView(workloads, List.of(), Optional.empty(), NODES);
        Reservation idle = new Reservation("shop/web-4", "default", "10.42.200.5", Reservation.Kind.MANAGED,
                Reservation.State.IDLE, null, Instant.EPOCH, "j", Instant.EPOCH, 1);
        Reservation active = new Reservation("shop/web-5", "default", "10.42.200.6", Reservation.Kind.MANAGED,
                Reservation.State.ACTIVE, "n1", null, "j", Instant.EPOCH, 1);
        Reservation below = new Reservation("shop/web-1", "default", "10.42.200.2", Reservation.Kind.MANAGED,
                Reservation.State.ACTIVE, "n1", null, "j", Instant.EPOCH, 1);

        DeployPlan plan = DeployPlanner.plan(request(2), calico, reservations("shop", 2), List.of(idle, active, below),
                view);

        assertThat(plan.removals()).extracting(r -> r.identity().key() + " exists=" + r.workloadExists()
                        + " reservation=" + r.reservation().map(Reservation::ip).orElse("-"))
                .containsExactly("shop/web-2 exists=true reservation=-", "shop/web-5 exists=false reservation=10.42.200.6");
    }

    @Test
    void refusesReservationsThatDoNotMatchTheIdentities() {
        assertThatThrownBy(() -> DeployPlanner.plan(request(2), calico, reservations("shop", 1), List.of(), empty(NODES)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one reservation per identity");
        assertThatThrownBy(() -> DeployPlanner.plan(request(1), calico, reservations("other", 1), List.of(), empty(NODES)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reservation other/web-0 given for");
    }

    @Test
    void replacesAWorkloadWhosePinIsOutdatedWhenItsOwnPodIsNotHealthy() {
        DeployPlan first = DeployPlanner.plan(request(2), calico, reservations("shop", 2), List.of(), empty(NODES));
        ClusterView appliedView = applied(first, NODES); // web-0 pinned to n1, web-1 to n2, both pods healthy
        // web-0's pod is gone; only web-1's healthy pod is left
        ClusterView withoutWeb0 = new ClusterView(appliedView.workloads(), appliedView.pods().stream()
                .filter(p -> p.identity().equals("web-1")).toList(), appliedView.service(), NODES);

        DeployPlan second = DeployPlanner.plan(request(2), calico, reservations("shop", 2, "n3", "n2"), List.of(),
                withoutWeb0);

        assertThat(second.workloads().get(0)).isInstanceOfSatisfying(DeployPlan.Replace.class,
                r -> assertThat(r.pinnedNode()).contains("n3"));
        assertThat(second.workloads().get(1)).isInstanceOf(DeployPlan.Keep.class);
    }

    @Test
    void pinsToTheLiveWorkloadsNodeWhenTheReservationRecordsNone() {
        ClusterView view = new ClusterView(Map.of("web-0", new LiveWorkload("web-0", true, "old", "old", "n3")),
                List.of(), Optional.empty(), NODES);

        DeployPlan plan = DeployPlanner.plan(request(1), calico, reservations("shop", 1), List.of(), view);

        assertThat(plan.workloads().get(0)).isInstanceOfSatisfying(DeployPlan.Replace.class,
                r -> assertThat(r.pinnedNode()).contains("n3"));
    }

    @Test
    void pinsNothingWhenThePoolTurnsPinningOff() {
        IpPool off = PoolSettings.builder("off").ranges("10.42.200.0/24").nodePinning("off").build().toPool();

        DeployPlan plan = DeployPlanner.plan(request(2), off, reservations("shop", 2, "n1"), List.of(), empty(NODES));

        assertThat(plan.workloads()).allSatisfy(a -> assertThat(((DeployPlan.Create) a).pinnedNode()).isEmpty());
        assertThat(((DeployPlan.Create) plan.workloads().get(0)).desired().getSpec().getTemplate().getSpec()
                .getAffinity()).isNull();
    }

    @Test
    void countsOnlyNewPlacementsTowardsTheSpreadOfLaterIdentities() {
        Map<String, NodeState> twoNodes = Map.of("n1", new NodeState("n1", true, true, "n1"),
                "n2", new NodeState("n2", true, true, "n2"));

        // web-0 already lives on n1 (load n1=1); web-1 goes to the emptier n2; web-2 ties 1:1 and takes n1 by name
        DeployPlan plan = DeployPlanner.plan(request(3), calico, reservations("shop", 3, "n1"), List.of(), empty(twoNodes));

        assertThat(plan.workloads()).extracting(a -> ((DeployPlan.Create) a).pinnedNode().orElseThrow())
                .containsExactly("n1", "n2", "n1");
    }
}
