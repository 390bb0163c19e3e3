package io.jenkins.plugins.kubeplatform.sim.controllers;

import io.jenkins.plugins.kubeplatform.sim.model.PodStates;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.jenkins.plugins.kubeplatform.sim.ChangeHandler;
import io.jenkins.plugins.kubeplatform.sim.Observed;
import io.jenkins.plugins.kubeplatform.sim.SimContext;
import io.jenkins.plugins.kubeplatform.sim.SimController;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The node lifecycle controller's taint-based eviction and the pod garbage collector. Pods on a node with a
 * NoExecute taint they do not tolerate are deleted; tolerated with {@code tolerationSeconds}, they are deleted that
 * long after the taint was added. For the {@code not-ready}/{@code unreachable} taints a pod without a matching
 * toleration is treated as tolerating them for 300 s, which is what the DefaultTolerationSeconds admission plugin
 * gives every pod. Pods bound to a node that no longer exists are deleted.
 */
public final class NodeLifecycle implements SimController {

    private static final Set<String> DEFAULT_TOLERATED = Set.of("node.kubernetes.io/not-ready",
            "node.kubernetes.io/unreachable");
    private static final long DEFAULT_TOLERATION_SECONDS = 300;

    private SimContext ctx;
    private Observed<Pod> pods;
    private Observed<Node> nodes;
    private final Set<String> scheduled = new HashSet<>();

    @Override
    public String name() {
        return "node-lifecycle";
    }

    @Override
    public void start(SimContext context) {
        this.ctx = context;
        this.nodes = ctx.observe(ctx.client().nodes(), new ChangeHandler<>() {
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
        });
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
        if (nodeName == null || nodeName.isEmpty() || PodStates.isTerminating(pod)) {
            return;
        }
        Optional<Node> node = nodes.get(null, nodeName);
        if (node.isEmpty()) {
            collectOrphan(pod);
            return;
        }
        Optional<Duration> evictIn = evictionDelay(pod, node.get());
        String key = pod.getMetadata().getUid() + "@noexecute";
        if (evictIn.isEmpty() || !scheduled.add(key)) {
            return;
        }
        ctx.after(evictIn.get(), () -> {
            scheduled.remove(key);
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
            if (!tolerated && DEFAULT_TOLERATED.contains(taint.getKey())) {
                tolerated = true;
                seconds = DEFAULT_TOLERATION_SECONDS;
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
                        .ifPresent(p -> Writes.forceDelete(ctx.client(), p));
            }
        });
    }
}
