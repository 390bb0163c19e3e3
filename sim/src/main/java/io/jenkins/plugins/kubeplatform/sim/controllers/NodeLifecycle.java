package io.jenkins.plugins.kubeplatform.sim.controllers;

import io.jenkins.plugins.kubeplatform.sim.model.PodStates;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.jenkins.plugins.kubeplatform.sim.ChangeHandler;
import io.jenkins.plugins.kubeplatform.sim.NodeConditions;
import io.jenkins.plugins.kubeplatform.sim.Observed;
import io.jenkins.plugins.kubeplatform.sim.SimContext;
import io.jenkins.plugins.kubeplatform.sim.SimController;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The node lifecycle controller's taint-based eviction and the pod garbage collector. Pods on a node with a
 * NoExecute taint they do not tolerate are deleted; tolerated with {@code tolerationSeconds}, they are deleted that
 * long after the taint was added (every pod tolerates {@code not-ready}/{@code unreachable} for 300 s unless it says
 * otherwise: the API server's DefaultTolerationSeconds admission gives it those tolerations). As
 * kube-controller-manager's taint eviction controller ({@code tainteviction.addConditionAndDeletePod})
 * it first gives the pod the condition {@code DisruptionTarget=True} (reason {@code DeletionByTaintManager}).
 *
 * <p>The pod garbage collector ({@code podgc/gc_controller.go}) force-deletes, after marking them Failed: pods bound
 * to a node that no longer exists ({@code gcOrphaned}, with {@code DisruptionTarget} reason {@code DeletionByPodGC}),
 * and terminating pods on a node that is not Ready and carries the {@code node.kubernetes.io/out-of-service} taint,
 * whatever its effect ({@code gcTerminating}: non-graceful node shutdown). The real one does this on a pass every
 * 20 s; here the pass comes 20 s (simulated) after the pod or node changed.
 */
public final class NodeLifecycle implements SimController {

    /** {@code v1.TaintNodeOutOfService}: set by an administrator who knows the node is down. */
    private static final String OUT_OF_SERVICE_TAINT = "node.kubernetes.io/out-of-service";
    private static final Duration GC_CHECK_PERIOD = Duration.ofSeconds(20);

    private SimContext ctx;
    private Observed<Pod> pods;
    private Observed<Node> nodes;
    private final Set<String> scheduled = new HashSet<>();
    /** Pod uid to the wall-clock instant its NoExecute eviction is planned for. */
    private final Map<String, Instant> evictionDue = new HashMap<>();

    @Override
    public String name() {
        return "node-lifecycle";
    }

    @Override
    public void start(SimContext context) {
        this.ctx = context;
        this.nodes = ctx.observe(ctx.client().nodes(), NodeChanges.ignoringImageReports(new ChangeHandler<>() {
            @Override
            public void changed(Node node) {
                for (Pod pod : podsOn(node.getMetadata().getName())) {
                    check(pod);
                }
            }

            @Override
            public void deleted(Node node) {
                for (Pod pod : podsOn(node.getMetadata().getName())) {
                    collectOrphan(pod);
                }
            }
        }));
        this.pods = ctx.observe(ctx.client().pods().inAnyNamespace(), new ChangeHandler<>() {
            @Override
            public void changed(Pod pod) {
                check(pod);
            }
        });
    }

    private List<Pod> podsOn(String node) {
        return pods.list(p -> node.equals(p.getSpec().getNodeName()));
    }

    private void check(Pod pod) {
        String nodeName = pod.getSpec().getNodeName();
        if (nodeName == null || nodeName.isEmpty()) {
            return;
        }
        if (PodStates.isTerminating(pod)) {
            collectIfOutOfService(pod, nodeName);
            return;
        }
        Optional<Node> node = nodes.get(null, nodeName);
        if (node.isEmpty()) {
            collectOrphan(pod);
            return;
        }
        Optional<Duration> evictIn = evictionDelay(pod, node.get());
        String uid = pod.getMetadata().getUid();
        if (evictIn.isEmpty()) {
            return;
        }
        // As the taint eviction controller's processPodOnNode: a taint that makes the pod go sooner (one it does not
        // tolerate, after one it tolerated for a while) replaces the eviction planned for later.
        Instant due = ctx.clock().instant().plus(ctx.scaled(evictIn.get()));
        Instant planned = evictionDue.get(uid);
        if (planned != null && !due.isBefore(planned)) {
            return;
        }
        evictionDue.put(uid, due);
        ctx.after(evictIn.get(), () -> {
            if (!due.equals(evictionDue.get(uid))) {
                return;
            }
            evictionDue.remove(uid);
            Optional<Pod> now = pods.get(pod.getMetadata().getNamespace(), pod.getMetadata().getName())
                    .filter(p -> p.getMetadata().getUid().equals(pod.getMetadata().getUid()));
            Optional<Node> n = nodes.get(null, nodeName);
            if (now.isEmpty() || n.isEmpty()) {
                return;
            }
            Optional<Duration> left = evictionDelay(now.get(), n.get());
            if (left.isPresent() && left.get().compareTo(Duration.ofMillis(50)) <= 0) {
                ctx.events().normal(now.get(), "TaintManagerEviction", "Marking for deletion Pod "
                        + PodStates.ref(now.get()));
                Writes.updateStatus(ctx.client(), now.get(), p -> setCondition(p, "DisruptionTarget",
                        "DeletionByTaintManager", "Taint manager: deleting due to NoExecute taint"));
                Writes.delete(ctx.client(), now.get());
            } else if (left.isPresent()) {
                check(now.get());
            }
        });
    }

    /** Empty if the pod may stay; otherwise how long (simulated) until it must go, from now. */
    Optional<Duration> evictionDelay(Pod pod, Node node) {
        if (node.getSpec().getTaints() == null) {
            return Optional.empty();
        }
        Duration soonest = null;
        for (Taint taint : node.getSpec().getTaints()) {
            if (!"NoExecute".equals(taint.getEffect())) {
                continue;
            }
            Long seconds = null;
            boolean tolerated = false;
            for (Toleration t : Tolerations.of(pod)) {
                if (Tolerations.tolerates(t, taint)) {
                    tolerated = true;
                    if (t.getTolerationSeconds() == null) {
                        seconds = null;
                        break;
                    }
                    seconds = seconds == null ? t.getTolerationSeconds() : Math.min(seconds, t.getTolerationSeconds());
                }
            }
            Duration delay;
            if (!tolerated) {
                delay = Duration.ZERO;
            } else if (seconds == null) {
                continue;
            } else {
                Instant added = taint.getTimeAdded() == null ? ctx.clock().instant() : Instant.parse(taint.getTimeAdded());
                // timeAdded is wall-clock; simulated time runs speed times faster.
                Duration elapsed = Duration.ofNanos((long) (Duration.between(added, ctx.clock().instant()).toNanos()
                        * ctx.speed()));
                delay = Duration.ofSeconds(Math.max(0, seconds)).minus(elapsed);
                if (delay.isNegative()) {
                    delay = Duration.ZERO;
                }
            }
            soonest = soonest == null || delay.compareTo(soonest) < 0 ? delay : soonest;
        }
        return Optional.ofNullable(soonest);
    }

    private void collectOrphan(Pod pod) {
        String nodeName = pod.getSpec().getNodeName();
        String key = pod.getMetadata().getUid() + "@orphan";
        if (!scheduled.add(key)) {
            return;
        }
        ctx.after(Duration.ofSeconds(1), () -> {
            scheduled.remove(key);
            if (nodes.get(null, nodeName).isEmpty() && ctx.client().nodes().withName(nodeName).get() == null) {
                pods.get(pod.getMetadata().getNamespace(), pod.getMetadata().getName())
                        .filter(p -> p.getMetadata().getUid().equals(pod.getMetadata().getUid()))
                        .ifPresent(p -> markFailedAndDelete(p, "DeletionByPodGC", "PodGC: node no longer exists"));
            }
        });
    }

    /**
     * {@code gcTerminating}: a terminating pod whose node is not Ready and tainted out-of-service is force-deleted on
     * the collector's next pass, if that still holds then.
     */
    private void collectIfOutOfService(Pod pod, String nodeName) {
        if (nodes.get(null, nodeName).filter(NodeLifecycle::isOutOfService).isEmpty()) {
            return;
        }
        String key = pod.getMetadata().getUid() + "@out-of-service";
        if (!scheduled.add(key)) {
            return;
        }
        ctx.after(GC_CHECK_PERIOD, () -> {
            scheduled.remove(key);
            Optional<Pod> now = pods.get(pod.getMetadata().getNamespace(), pod.getMetadata().getName())
                    .filter(p -> p.getMetadata().getUid().equals(pod.getMetadata().getUid()))
                    .filter(PodStates::isTerminating);
            if (now.isPresent() && nodes.get(null, nodeName).filter(NodeLifecycle::isOutOfService).isPresent()) {
                markFailedAndDelete(now.get(), null, null);
            }
        });
    }

    private static boolean isOutOfService(Node node) {
        return !NodeConditions.isReady(node) && node.getSpec().getTaints() != null
                && node.getSpec().getTaints().stream().anyMatch(t -> OUT_OF_SERVICE_TAINT.equals(t.getKey()));
    }

    /**
     * {@code markFailedAndDeletePodWithCondition}: phase Failed (with the DisruptionTarget condition if a reason is
     * given) unless the pod already finished, as no kubelet will say so, then delete with grace 0.
     */
    private void markFailedAndDelete(Pod pod, String reason, String message) {
        if (!isFinished(pod)) {
            Writes.updateStatus(ctx.client(), pod, p -> {
                if (isFinished(p)) {
                    return false;
                }
                p.getStatus().setPhase("Failed");
                if (reason != null) {
                    setCondition(p, "DisruptionTarget", reason, message);
                }
                return true;
            });
        }
        Writes.forceDelete(ctx.client(), pod);
    }

    private static boolean isFinished(Pod pod) {
        String phase = PodStates.phase(pod);
        return phase.equals("Succeeded") || phase.equals("Failed");
    }

    /** {@code apipod.UpdatePodCondition} with status True: the transition time moves only when the status changes. */
    private boolean setCondition(Pod pod, String type, String reason, String message) {
        if (pod.getStatus() == null) {
            pod.setStatus(new PodStatus());
        }
        List<PodCondition> conditions = pod.getStatus().getConditions() == null ? new ArrayList<>()
                : new ArrayList<>(pod.getStatus().getConditions());
        PodCondition existing = conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
        if (existing != null && "True".equals(existing.getStatus()) && reason.equals(existing.getReason())
                && message.equals(existing.getMessage()) && existing.getLastProbeTime() == null) {
            return false;
        }
        PodCondition wanted = new PodConditionBuilder().withType(type).withStatus("True").withReason(reason)
                .withMessage(message).withLastTransitionTime(existing != null && "True".equals(existing.getStatus())
                        ? existing.getLastTransitionTime() : ctx.clock().instant().toString()).build();
        if (existing == null) {
            conditions.add(wanted);
        } else {
            conditions.set(conditions.indexOf(existing), wanted);
        }
        pod.getStatus().setConditions(conditions);
        return true;
    }
}
