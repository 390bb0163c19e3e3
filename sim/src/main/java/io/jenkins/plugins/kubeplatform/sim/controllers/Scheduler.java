package io.jenkins.plugins.kubeplatform.sim.controllers;

import io.jenkins.plugins.kubeplatform.sim.model.Selectors;
import io.jenkins.plugins.kubeplatform.sim.model.PodStates;
import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTerm;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.kubeplatform.sim.ChangeHandler;
import io.jenkins.plugins.kubeplatform.sim.Observed;
import io.jenkins.plugins.kubeplatform.sim.SimContext;
import io.jenkins.plugins.kubeplatform.sim.SimController;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The default scheduler's filters and a simple score: spec.unschedulable, nodeSelector, required node affinity
 * (nodeSelectorTerms ORed, expressions ANDed, matchFields on metadata.name), NoSchedule/NoExecute taints, cpu,
 * memory and pod-count fit, topology spread ({@link PodTopologySpread}) and inter-pod affinity
 * ({@link InterPodAffinity}); among feasible nodes the highest weighted sum of the node affinity, inter-pod affinity
 * and topology spread scores wins, then the higher preferred node affinity weight, fewer untolerated
 * PreferNoSchedule taints, the least requested cpu, fewer pods, the name. A pod that fits nowhere gets
 * PodScheduled=False/Unschedulable and a {@code FailedScheduling} Warning event, and is retried whenever nodes or
 * pods change. A pod with scheduling gates is not considered until they are all removed.
 */
public final class Scheduler implements SimController {

    static final String DEFAULT_SCHEDULER = "default-scheduler";
    private static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";
    private static final String PREEMPTION_NOT_HELPFUL = "Preemption is not helpful for scheduling";
    private static final String NO_PREEMPTION_VICTIMS = "No preemption victims found for incoming pod";
    /** {@code ErrNoNodesAvailable} (pkg/scheduler/schedule_one.go): the answer when the cluster has no node at all. */
    static final String NO_NODES_AVAILABLE = "no nodes available to schedule pods";
    private static final Taint UNSCHEDULABLE_TAINT = new TaintBuilder().withKey("node.kubernetes.io/unschedulable")
            .withEffect("NoSchedule").build();

    private SimContext ctx;
    private Observed<Pod> pods;
    private Observed<Node> nodes;
    private Observed<Namespace> namespaces;
    private final Map<String, String> lastFailure = new HashMap<>();
    /** Pods bound but not yet seen bound through the watch, by UID (kube-scheduler's assumed pods). */
    private final Map<String, Pod> assumed = new java.util.concurrent.ConcurrentHashMap<>();
    private boolean retryQueued;

    @Override
    public String name() {
        return "scheduler";
    }

    @Override
    public void start(SimContext context) {
        this.ctx = context;
        this.nodes = ctx.observe(ctx.client().nodes(), NodeChanges.ignoringImageReports(new ChangeHandler<>() {
            @Override
            public void changed(Node node) {
                retryPending();
            }

            @Override
            public void deleted(Node node) {
                retryPending();
            }
        }));
        // read at each attempt for pod affinity terms' namespace selectors; a label change alone requeues nothing
        this.namespaces = ctx.observe(ctx.client().namespaces(), namespace -> { });
        this.pods = ctx.observe(ctx.client().pods().inAnyNamespace(), new ChangeHandler<>() {
            @Override
            public void changed(Pod pod) {
                if (!isUnbound(pod)) {
                    assumed.remove(pod.getMetadata().getUid());
                }
                if (isPending(pod)) {
                    schedule(pod);
                } else if (PodStates.isFinished(pod) || !lastFailure.isEmpty()) {
                    // a pod bound, relabelled or finished may satisfy (or stop blocking) a pending pod's pod
                    // affinity or topology spread, as kube-scheduler's queueing hints move such pods back
                    retryPending();
                }
            }

            @Override
            public void deleted(Pod pod) {
                assumed.remove(pod.getMetadata().getUid());
                lastFailure.remove(pod.getMetadata().getUid());
                retryPending();
            }
        });
    }

    /**
     * Waiting for this scheduler: unbound, not terminating or finished, and without scheduling gates (the
     * {@code SchedulingGates} PreEnqueue plugin keeps a gated pod out of the queue; it stays PodScheduled=False
     * SchedulingGated, as the API server created it, until its last gate is removed).
     */
    private static boolean isPending(Pod pod) {
        String scheduler = pod.getSpec().getSchedulerName();
        return (pod.getSpec().getNodeName() == null || pod.getSpec().getNodeName().isEmpty())
                && (pod.getSpec().getSchedulingGates() == null || pod.getSpec().getSchedulingGates().isEmpty())
                && !PodStates.isTerminating(pod) && !PodStates.isFinished(pod)
                && (scheduler == null || scheduler.isEmpty() || scheduler.equals(DEFAULT_SCHEDULER));
    }

