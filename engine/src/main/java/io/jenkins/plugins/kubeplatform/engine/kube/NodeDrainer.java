package io.jenkins.plugins.kubeplatform.engine.kube;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Empties a node the way {@code kubectl drain} does: the Eviction API for every pod except DaemonSet and mirror
 * pods, PodDisruptionBudgets honoured (429 → retry with bounded backoff, blocking pods and budgets reported),
 * then a watch until the evicted pods are gone.
 */
public final class NodeDrainer {

    /** Which pods stay, and how long to keep trying. */
    public record Options(Duration timeout, Duration initialBackoff, Duration maxBackoff, Predicate<Pod> keep) {

        public static Options defaults(Duration timeout) {
            return new Options(timeout, Duration.ofSeconds(1), Duration.ofSeconds(10), pod -> false);
        }
    }

    /** A pod the budgets would not let go. */
    public record BlockedPod(String pod, List<String> budgets, String message) {
    }

    /** What happened: evicted and skipped pods, and the pods still blocked when time ran out (empty on success). */
    public record Result(List<String> evicted, List<String> skipped, List<BlockedPod> blocked) {
        public boolean drained() {
            return blocked.isEmpty();
        }
    }

    private final KubernetesClient client;
    private final ApiRetry retry;
    private final Clock clock;
    private final ApiRetry.Sleeper sleeper;

    public NodeDrainer(KubernetesClient client, ApiRetry retry, Clock clock, ApiRetry.Sleeper sleeper) {
        this.client = client;
        this.retry = retry;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    public Result drain(String node, Options options, Progress progress) throws InterruptedException {
        Instant deadline = clock.instant().plus(options.timeout());
        List<String> evicted = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        Duration backoff = options.initialBackoff();
        while (true) {
            Result pass = evictPass(node, options, skipped, progress);
            evicted.addAll(pass.evicted());
            skipped = new ArrayList<>(pass.skipped());
            if (pass.drained()) {
                waitUntilGone(node, evicted, deadline, progress);
                return new Result(List.copyOf(evicted), List.copyOf(skipped), List.of());
            }
            if (!clock.instant().plus(backoff).isBefore(deadline)) {
                return new Result(List.copyOf(evicted), List.copyOf(skipped), pass.blocked());
            }
            progress.waiting("drain " + node + ": " + pass.blocked().size() + " pod(s) blocked by disruption budgets "
                    + describe(pass.blocked()) + "; retrying in " + backoff.toMillis() + " ms");
            sleeper.sleep(backoff);
            backoff = backoff.multipliedBy(2).compareTo(options.maxBackoff()) > 0 ? options.maxBackoff() : backoff.multipliedBy(2);
        }
    }

    /**
     * One pass without waiting: asks the Eviction API once for every pod that is not kept or already terminating and
     * returns what was evicted and what the budgets refused. Callers that must not block a thread (the resumable
     * repair) schedule the next pass themselves.
     *
     * @param alreadySkipped pods reported as kept in earlier passes (not reported again)
     */
    /** The pods an eviction pass over {@code node} would evict now (what a dry run of a drain lists). */
    public List<String> toEvict(String node, Options options) {
        return PodsOnNode.list(client, retry, node).stream().filter(p -> !kept(p, options))
                .filter(p -> !PodsOnNode.isTerminating(p)).map(PodsOnNode::ref).toList();
    }

    private static boolean kept(Pod pod, Options options) {
        return PodsOnNode.isDaemonSetPod(pod) || PodsOnNode.isMirrorPod(pod) || options.keep().test(pod);
    }

    public Result evictPass(String node, Options options, List<String> alreadySkipped, Progress progress) {
        List<String> evicted = new ArrayList<>();
        List<String> skipped = new ArrayList<>(alreadySkipped);
        Map<String, BlockedPod> blocked = new LinkedHashMap<>();
        for (Pod pod : PodsOnNode.list(client, retry, node)) {
            String ref = PodsOnNode.ref(pod);
            if (kept(pod, options)) {
                if (!skipped.contains(ref)) {
                    skipped.add(ref);
                    progress.step("drain " + node + ": leaving " + ref + " (" + skipReason(pod) + ")");
                }
                continue;
            }
            if (PodsOnNode.isTerminating(pod)) {
                continue;
            }
            if (evict(pod)) {
                evicted.add(ref);
                progress.step("drain " + node + ": evicted " + ref);
            } else {
                blocked.put(ref, new BlockedPod(ref, budgetsFor(pod), "eviction refused with 429: the "
                        + "PodDisruptionBudget does not allow another disruption right now"));
            }
        }
        return new Result(List.copyOf(evicted), List.copyOf(skipped), List.copyOf(blocked.values()));
    }

    private boolean evict(Pod pod) {
        try {
            return retry.call("evict " + PodsOnNode.ref(pod), () -> client.pods()
                    .inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).evict());
        } catch (KubernetesClientException e) {
            if (Conflicts.isNotFound(e)) {
                return true;
            }
            throw e;
        }
    }

