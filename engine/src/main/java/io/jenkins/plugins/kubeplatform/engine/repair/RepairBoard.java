package io.jenkins.plugins.kubeplatform.engine.repair;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.engine.kube.ApiRetry;
import io.jenkins.plugins.kubeplatform.engine.kube.NodeDrainer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every node under maintenance, read from the nodes' maintenance records: what an operator sees on the "Node repairs"
 * page, and the manual release of a repair that failed, was aborted or is stuck. A running repair is never released
 * from here: its owner would fight the release.
 */
public final class RepairBoard {

    /** One node under maintenance; {@code stuck} when an active state outlived every timeout that bounds it. */
    public record Entry(String node, String resourceVersion, MaintenanceRecord record, boolean stuck) {
        /** Released by hand only when no run is working on it. */
        public boolean releasable() {
            return record.state().isStopped() || stuck;
        }
    }

    /** What a release did. */
    public enum ReleaseOutcome {
        RELEASED,
        /** No maintenance record on the node (released meanwhile, or never under repair). */
        NOT_UNDER_REPAIR,
        /** The repair is active and not stuck: its owner releases it. */
        STILL_RUNNING,
        /** The record changed between reading and writing (the repair moved on): look again. */
        CHANGED
    }

    private final KubernetesClient client;
    private final ApiRetry retry;
    private final RepairSettings settings;
    private final Clock clock;

    public RepairBoard(KubernetesClient client, ApiRetry retry, RepairSettings settings, Clock clock) {
        this.client = client;
        this.retry = retry;
        this.settings = settings;
        this.clock = clock;
    }

    /** Every node with a readable maintenance record, by pool then node. */
    public List<Entry> list() {
        List<Entry> out = new ArrayList<>();
        Instant now = clock.instant();
        for (Node n : retry.call("list nodes", () -> client.nodes().list().getItems())) {
            entry(n, now).ifPresent(out::add);
        }
        out.sort(Comparator.comparing((Entry e) -> e.record().pool() == null ? "" : e.record().pool())
                .thenComparing(Entry::node));
        return out;
    }

    /**
     * Gives a stopped or stuck repair's node back: traffic labels restored on pods still there, taint and record
     * removed, uncordoned only if it was schedulable before the repair. Checked against the record just read.
     */
    public ReleaseOutcome release(String node) {
        Node n = retry.call("read node " + node, () -> client.nodes().withName(node).get());
        Optional<Entry> entry = n == null ? Optional.empty() : entry(n, clock.instant());
        if (entry.isEmpty()) {
            return ReleaseOutcome.NOT_UNDER_REPAIR;
        }
        if (!entry.get().releasable()) {
            return ReleaseOutcome.STILL_RUNNING;
        }
        MaintenanceApplier applier = new MaintenanceApplier(client, retry, settings, clock,
                new NodeDrainer(client, retry, clock, d -> Thread.sleep(d.toMillis())));
        applier.restoreTraffic(node);
        return applier.release(node, entry.get().resourceVersion(), entry.get().record())
                ? ReleaseOutcome.RELEASED : ReleaseOutcome.CHANGED;
    }

    private Optional<Entry> entry(Node n, Instant now) {
        Map<String, String> annotations = n.getMetadata().getAnnotations();
        String json = annotations == null ? null : annotations.get(MaintenanceRecord.ANNOTATION);
        if (json == null) {
            return Optional.empty();
        }
        return MaintenanceRecord.parse(json).map(r -> new Entry(n.getMetadata().getName(),
                n.getMetadata().getResourceVersion(), r, stuck(r, now)));
    }

    /** Active, and longer in its state than the state's own timeout plus a lease lifetime. */
    boolean stuck(MaintenanceRecord r, Instant now) {
        if (r.state().isStopped()) {
            return false;
        }
        Duration bound = switch (r.state()) {
            case CORDONED, DEREGISTERING -> settings.deregistrationGrace().plus(settings.deregistrationTimeout());
            case WAITING_FOR_TASKS -> settings.taskTimeout();
            case DRAINING -> settings.drainTimeout();
            case REPAIRING -> settings.repairTimeout();
            case VERIFYING -> settings.verifyTimeout().plus(settings.stabilizationWindow());
            default -> Duration.ZERO;
        };
        return Duration.between(r.since(), now).compareTo(bound.plus(settings.leaseTtl())) > 0;
    }
}