    private void retryPending() {
        if (retryQueued) {
            return;
        }
        retryQueued = true;
        ctx.run(() -> {
            retryQueued = false;
            List<Pod> pending = pods.list(Scheduler::isPending);
            pending.sort(Comparator.comparing(p -> p.getMetadata().getCreationTimestamp() == null ? ""
                    : p.getMetadata().getCreationTimestamp()));
            for (Pod pod : pending) {
                schedule(pod);
            }
        });
    }

    private void schedule(Pod pod) {
        if (assumed.containsKey(pod.getMetadata().getUid())) {
            return;
        }
        Map<String, Map<String, String>> namespaceLabels = new HashMap<>();
        for (Namespace ns : namespaces.list()) {
            namespaceLabels.put(ns.getMetadata().getName(),
                    ns.getMetadata().getLabels() == null ? Map.of() : ns.getMetadata().getLabels());
        }
        Decision decision = decide(pod, nodes.list(), withAssumed(pods.list()), namespaceLabels);
        if (decision.node().isPresent()) {
            String node = decision.node().get();
            if (bind(pod, node)) {
                Pod bound = ctx.client().getKubernetesSerialization().clone(pod);
                bound.getSpec().setNodeName(node);
                assumed.put(pod.getMetadata().getUid(), bound);
                lastFailure.remove(pod.getMetadata().getUid());
                ctx.events().normal(pod, "Scheduled", "Successfully assigned " + PodStates.ref(pod) + " to " + node);
            }
            return;
        }
        String message = decision.failure();
        if (message.equals(lastFailure.get(pod.getMetadata().getUid()))) {
            return;
        }
        lastFailure.put(pod.getMetadata().getUid(), message);
        // a pod bound, finished or gated meanwhile (the newer copy after a conflict) is no longer this failure's
        Writes.updateStatus(ctx.client(), pod, p -> isPending(p) && setScheduled(p, "False", "Unschedulable", message))
                .ifPresent(pods::put);
        ctx.events().warning(pod, "FailedScheduling", message);
    }

    /**
     * The pods as the next decision must see them: a pod bound but not yet seen bound through the watch counts on
     * its node, as kube-scheduler "assumes" pods it has bound; it is forgotten once the watch shows it bound.
     */
    private List<Pod> withAssumed(List<Pod> all) {
        if (assumed.isEmpty()) {
            return all;
        }
        List<Pod> out = new ArrayList<>(all.size());
        for (Pod p : all) {
            Pod bound = assumed.get(p.getMetadata().getUid());
            out.add(bound != null && isUnbound(p) ? bound : p);
        }
        return out;
    }

    private static boolean isUnbound(Pod p) {
        return p.getSpec().getNodeName() == null || p.getSpec().getNodeName().isEmpty();
    }

