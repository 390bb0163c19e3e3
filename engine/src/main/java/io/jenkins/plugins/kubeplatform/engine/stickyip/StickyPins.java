package io.jenkins.plugins.kubeplatform.engine.stickyip;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.kube.ApiRetry;
import io.jenkins.plugins.kubeplatform.engine.kube.Conflicts;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Pins between deploys (SIP-15). A {@code required} node pin is only re-evaluated at the next deploy, so when its
 * node is drained for repair, deleted, or NotReady for long, the identity's new pod would stay Pending. This releases
 * such pins: the identity's Deployment loses the required pin to that node (the template's own affinity is kept), so
 * the Deployment's Recreate starts the pod on another node, with the same address annotation and so the same IP.
 * The next deploy pins it again to wherever it then runs. The reason is recorded on the Deployment in
 * {@link #RELEASED} and, when a ledger is given, on the identity's reservation (shown by {@code ip-ledger list} and
 * the reservations page).
 */
public final class StickyPins {

    /** Why and when the pin was released: {@code <time> <node>: <reason>}. */
    public static final String RELEASED = "kubeplatform.jenkins.io/pin-released";

    /** How long a pinned node may be NotReady before the periodic maintenance releases its pins. */
    public static final Duration LOST_NODE_GRACE = Duration.ofMinutes(5);

    private static final int CONFLICT_ATTEMPTS = 5;

    private final KubernetesClient client;
    private final ApiRetry retry;
    private final Clock clock;
    private final Optional<IpReservationLedger> ledger;

    public StickyPins(KubernetesClient client, ApiRetry retry, Clock clock) {
        this(client, retry, clock, Optional.empty());
    }

    /** @param ledger where the release is recorded on the identity's reservation (time, node, reason) */
    public StickyPins(KubernetesClient client, ApiRetry retry, Clock clock, Optional<IpReservationLedger> ledger) {
        this.client = client;
        this.retry = retry;
        this.clock = clock;
        this.ledger = ledger;
    }

    /** One released pin: the identity ({@code namespace/name-N}), its address, the node, why and when. */
    public record Released(String identity, String ip, String node, String reason, Instant at) {

        /** {@code ns/web-0 (10.42.200.7): required pin to n3 released at <time>: <reason>}. */
        public String describe() {
            return identity + (ip.isEmpty() ? "" : " (" + ip + ")") + ": required pin to " + node + " released at "
                    + at + ": " + reason;
        }
    }

    /** Releases the required pins to {@code node} (for example before {@code repairNode} drains it). */
    public List<Released> release(String node, String reason, Progress progress) {
        List<Released> released = new ArrayList<>();
        for (Deployment d : managedDeployments()) {
            if (node.equals(pinnedNode(d)) && hasRequiredPin(d, node)) {
                released.add(unpin(d, node, reason));
                progress.step("stickyIpDeploy " + released.get(released.size() - 1).identity() + ": required pin to "
                        + node + " released (" + reason + "); the pod moves to another node with its address "
                        + released.get(released.size() - 1).ip());
            }
        }
        return released;
    }

    /**
     * Releases required pins to nodes that are gone, or NotReady for longer than {@code grace} (the periodic
     * maintenance).
     */
    public List<Released> releaseLost(Duration grace, Progress progress) {
        Map<String, Node> nodes = new HashMap<>();
        for (Node n : retry.call("list nodes", () -> client.nodes().list().getItems())) {
            nodes.put(n.getMetadata().getName(), n);
        }
        List<Released> released = new ArrayList<>();
        Instant now = clock.instant();
        for (Deployment d : managedDeployments()) {
            String node = pinnedNode(d);
            if (node == null || !hasRequiredPin(d, node)) {
                continue;
            }
            Node n = nodes.get(node);
            Optional<String> why = n == null ? Optional.of("node " + node + " was deleted") : notReadySince(n)
                    .filter(since -> !since.plus(grace).isAfter(now))
                    .map(since -> "node " + node + " NotReady for " + Duration.between(since, now).toMinutes() + "m (since "
                            + since + "; grace " + grace.toMinutes() + "m)");
            if (why.isPresent()) {
                Released r = unpin(d, node, why.get());
                released.add(r);
                progress.step("stickyIpDeploy " + r.identity() + ": required pin released (" + why.get()
                        + "); the pod moves to another node with its address " + r.ip());
            }
        }
        return released;
    }

    private List<Deployment> managedDeployments() {
        return retry.call("list deployments in all namespaces", () -> client.apps().deployments().inAnyNamespace()
                .withLabel(StickyIpLabels.MANAGED_BY, StickyIpLabels.MANAGER).list().getItems());
    }