    /** Waits, through one resumable watch of the node's pods, until the evicted pods are gone. */
    private void waitUntilGone(String node, List<String> pods, Instant deadline, Progress progress) {
        if (pods.isEmpty()) {
            return;
        }
        Duration left = Duration.between(clock.instant(), deadline);
        if (left.isNegative() || left.isZero()) {
            left = Duration.ofSeconds(1);
        }
        java.util.Set<String> evicted = new java.util.HashSet<>(pods);
        try {
            Optional<List<String>> gone = WatchedObjects.await("evicted pods to leave " + node,
                    client.pods().inAnyNamespace().withField("spec.nodeName", node),
                    (List<Pod> items) -> items.stream().noneMatch(p -> evicted.contains(
                            p.getMetadata().getNamespace() + "/" + p.getMetadata().getName()))
                            ? Optional.of(pods) : Optional.empty(), left, retry, progress);
            if (gone.isEmpty()) {
                progress.warn("drain " + node + ": evicted pods are still terminating after " + left.toSeconds() + "s");
            }
        } catch (KubernetesClientException | OperationFailedException e) {
            progress.warn("drain " + node + ": could not watch the evicted pods terminate: " + e.getMessage());
        }
    }

    private List<String> budgetsFor(Pod pod) {
        String ns = pod.getMetadata().getNamespace();
        List<PodDisruptionBudget> budgets = retry.call("list disruption budgets in " + ns,
                () -> client.policy().v1().podDisruptionBudget().inNamespace(ns).list().getItems());
        List<String> matching = new ArrayList<>();
        for (PodDisruptionBudget pdb : budgets) {
            if (selects(pdb.getSpec().getSelector(), pod.getMetadata().getLabels())) {
                var status = pdb.getStatus();
                matching.add(ns + "/" + pdb.getMetadata().getName() + (status == null ? "" : " (healthy "
                        + status.getCurrentHealthy() + ", desired " + status.getDesiredHealthy() + ", disruptions allowed "
                        + status.getDisruptionsAllowed() + ")"));
            }
        }
        return matching;
    }

    /** matchLabels semantics; matchExpressions are honoured for In/NotIn/Exists/DoesNotExist. */
    public static boolean selects(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return false;
        }
        Map<String, String> have = labels == null ? Map.of() : labels;
        if (selector.getMatchLabels() != null) {
            for (var e : selector.getMatchLabels().entrySet()) {
                if (!e.getValue().equals(have.get(e.getKey()))) {
                    return false;
                }
            }
        }
        if (selector.getMatchExpressions() != null) {
            for (var req : selector.getMatchExpressions()) {
                String value = have.get(req.getKey());
                List<String> values = req.getValues() == null ? List.of() : req.getValues();
                boolean ok = switch (req.getOperator()) {
                    case "In" -> value != null && values.contains(value);
                    case "NotIn" -> value == null || !values.contains(value);
                    case "Exists" -> have.containsKey(req.getKey());
                    case "DoesNotExist" -> !have.containsKey(req.getKey());
                    default -> false;
                };
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }

    private static String skipReason(Pod pod) {
        if (PodsOnNode.isDaemonSetPod(pod)) {
            return "DaemonSet pod";
        }
        return PodsOnNode.isMirrorPod(pod) ? "mirror pod" : "kept by the caller";
    }

    /** "ns/pod by ns/budget (healthy h, desired d, disruptions allowed a)" for each blocked pod. */
    public static String describe(Iterable<BlockedPod> blocked) {
        List<String> parts = new ArrayList<>();
        for (BlockedPod b : blocked) {
            parts.add(b.pod() + " by " + (b.budgets().isEmpty() ? "an unknown budget" : String.join(", ", b.budgets())));
        }
        return "[" + String.join("; ", parts) + "]";
    }
}