    /**
     * Binds as kube-scheduler does, through the pods/binding subresource ({@code spec.nodeName} is immutable in an
     * update). False when the pod is gone or was bound meanwhile (409).
     */
    private boolean bind(Pod pod, String node) {
        String ns = pod.getMetadata().getNamespace();
        String name = pod.getMetadata().getName();
        Binding binding = new BindingBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                .withNewTarget().withApiVersion("v1").withKind("Node").withName(node).endTarget().build();
        try {
            ctx.client().raw("/api/v1/namespaces/" + ns + "/pods/" + name + "/binding", "POST", binding);
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404 || e.getCode() == 409) {
                return false;
            }
            throw e;
        }
    }

    private boolean setScheduled(Pod p, String status, String reason, String message) {
        if (p.getStatus() == null) {
            p.setStatus(new io.fabric8.kubernetes.api.model.PodStatus());
        }
        if (p.getStatus().getPhase() == null) {
            p.getStatus().setPhase("Pending");
        }
        List<PodCondition> conditions = p.getStatus().getConditions() == null ? new ArrayList<>()
                : new ArrayList<>(p.getStatus().getConditions());
        conditions.removeIf(c -> "PodScheduled".equals(c.getType()));
        conditions.add(0, new PodConditionBuilder().withType("PodScheduled").withStatus(status).withReason(reason)
                .withMessage(message).withLastTransitionTime(ctx.clock().instant().toString()).build());
        p.getStatus().setConditions(conditions);
        return true;
    }

    /** Where a pod goes, or why it cannot go anywhere. */
    record Decision(Optional<String> node, String failure) {
    }

    /**
     * The scheduling decision for one pod given all nodes and pods (pure); each namespace is taken to carry only the
     * {@code kubernetes.io/metadata.name} label the API server gives every namespace.
     */
    static Decision decide(Pod pod, List<Node> nodes, List<Pod> allPods) {
        Map<String, Map<String, String>> namespaces = new HashMap<>();
        for (Pod p : allPods) {
            String ns = p.getMetadata().getNamespace();
            namespaces.put(ns, Map.of(NAMESPACE_NAME_LABEL, ns));
        }
        String own = pod.getMetadata().getNamespace();
        namespaces.put(own, Map.of(NAMESPACE_NAME_LABEL, own));
        return decide(pod, nodes, allPods, namespaces);
    }

    /**
     * The scheduling decision for one pod given all nodes, pods and namespaces (name to labels; pod affinity terms'
     * namespace selectors match these) (pure). Without any node, {@link #NO_NODES_AVAILABLE} (the scheduler fails
     * before running a filter). Filters run per node in the default profile's order, the first failing
     * one giving the node's reason: the node's own filters ({@link #filter}), then PodTopologySpread, then
     * InterPodAffinity.
     */
    static Decision decide(Pod pod, List<Node> nodes, List<Pod> allPods, Map<String, Map<String, String>> namespaces) {
        if (nodes.isEmpty()) {
            return new Decision(Optional.empty(), NO_NODES_AVAILABLE);
        }
        Map<String, List<Pod>> placed = placed(pod, allPods);
        PodTopologySpread spread = new PodTopologySpread(pod, nodes, placed);
        InterPodAffinity affinity = new InterPodAffinity(pod, nodes, placed, namespaces);
        Map<String, Integer> reasons = new HashMap<>();
        Map<String, Integer> preemption = new HashMap<>();
        List<Node> feasible = new ArrayList<>();
        for (Node node : nodes) {
            List<String> reject = filter(pod, node, allPods);
            if (reject.isEmpty()) {
                reject = spread.filter(node).or(() -> affinity.filter(node)).map(List::of).orElse(List.of());
            }
            if (!reject.isEmpty()) {
                reject.forEach(r -> reasons.merge(r, 1, Integer::sum));
                preemption.merge(preemptionMightHelp(reject.get(0)) ? NO_PREEMPTION_VICTIMS : PREEMPTION_NOT_HELPFUL,
                        1, Integer::sum);
            } else {
                feasible.add(node);
            }
        }
        if (feasible.isEmpty()) {
            StringBuilder msg = new StringBuilder("0/" + nodes.size() + " nodes are available");
            if (!reasons.isEmpty()) {
                msg.append(": ").append(histogram(reasons));
            }
            msg.append(". preemption: 0/").append(nodes.size()).append(" nodes are available");
            if (!preemption.isEmpty()) {
                msg.append(": ").append(histogram(preemption));
            }
            return new Decision(Optional.empty(), msg.append('.').toString());
        }
        Map<String, Long> pluginScores = pluginScores(pod, feasible, nodes, placed, affinity);
        Node best = null;
        long[] bestScore = null;
        for (Node node : feasible) {
            long[] score = score(pod, node, allPods, pluginScores.get(node.getMetadata().getName()));
            if (best == null || compare(score, bestScore) > 0
                    || (compare(score, bestScore) == 0 && node.getMetadata().getName().compareTo(
                            best.getMetadata().getName()) < 0)) {
                best = node;
                bestScore = score;
            }
        }
        return new Decision(Optional.of(best.getMetadata().getName()), "");
    }

    /**
     * FitError's histogram: "COUNT REASON" strings sorted as strings (so by count first, as text), joined by ", "
     * (pkg/scheduler/framework/types.go {@code FitError.Error}).
     */
    private static String histogram(Map<String, Integer> reasons) {
        List<String> parts = new ArrayList<>();
        reasons.forEach((reason, count) -> parts.add(count + " " + reason));
        parts.sort(Comparator.naturalOrder());
        return String.join(", ", parts);
    }

    /**
     * Whether the failing plugin answered Unschedulable rather than UnschedulableAndUnresolvable, so that
     * DefaultPreemption tries the node (and, every pod having the same priority here, finds no victims) instead of
     * calling preemption not helpful: resource fit, pod anti-affinity and topology spread skew.
     */
    private static boolean preemptionMightHelp(String reason) {
        return reason.equals("Too many pods") || reason.startsWith("Insufficient ")
                || reason.equals(PodTopologySpread.CONSTRAINTS_NOT_MATCH)
                || reason.equals(InterPodAffinity.ANTI_AFFINITY_RULES_NOT_MATCH)
                || reason.equals(InterPodAffinity.EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH);
    }

    /** The pods bound or assumed on each node, as the scheduler's cache holds them: not finished, not POD itself. */
    private static Map<String, List<Pod>> placed(Pod pod, List<Pod> allPods) {
        Map<String, List<Pod>> placed = new HashMap<>();
        for (Pod p : allPods) {
            if (!isUnbound(p) && !PodStates.isFinished(p)
                    && !p.getMetadata().getUid().equals(pod.getMetadata().getUid())) {
                placed.computeIfAbsent(p.getSpec().getNodeName(), n -> new ArrayList<>()).add(p);
            }
        }
        return placed;
    }

    /**
     * The weighted, normalized sum of the NodeAffinity, InterPodAffinity and PodTopologySpread scores per feasible
     * node (each weighs 2 in the default profile; each normalized to 0..100 as its plugin does).
     */
    private static Map<String, Long> pluginScores(Pod pod, List<Node> feasible, List<Node> all,
            Map<String, List<Pod>> placed, InterPodAffinity affinity) {
        Map<String, Long> spread = PodTopologySpread.scores(pod, feasible, all, placed);
        long maxPreferred = 0;
        long minAffinity = Long.MAX_VALUE;
        long maxAffinity = Long.MIN_VALUE;
        for (Node node : feasible) {
            maxPreferred = Math.max(maxPreferred, preferredNodeAffinity(pod, node));
            long a = affinity.rawScore(node);
            minAffinity = Math.min(minAffinity, a);
            maxAffinity = Math.max(maxAffinity, a);
        }
        Map<String, Long> out = new HashMap<>();
        for (Node node : feasible) {
            long nodeAffinity = maxPreferred == 0 ? 0 : 100 * preferredNodeAffinity(pod, node) / maxPreferred;
            long podAffinity = !affinity.scores() || maxAffinity == minAffinity ? 0
                    : (long) (100.0 * (affinity.rawScore(node) - minAffinity) / (maxAffinity - minAffinity));
            long topology = spread.getOrDefault(node.getMetadata().getName(), 0L);
            out.put(node.getMetadata().getName(), 2 * nodeAffinity + 2 * podAffinity + 2 * topology);
        }
        return out;
    }

    private static int compare(long[] a, long[] b) {
        for (int i = 0; i < a.length; i++) {
            int c = Long.compare(a[i], b[i]);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** Empty if the pod may run on the node, else the scheduler's reason phrase. */
    /**
     * The node's own filters in the default profile's order, the first failing plugin answering (the framework stops
     * there): NodeUnschedulable, TaintToleration, NodeAffinity, then NodeResourcesFit, which names every shortfall
     * ({@code Too many pods}, {@code Insufficient cpu}, {@code Insufficient memory}), each counted in the message. Empty
     * when the node fits.
     */
    static List<String> filter(Pod pod, Node node, List<Pod> allPods) {
        if (Boolean.TRUE.equals(node.getSpec().getUnschedulable()) && !Tolerations.tolerated(pod, UNSCHEDULABLE_TAINT)) {
            return List.of("node(s) were unschedulable");
        }
        if (node.getSpec().getTaints() != null) {
            for (Taint taint : node.getSpec().getTaints()) {
                boolean hard = "NoSchedule".equals(taint.getEffect()) || "NoExecute".equals(taint.getEffect());
                if (hard && !Tolerations.tolerated(pod, taint)) {
                    return List.of("node(s) had untolerated taint {" + taint.getKey()
                            + (taint.getValue() == null || taint.getValue().isEmpty() ? "" : ": " + taint.getValue())
                            + "}");
                }
            }
        }
        if (!matchesRequiredNodeAffinity(pod, node)) {
            return List.of("node(s) didn't match Pod's node affinity/selector");
        }
        BigDecimal[] want = Resources.requests(pod);
        BigDecimal cpu = BigDecimal.ZERO;
        BigDecimal mem = BigDecimal.ZERO;
        int count = 0;
        for (Pod p : allPods) {
            if (node.getMetadata().getName().equals(p.getSpec().getNodeName()) && !PodStates.isFinished(p)
                    && !p.getMetadata().getUid().equals(pod.getMetadata().getUid())) {
                BigDecimal[] r = Resources.requests(p);
                cpu = cpu.add(r[0]);
                mem = mem.add(r[1]);
                count++;
            }
        }
        List<String> insufficient = new ArrayList<>();
        BigDecimal maxPods = Resources.allocatable(node, "pods");
        if (maxPods.signum() > 0 && BigDecimal.valueOf(count + 1L).compareTo(maxPods) > 0) {
            insufficient.add("Too many pods");
        }
        if (want[0].signum() > 0 && cpu.add(want[0]).compareTo(Resources.allocatable(node, "cpu")) > 0) {
            insufficient.add("Insufficient cpu");
        }
        if (want[1].signum() > 0 && mem.add(want[1]).compareTo(Resources.allocatable(node, "memory")) > 0) {
            insufficient.add("Insufficient memory");
        }
        return insufficient;
    }

    /** The pod's nodeSelector and required node affinity hold on the node (nodeaffinity.GetRequiredNodeAffinity). */
    static boolean matchesRequiredNodeAffinity(Pod pod, Node node) {
        Map<String, String> labels = node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
        Map<String, String> selector = pod.getSpec().getNodeSelector();
        if (selector != null) {
            for (var e : selector.entrySet()) {
                if (!e.getValue().equals(labels.get(e.getKey()))) {
                    return false;
                }
            }
        }
        List<NodeSelectorTerm> required = requiredTerms(pod);
        return required.isEmpty() || required.stream().anyMatch(t -> termMatches(t, node));
    }

    private static List<NodeSelectorTerm> requiredTerms(Pod pod) {
        var affinity = pod.getSpec().getAffinity();
        if (affinity == null || affinity.getNodeAffinity() == null
                || affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() == null) {
            return List.of();
        }
        var terms = affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms();
        return terms == null ? List.of() : terms;
    }

    /** One term: all matchExpressions (labels) and matchFields (metadata.name) must hold; an empty term matches nothing. */
    static boolean termMatches(NodeSelectorTerm term, Node node) {
        List<NodeSelectorRequirement> exprs = term.getMatchExpressions() == null ? List.of() : term.getMatchExpressions();
        List<NodeSelectorRequirement> fields = term.getMatchFields() == null ? List.of() : term.getMatchFields();
        if (exprs.isEmpty() && fields.isEmpty()) {
            return false;
        }
        Map<String, String> labels = node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
        for (NodeSelectorRequirement r : exprs) {
            if (!Selectors.matches(r.getKey(), r.getOperator(), r.getValues(), labels)) {
                return false;
            }
        }
        for (NodeSelectorRequirement r : fields) {
            if (!Selectors.matches(r.getKey(), r.getOperator(), r.getValues(),
                    Map.of("metadata.name", node.getMetadata().getName()))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Highest first: the weighted plugin scores ({@link #pluginScores}), the raw preferred node affinity weight, fewer
     * untolerated PreferNoSchedule taints, more free cpu, fewer pods.
     */
    private static long[] score(Pod pod, Node node, List<Pod> allPods, long plugins) {
        long preferred = preferredNodeAffinity(pod, node);
        long softTaints = 0;
        if (node.getSpec().getTaints() != null) {
            for (Taint taint : node.getSpec().getTaints()) {
                if ("PreferNoSchedule".equals(taint.getEffect()) && !Tolerations.tolerated(pod, taint)) {
                    softTaints++;
                }
            }
        }
        BigDecimal used = BigDecimal.ZERO;
        long count = 0;
        for (Pod p : allPods) {
            if (node.getMetadata().getName().equals(p.getSpec().getNodeName()) && !PodStates.isFinished(p)) {
                used = used.add(Resources.requests(p)[0]);
                count++;
            }
        }
        BigDecimal alloc = Resources.allocatable(node, "cpu");
        long freeMilli = alloc.subtract(used).movePointRight(3).longValue();
        return new long[] {plugins, preferred, -softTaints, freeMilli, -count};
    }

    /** The summed weights of the pod's preferred node affinity terms that match the node. */
    private static long preferredNodeAffinity(Pod pod, Node node) {
        long preferred = 0;
        var affinity = pod.getSpec().getAffinity();
        if (affinity != null && affinity.getNodeAffinity() != null
                && affinity.getNodeAffinity().getPreferredDuringSchedulingIgnoredDuringExecution() != null) {
            for (PreferredSchedulingTerm t
                    : affinity.getNodeAffinity().getPreferredDuringSchedulingIgnoredDuringExecution()) {
                if (t.getPreference() != null && termMatches(t.getPreference(), node)) {
                    preferred += t.getWeight() == null ? 0 : t.getWeight();
                }
            }
        }
        return preferred;
    }
}
