package io.jenkins.plugins.kubeplatform.engine.stickyip;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.engine.core.Afterwards;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.kube.AccessCheck;
import io.jenkins.plugins.kubeplatform.engine.kube.ApiRetry;
import io.jenkins.plugins.kubeplatform.engine.stickyip.ClusterView.NodeState;
import io.jenkins.plugins.kubeplatform.engine.stickyip.address.IpKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Deploys an app so every replica identity keeps its pod IP (SIP-1..SIP-7, SIP-11): observe the cluster, reserve
 * the addresses in the ledger (durably, before anything is applied), plan, then roll the identities as a Deployment
 * rolls its pods ({@link Rollout}): create every new identity at once, replace changed ones under a
 * {@code maxUnavailable} budget, await all through one watch on the app's pods — and finally remove the identities
 * beyond the replica count. Re-running an unchanged deploy writes nothing to the cluster.
 *
 * <p>Entry point for the Jenkins step, the CLI and the demo: {@link #deploy}.
 */
public final class StickyIpDeployer {

    private final Map<String, IpPool> pools;
    private final IpReservationLedger ledger;
    private final ClusterObserver observer;
    private final WorkloadApplier applier;
    private final PodVerifier verifier;
    private final KubernetesClient client;
    private final ApiRetry retry;

    public StickyIpDeployer(KubernetesClient client, Map<String, IpPool> pools, IpReservationLedger ledger, ApiRetry retry) {
        this.client = client;
        this.retry = retry;
        this.pools = Map.copyOf(pools);
        this.ledger = ledger;
        this.observer = new ClusterObserver(client, retry);
        this.applier = new WorkloadApplier(client, retry, ledger.clock());
        this.verifier = new PodVerifier(client, retry);
    }

    /**
     * Deploys {@code request}. Input errors ({@link InvalidInputException}) and pool exhaustion
     * ({@link PoolExhaustedException}) are raised before anything in the cluster changes.
     */
    public DeployResult deploy(DeployRequest request, Progress progress) {
        return deploy(request, RolloutPolicy.defaults(), progress);
    }

    /**
     * Deploys {@code request}, rolling its identities as {@code rollout} says: new identities all at once, changed
     * ones at most {@link RolloutPolicy#budget(int)} unavailable at a time.
     */
    public DeployResult deploy(DeployRequest request, RolloutPolicy rollout, Progress progress) {
        request.validate();
        // every input rule first (exit code 2 even when the cluster is unreachable), then the permissions
        IpPool requested = pool(request.pool());
        request.template().ifPresent(t -> TemplateRules.check(t, request, requested.cni()));
        AccessCheck.require(client, retry, "stickyIpDeploy", permissions(request, requested));
        Prepared prepared = prepare(request, ledger, progress);
        IpPool pool = prepared.pool();
        DeployPlan plan = prepared.plan();
        progress.plan("stickyIpDeploy " + request.namespace() + "/" + request.name() + " (" + request.replicas()
                + " replica(s), image " + (request.image().isBlank() ? "from the template" : request.image())
                + request.template().map(t -> ", workload from the " + t.source()).orElse("") + ", pool " + pool.name() + "): " + String.join("; ", plan.describe()));
        checkPodAdmission(plan, prePullPods(request, plan, prepared.appPods(), prepared.view().nodes(), rollout),
                progress);
        writePullSecret(request, progress);
        Placed placed = roll(request, plan, prepared.view(), rollout, progress);
        List<DeployResult.IdentityResult> results = new ArrayList<>();
        Optional<String> digest = digestOf(request.image());
        for (DeployPlan.WorkloadAction action : plan.workloads()) {
            results.add(placed.byIdentity().get(action.identity().key()));
            Pod pod = placed.podByIdentity().get(action.identity().key());
            if (digest.isEmpty() && pod != null) {
                digest = digestOfPod(pod);
            }
        }
        applyService(request, plan, progress);
        List<String> removed = remove(request, plan, rollout, progress);
        String image = request.image().isBlank() ? request.template().flatMap(t -> t.target(request.name()))
                .map(c -> c.getImage()).orElse("") : request.image();
        return new DeployResult(request.namespace(), request.name(), request.name(), image, digest, pool.name(),
                results, removed, !plan.writesNothing());
    }

    /**
     * Whether the API server admits the pods of the identities {@code plan} starts (a server-side dry run of one pod,
     * {@link PodAdmissionCheck}), and whether the namespace's ResourceQuotas have room for the pods of all the
     * identities it creates ({@link ResourceQuotaCheck}): throws {@link OperationFailedException} with the server's reason
     * when it refuses them or naming the quota that cannot fit them, warns when it cannot tell. A deploy runs it
     * before its first write; nothing is stored.
     */
    public void checkPodAdmission(DeployPlan plan, Progress progress) {
        checkPodAdmission(plan, List.of(), progress);
    }

    /** {@link #checkPodAdmission(DeployPlan, Progress)}, also warning when the quotas cannot fit the pre-pull pods. */
    private void checkPodAdmission(DeployPlan plan, List<Pod> prePullPods, Progress progress) {
        Optional<DeployPlan.WorkloadAction> first = plan.workloads().stream()
                .filter(a -> a instanceof DeployPlan.Create || a instanceof DeployPlan.Replace).findFirst();
        if (first.isEmpty()) {
            return;
        }
        DeployPlan.WorkloadAction a = first.get();
        // a replaced identity's pod is deleted before its new one is created: only new identities add pods
        int creates = (int) plan.workloads().stream().filter(DeployPlan.Create.class::isInstance).count();
        Optional<Pod> admitted = new PodAdmissionCheck(client, retry, progress).check(a.identity(),
                a instanceof DeployPlan.Create c ? c.desired() : ((DeployPlan.Replace) a).desired(), creates,
                plan.workloads().size());
        if (creates > 0 && admitted.isPresent() && admitted.get().getSpec() != null) {
            new ResourceQuotaCheck(client, retry, progress).check(a.identity().namespace(), a.identity().name(),
                    admitted.get(), creates, plan.workloads().size(), prePullPods);
        }
    }

    /**
     * The pre-pull pods {@code rollout} will create for {@code plan} ({@link PrePull}, as {@link Rollout} plans
     * them from the app's pods), rendered.
     */
    private static List<Pod> prePullPods(DeployRequest request, DeployPlan plan, List<Pod> appPods,
                                         Map<String, NodeState> nodes, RolloutPolicy rollout) {
        List<DeployPlan.Replace> replaces = plan.workloads().stream().filter(DeployPlan.Replace.class::isInstance)
                .map(DeployPlan.Replace.class::cast).toList();
        if (!rollout.prePull() || replaces.isEmpty()) {
            return List.of();
        }
        var template = replaces.get(0).desired().getSpec().getTemplate().getSpec();
        return PrePull.plan(replaces, Rollout.group(appPods), nodes).pulls().stream()
                .map(pull -> PrePull.render(request.namespace(), request.name(), template, pull)).toList();
    }

    private void writePullSecret(DeployRequest request, Progress progress) {
        request.pullCredentials().ifPresent(c -> {
            var secret = PullSecrets.render(request.namespace(), c);
            if (applier.ensurePullSecret(secret)) {
                progress.step("pull secret " + request.namespace() + "/" + secret.getMetadata().getName() + " for "
                        + c.registry() + ": written");
            }
        });
    }

    /** Where each identity runs after the rollout: its result, its pod (when seen) and its node. */
    private record Placed(Map<String, DeployResult.IdentityResult> byIdentity, Map<String, Pod> podByIdentity,
                          Map<String, String> nodeByIdentity) {
    }

    /** Rolls the plan's workloads; the ledger records each identity's node even when the rollout fails. */
    private Placed roll(DeployRequest request, DeployPlan plan, ClusterView view, RolloutPolicy rollout,
                        Progress progress) {
        Placed placed = new Placed(new HashMap<>(), new HashMap<>(), new LinkedHashMap<>());
        for (DeployPlan.WorkloadAction action : plan.workloads()) {
            if (action instanceof DeployPlan.Keep k && k.running().isPresent()) {
                // seen Running and Ready with its address a moment ago, and nothing was written since
                ClusterView.LivePod pod = k.running().get();
                placed.nodeByIdentity().put(k.identity().key(), pod.node());
                placed.byIdentity().put(k.identity().key(), new DeployResult.IdentityResult(k.identity().key(),
                        k.addresses(), pod.node(), pod.name()));
            }
        }
        resumeLeftPaused(plan, view, progress);
        java.util.Set<String> healthy = new HashSet<>();
        for (ClusterView.LivePod p : view.pods()) {
            plan.workloads().stream()
                    .filter(a -> a.identity().workloadName().equals(p.identity()) && p.runningReadyWith(a.addresses()))
                    .findFirst().ifPresent(a -> healthy.add(p.identity()));
        }
        // not a finally: a failure to record the nodes must not replace the rollout's own (it is suppressed on it)
        Afterwards.run(() -> new Rollout(applier, verifier, inPlaceAllowed(request, plan, rollout, progress), progress,
                        Optional.of(new PrePull(client, retry, progress, ledger.clock(), view.nodes())))
                        .run(request, plan.workloads(), healthy, (action, pod) -> ready(placed, action, pod, progress)),
                () -> ledger.recordNodes(placed.nodeByIdentity()));
        return placed;
    }

    /** Notes where an identity of the rollout became Running and Ready. */
    private static void ready(Placed placed, DeployPlan.WorkloadAction action, Pod pod, Progress progress) {
        String node = pod.getSpec().getNodeName();
        placed.nodeByIdentity().put(action.identity().key(), node);
        if (!(action instanceof DeployPlan.Keep)) {
            progress.step(action.identity() + ": Running and Ready with " + action.addresses() + " on " + node);
        }
        placed.byIdentity().put(action.identity().key(), new DeployResult.IdentityResult(action.identity().key(),
                action.addresses(), node, pod.getMetadata().getName()));
        placed.podByIdentity().put(action.identity().key(), pod);
    }

    /**
     * Resumes the Deployments of kept identities that an in-place update of an earlier, killed deploy left paused
     * (replaced and updated identities are written anyway, which resumes them).
     */
    private void resumeLeftPaused(DeployPlan plan, ClusterView view, Progress progress) {
        for (DeployPlan.WorkloadAction a : plan.workloads()) {
            ClusterView.LiveWorkload live = view.workloads().get(a.identity().workloadName());
            if (a instanceof DeployPlan.Keep && live != null && live.paused()) {
                progress.step(a.identity() + ": resuming its Deployment, left paused by an interrupted in-place update");
                applier.resume(a.identity());
            }
        }
    }

    /**
     * The rollout policy, with in-place updates off when the plan has some and the credential lacks what they need
     * (an optional permission: those identities are replaced instead, with a warning).
     */
    private RolloutPolicy inPlaceAllowed(DeployRequest request, DeployPlan plan, RolloutPolicy rollout,
                                         Progress progress) {
        boolean wanted = rollout.inPlace() && plan.workloads().stream()
                .anyMatch(a -> a instanceof DeployPlan.Replace r && r.inPlace().isPresent());
        if (!wanted) {
            return rollout;
        }
        String ns = request.namespace();
        List<String> missing = AccessCheck.missing(client, retry, List.of(
                AccessCheck.Permission.in(ns, "patch", "apps", "deployments"),
                AccessCheck.Permission.in(ns, "patch", "apps", "replicasets"),
                AccessCheck.Permission.in(ns, "patch", "", "pods")));
        if (missing.isEmpty()) {
            return rollout;
        }
        progress.warn("in-place updates off: the credential " + String.join("; ", missing) + " (docs/rbac.yaml, "
                + "role kubeplatform-stickyIpDeploy); identities whose images change are replaced instead");
        return rollout.withInPlace(false);
    }

    private void applyService(DeployRequest request, DeployPlan plan, Progress progress) {
        if (plan.service() instanceof DeployPlan.CreateService c) {
            progress.step("service " + request.namespace() + "/" + request.name() + ": creating");
            applier.createService(c.desired());
        } else if (plan.service() instanceof DeployPlan.UpdateService u) {
            progress.step("service " + request.namespace() + "/" + request.name() + ": updating");
            applier.updateService(u.desired());
        }
    }

    /** Removes the retired identities' workloads, then releases or keeps their addresses; returns their keys. */
    private List<String> remove(DeployRequest request, DeployPlan plan, RolloutPolicy rollout, Progress progress) {
        List<String> removed = new ArrayList<>();
        new Rollout(applier, verifier, rollout, progress).remove(request,
                plan.removals().stream().filter(DeployPlan.Removal::workloadExists).toList());
        for (DeployPlan.Removal removal : plan.removals()) {
            removal.reservation().ifPresent(r -> {
                Optional<Reservation> now = ledger.retire(r, removal.keepReservation());
                progress.step(removal.identity() + ": address " + r.ip() + (now.isPresent()
                        ? " kept idle (keep-namespace " + request.namespace() + ")" : " released"));
            });
            removed.add(removal.identity().key());
        }
        return removed;
    }

    /**
     * Every permission a deploy of {@code request} into {@code pool} may use (docs/rbac.yaml, roles
     * kubeplatform-stickyIpDeploy*): cluster-wide reads of nodes, pods and the CNI's pools; in the app's namespace its
     * Deployments, Service, a watch on its pods, events to explain a pod that does not start, and the pull secret
     * when the step pushed with credentials.
     */
    static List<AccessCheck.Permission> permissions(DeployRequest request, IpPool pool) {
        String ns = request.namespace();
        List<AccessCheck.Permission> needed = new ArrayList<>(List.of(
                AccessCheck.Permission.cluster("list", "", "nodes"),
                AccessCheck.Permission.cluster("list", "", "pods")));
        if (pool.cniCheck() != CniCheck.OFF) {
            if (pool.cni() == Cni.CALICO) {
                needed.add(AccessCheck.Permission.cluster("list", "crd.projectcalico.org", "ippools"));
                needed.add(AccessCheck.Permission.cluster("list", "crd.projectcalico.org", "ipreservations"));
            } else {
                needed.add(AccessCheck.Permission.cluster("list", "kubeovn.io", "subnets"));
            }
        }
        for (String verb : List.of("get", "list", "create", "update", "delete")) {
            needed.add(AccessCheck.Permission.in(ns, verb, "apps", "deployments"));
        }
        for (String verb : List.of("get", "create", "update")) {
            needed.add(AccessCheck.Permission.in(ns, verb, "", "services"));
        }
        needed.add(AccessCheck.Permission.in(ns, "watch", "", "pods"));
        needed.add(AccessCheck.Permission.in(ns, "list", "", "events"));
        if (request.pullCredentials().isPresent()) {
            for (String verb : List.of("get", "create", "update")) {
                needed.add(AccessCheck.Permission.in(ns, verb, "", "secrets"));
            }
        }
        return needed;
    }

    /** What a deploy would do, computed exactly as {@link #deploy} does; the ledger of a dry run is a scratch copy. */
    public DryRun dryRun(DeployRequest request) {
        IpReservationLedger scratch = ledger.scratchCopy();
        Prepared prepared = prepare(request, scratch, Progress.silent());
        return new DryRun(prepared.pool().name(), prepared.plan(),
                ((ScratchLedgerStore) scratch.store()).changes());
    }

    /** The plan of a dry run and the ledger changes it would record. */
    public record DryRun(String pool, DeployPlan plan, List<LedgerChange> ledgerChanges) {
    }

    private record Prepared(IpPool pool, DeployPlan plan, ClusterView view, List<Pod> appPods) {
    }

    /** Reads the cluster, reserves addresses in {@code ledger} and plans; writes nothing to the cluster. */
    private Prepared prepare(DeployRequest request, IpReservationLedger ledger, Progress progress) {
        request.validate();
        IpPool pool = pool(request.pool());
        request.template().ifPresent(t -> TemplateRules.check(t, request, pool.cni()));
        CniGuard.check(pool, observer, progress);

        Map<String, NodeState> nodes = observer.nodes();
        List<Pod> allPods = observer.allPods();
        ClusterView view = observer.appView(request, allPods, nodes);
        DeployPlanner.checkOwnership(request, view);

        List<ReplicaIdentity> identities = IntStream.range(0, request.replicas())
                .mapToObj(i -> new ReplicaIdentity(request.namespace(), request.name(), i)).toList();
        Map<String, Reservation> existing = new HashMap<>();
        List<Reservation> beyond = new ArrayList<>();
        String prefix = request.namespace() + "/" + request.name() + "-";
        for (Reservation r : ledger.list()) {
            Optional<ReplicaIdentity> id = ReplicaIdentity.parse(r.identity());
            if (id.isPresent() && id.get().namespace().equals(request.namespace()) && id.get().name().equals(request.name())
                    && r.identity().startsWith(prefix)) {
                if (id.get().ordinal() < request.replicas()) {
                    existing.put(r.identity(), r);
                } else {
                    beyond.add(r);
                }
            }
        }
        Set<String> reallocate = DeployPlanner.toReallocate(request, pool, existing, view);
        List<List<Reservation>> reservations = ledger.reserveAll(pool, identities, usedByOthers(request, allPods),
                reallocate, request.owner());

        List<Pod> appPods = allPods.stream().filter(p -> request.namespace().equals(p.getMetadata().getNamespace())
                && p.getMetadata().getLabels() != null
                && request.name().equals(p.getMetadata().getLabels().get(StickyIpLabels.NAME))).toList();
        return new Prepared(pool, DeployPlanner.planHeld(request, pool, reservations, beyond, view), view, appPods);
    }

    private IpPool pool(String name) {
        IpPool pool = pools.get(name);
        if (pool == null) {
            throw new InvalidInputException("pool", "names no configured pool; configured: "
                    + (pools.isEmpty() ? "none (add a pools section to the configuration)" : String.join(", ", pools.keySet())));
        }
        return pool;
    }

    /** Addresses held by pods other than this app's own: never handed out (SIP-3). */
    private static Set<IpKey> usedByOthers(DeployRequest request, List<Pod> allPods) {
        Set<IpKey> used = new HashSet<>();
        for (Pod p : allPods) {
            if (!ClusterObserver.holdsAddress(p)) {
                continue;
            }
            Map<String, String> labels = p.getMetadata().getLabels();
            boolean own = request.namespace().equals(p.getMetadata().getNamespace()) && labels != null
                    && request.name().equals(labels.get(StickyIpLabels.NAME)) && StickyIpLabels.isManaged(labels);
            if (!own) {
                IpKey.parse(p.getStatus().getPodIP()).ifPresent(used::add);
                if (p.getStatus().getPodIPs() != null) {
                    p.getStatus().getPodIPs().forEach(a -> IpKey.parse(a.getIp()).ifPresent(used::add));
                }
            }
        }
        return used;
    }

    static Optional<String> digestOf(String image) {
        int at = image.indexOf("@sha256:");
        return at < 0 ? Optional.empty() : Optional.of(image.substring(at + 1));
    }

    private static Optional<String> digestOfPod(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getContainerStatuses().stream()
                .map(s -> s.getImageID())
                .filter(id -> id != null && id.contains("sha256:"))
                .map(id -> id.substring(id.indexOf("sha256:")))
                .findFirst();
    }
}