    private static String pinnedNode(Deployment d) {
        Map<String, String> a = d.getSpec() == null || d.getSpec().getTemplate().getMetadata() == null ? null
                : d.getSpec().getTemplate().getMetadata().getAnnotations();
        return a == null ? null : a.get(StickyIpLabels.PINNED_NODE);
    }

    private static boolean hasRequiredPin(Deployment d, String node) {
        Affinity a = d.getSpec().getTemplate().getSpec().getAffinity();
        NodeSelector required = a == null || a.getNodeAffinity() == null ? null
                : a.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
        if (required == null || required.getNodeSelectorTerms() == null) {
            return false;
        }
        return required.getNodeSelectorTerms().stream().anyMatch(t -> strip(t, node) != null);
    }

    /** The term without the pin to {@code node}, or null when it has none. */
    private static NodeSelectorTerm strip(NodeSelectorTerm t, String node) {
        List<NodeSelectorRequirement> exprs = new ArrayList<>(t.getMatchExpressions() == null ? List.of()
                : t.getMatchExpressions());
        List<NodeSelectorRequirement> fields = new ArrayList<>(t.getMatchFields() == null ? List.of() : t.getMatchFields());
        boolean removed = exprs.removeIf(r -> "kubernetes.io/hostname".equals(r.getKey()) && "In".equals(r.getOperator())
                && r.getValues() != null && r.getValues().size() == 1);
        removed |= fields.removeIf(r -> "metadata.name".equals(r.getKey()) && "In".equals(r.getOperator())
                && List.of(node).equals(r.getValues()));
        return removed ? new NodeSelectorTerm(exprs, fields) : null;
    }

    private Released unpin(Deployment found, String node, String reason) {
        String ns = found.getMetadata().getNamespace();
        String name = found.getMetadata().getName();
        Instant at = clock.instant();
        String note = at + " " + node + ": " + reason;
        try {
            Conflicts.retry("update deployment " + ns + "/" + name, CONFLICT_ATTEMPTS, () -> {
                Deployment d = retry.call("get deployment " + ns + "/" + name,
                        () -> client.apps().deployments().inNamespace(ns).withName(name).get());
                if (d == null || !node.equals(pinnedNode(d))) {
                    return d; // deleted or re-pinned by a deploy meanwhile
                }
                var nodeAffinity = d.getSpec().getTemplate().getSpec().getAffinity().getNodeAffinity();
                List<NodeSelectorTerm> kept = new ArrayList<>();
                for (NodeSelectorTerm t : nodeAffinity.getRequiredDuringSchedulingIgnoredDuringExecution()
                        .getNodeSelectorTerms()) {
                    NodeSelectorTerm stripped = strip(t, node);
                    NodeSelectorTerm term = stripped == null ? t : stripped;
                    if ((term.getMatchExpressions() != null && !term.getMatchExpressions().isEmpty())
                            || (term.getMatchFields() != null && !term.getMatchFields().isEmpty())) {
                        kept.add(term);
                    }
                }
                nodeAffinity.setRequiredDuringSchedulingIgnoredDuringExecution(kept.isEmpty() ? null
                        : new NodeSelector(kept));
                if (nodeAffinity.getPreferredDuringSchedulingIgnoredDuringExecution() == null && kept.isEmpty()) {
                    d.getSpec().getTemplate().getSpec().getAffinity().setNodeAffinity(null);
                }
                d.getSpec().getTemplate().getMetadata().getAnnotations().remove(StickyIpLabels.PINNED_NODE);
                d.getSpec().getTemplate().getMetadata().getAnnotations().put(RELEASED, note);
                d.getMetadata().getAnnotations().remove(StickyIpLabels.PINNED_NODE);
                d.getMetadata().getAnnotations().put(RELEASED, note);
                return retry.call("update deployment " + ns + "/" + name,
                        () -> client.apps().deployments().inNamespace(ns).resource(d).update());
            });
        } catch (KubernetesClientException e) {
            throw new OperationFailedException("could not release the node pin of deployment " + ns + "/" + name
                    + ": " + e.getMessage());
        }
        String ip = found.getMetadata().getAnnotations() == null ? "" : found.getMetadata().getAnnotations()
                .getOrDefault(StickyIpLabels.RESERVED_IP, "");
        String identity = ns + "/" + name;
        ledger.ifPresent(l -> l.recordPinRelease(identity, new Reservation.PinRelease(at, node, reason)));
        return new Released(identity, ip, node, reason, at);
    }

    private static Optional<Instant> notReadySince(Node n) {
        if (n.getStatus() == null || n.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        for (NodeCondition c : n.getStatus().getConditions()) {
            if ("Ready".equals(c.getType()) && !"True".equals(c.getStatus()) && c.getLastTransitionTime() != null) {
                try {
                    return Optional.of(Instant.parse(c.getLastTransitionTime()));
                } catch (DateTimeParseException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }
}
