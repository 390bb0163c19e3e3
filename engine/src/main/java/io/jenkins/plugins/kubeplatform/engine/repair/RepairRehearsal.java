package io.jenkins.plugins.kubeplatform.engine.repair;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.engine.core.ChangePlan;
import io.jenkins.plugins.kubeplatform.engine.kube.ApiRetry;
import io.jenkins.plugins.kubeplatform.engine.kube.NodeDrainer;
import io.jenkins.plugins.kubeplatform.engine.repair.Decision.Act;
import io.jenkins.plugins.kubeplatform.engine.repair.Decision.RunRepair;
import io.jenkins.plugins.kubeplatform.engine.repair.Decision.Stop;
import io.jenkins.plugins.kubeplatform.engine.repair.Decision.Wait;
import io.jenkins.plugins.kubeplatform.engine.repair.MaintenanceAction.AcquireLease;
import io.jenkins.plugins.kubeplatform.engine.repair.MaintenanceAction.Deregister;
import io.jenkins.plugins.kubeplatform.engine.repair.MaintenanceAction.Enter;
import io.jenkins.plugins.kubeplatform.engine.repair.MaintenanceAction.EvictPass;
import io.jenkins.plugins.kubeplatform.engine.repair.MaintenanceAction.Fail;
import io.jenkins.plugins.kubeplatform.engine.repair.MaintenanceAction.Record;
import io.jenkins.plugins.kubeplatform.engine.repair.MaintenanceAction.Release;
import io.jenkins.plugins.kubeplatform.engine.repair.MaintenanceAction.RenewLease;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A dry run of one node's repair: {@link RepairPlanner} decides from the node, its pods and the pool's leases as they
 * are now, exactly as {@link RepairSession} does; each decided write is recorded and its effect applied to an
 * in-memory copy of the observation instead of the cluster, and each wait is taken as ended (tasks finished, evicted
 * pods gone, the stabilization window passed), until the planner stops or releases the node. With
 * {@code sendDryRun} the node, pod and lease writes go through {@link MaintenanceApplier} with {@code dryRun=All}
 * (evictions are listed, not sent).
 */
final class RepairRehearsal {

    private static final int MAX_DECISIONS = 64;

    private final ClusterObserver observer;
    private final RepairSettings settings;
    private final Clock clock;
    private final Optional<MaintenanceApplier> dryRunApplier;

    RepairRehearsal(KubernetesClient client, ApiRetry retry, RepairSettings settings, Clock clock, boolean sendDryRun) {
        this.observer = new ClusterObserver(client, retry, settings);
        this.settings = settings;
        this.clock = clock;
        this.dryRunApplier = sendDryRun ? Optional.of(new MaintenanceApplier(client, retry, settings, clock,
                new NodeDrainer(client, retry, clock, d -> { }), true)) : Optional.empty();
    }

    ChangePlan plan(RepairRequest request, String repairAction) {
        ChangePlan.Builder plan = new ChangePlan.Builder();
        Observation o = firstObservation(request);
        PoolSettings pool = o.pool();
        String lease = settings.leaseNamespace();
        for (int i = 0; i < MAX_DECISIONS; i++) {
            Decision d = RepairPlanner.decide(o, settings);
            if (d instanceof Stop stop) {
                plan.note("stop: " + stop.outcome() + ": " + stop.message());
                return plan.build();
            }
            if (d instanceof Wait wait) {
                if (o.node().record().isEmpty() || o.node().record().get().state() == MaintenanceState.REPAIRING) {
                    plan.note("wait: " + wait.why() + " (the plan ends here)");
                    return plan.build();
                }
                plan.note("wait: " + wait.why());
                o = afterWait(o, wait);
                continue;
            }
            if (d instanceof RunRepair) {
                plan.note("repair: " + repairAction + " (assumed to succeed and leave the node healthy)");
                o = with(o, healthy(o.node(), o.now()), o.pods(), o.leases(), RepairStatus.succeeded(), o.now());
                continue;
            }
            MaintenanceAction action = ((Act) d).action();
            dryRunApplier.ifPresent(a -> send(a, action, request, pool));
            if (action instanceof AcquireLease a) {
                plan.object(a.slot().resourceVersion().isEmpty() ? "create" : "update", "Lease", "", lease, a.slot().name(),
                        "repair slot of pool " + pool.name() + " held by " + request.owner() + " for " + request.node());
                o = acquired(o, a, request);
            } else if (action instanceof RenewLease r) {
                plan.object("update", "Lease", "", lease, r.slot(), "renew");
                o = renewed(o, r);
            } else if (action instanceof Enter e) {
                plan.object("update", "Node", "", null, request.node(), "cordon, taint " + RepairSettings.TAINT_KEY
                        + ", record " + e.record().state() + " (" + e.record().reason() + ")");
                o = withRecord(o, e.record());
            } else if (action instanceof Record r) {
                plan.object("update", "Node", "", null, request.node(), "record " + r.record().state() + " ("
                        + r.record().reason() + ")");
                o = withRecord(o, r.record());
            } else if (action instanceof Deregister dr) {
                o = deregistered(plan, o, dr);
            } else if (action instanceof EvictPass) {
                o = evicted(plan, o, request);
            } else if (action instanceof Release r) {
                planRelease(plan, o, r, request);
                return plan.build();
            } else if (action instanceof Fail f) {
                plan.object("update", "Node", "", null, request.node(), "record FAILED (" + f.record().reason() + ")");
                plan.note("outcome: " + RepairOutcome.FAILED);
                return plan.build();
            }
        }
        plan.note("the plan was cut after " + MAX_DECISIONS + " decisions");
        return plan.build();
    }

    /** The node, its pods, Services and the pool's leases as they are now, before any repair step. */
    private Observation firstObservation(RepairRequest request) {
        NodeView node = observer.node(request.node());
        PoolSettings pool = node.record().flatMap(r -> settings.pool(r.pool())).orElseGet(() -> settings.poolOf(node.labels()));
        List<Pod> pods = observer.podsOnNode(request.node());
        PodClassifier classifier = new PodClassifier(settings);
        Instant now = clock.instant();
        return new Observation(now, request.owner(), !request.resumed(), request.waitForLease(), now, node, pool,
                pods.stream().map(classifier::view).toList(), observer.services(request.node(), pods),
                observer.leases(pool), RepairStatus.NOT_STARTED, Optional.empty());
    }

    /** The release that ends a repaired node's plan: traffic labels back, uncordon, the repair slot released. */
    private void planRelease(ChangePlan.Builder plan, Observation o, Release r, RepairRequest request) {
        o.pods().stream().filter(PodView::deregistered).forEach(p -> plan.object("update", "Pod", "",
                p.namespace(), p.name(), "put label " + settings.trafficLabel() + " back"));
        plan.object("update", "Node", "", null, request.node(), (r.record().wasUnschedulable()
                ? "keep cordoned (it was before)" : "uncordon") + ", remove taint and record");
        o.leases().heldBy(request.owner(), request.node()).ifPresent(s -> plan.object("update", "Lease", "",
                settings.leaseNamespace(), s.name(), "release the repair slot"));
        plan.note("outcome: " + RepairOutcome.REPAIRED);
    }

    /** The observation once the request holds the acquired repair slot. */
    private Observation acquired(Observation o, AcquireLease a, RepairRequest request) {
        List<PoolLeases.Slot> slots = new ArrayList<>(o.leases().slots().stream()
                .filter(s -> !s.name().equals(a.slot().name())).toList());
        slots.add(new PoolLeases.Slot(a.slot().name(), request.owner(), request.node(), o.now(),
                settings.leaseTtl(), "dry-run"));
        return with(o, o.node(), o.pods(), new PoolLeases(o.leases().pool(), o.leases().capacity(), slots),
                o.repair(), o.now());
    }

    /** The observation once the slot is renewed now. */
    private Observation renewed(Observation o, RenewLease r) {
        Instant at = o.now();
        List<PoolLeases.Slot> slots = o.leases().slots().stream().map(s -> s.name().equals(r.slot())
                ? new PoolLeases.Slot(s.name(), s.holder(), s.node(), at, s.duration(), s.resourceVersion())
                : s).toList();
        return with(o, o.node(), o.pods(), new PoolLeases(o.leases().pool(), o.leases().capacity(), slots),
                o.repair(), o.now());
    }

    /** Plans the traffic label removals; the observation once the pods are out of Service endpoints. */
    private Observation deregistered(ChangePlan.Builder plan, Observation o, Deregister dr) {
        dr.pods().forEach(p -> plan.object("update", "Pod", "", p.split("/", 2)[0], p.split("/", 2)[1],
                "remove label " + settings.trafficLabel() + " (taken out of Service endpoints)"));
        List<PodView> next = o.pods().stream().map(p -> dr.pods().contains(p.ref())
                ? new PodView(p.namespace(), p.name(), p.role(), p.labels(), p.ready(), p.finished(),
                p.terminating(), false, true) : p).toList();
        return with(o, o.node(), next, o.leases(), o.repair(), o.now());
    }

    /** Plans one eviction pass; the observation once every drained pod terminates. */
    private Observation evicted(ChangePlan.Builder plan, Observation o, RepairRequest request) {
        List<PodView> next = new ArrayList<>();
        for (PodView p : o.pods()) {
            boolean drained = p.role() != PodRole.DAEMON && p.role() != PodRole.MIRROR;
            if (drained && !p.terminating()) {
                plan.object("evict", "Pod", "", p.namespace(), p.name(), "honouring disruption budgets"
                        + (dryRunApplier.isPresent() ? " (not sent in a server dry run)" : ""));
            }
            next.add(drained ? new PodView(p.namespace(), p.name(), p.role(), p.labels(), p.ready(),
                    p.finished(), true, p.trafficRegistered(), p.deregistered()) : p);
        }
        plan.note("release the required node pins of sticky identities on " + request.node() + ", if any");
        return with(o, o.node(), next, o.leases(), o.repair(), o.now());
    }

    /** Sends what {@link RepairSession} would write for {@code action}, with dryRun=All. */
    private void send(MaintenanceApplier applier, MaintenanceAction action, RepairRequest request, PoolSettings pool) {
        String node = request.node();
        String rv = observer.node(node).resourceVersion();
        if (action instanceof AcquireLease a) {
            applier.acquireLease(pool.name(), a.slot(), request.owner(), node);
        } else if (action instanceof Enter e) {
            applier.writeRecord(node, rv, e.record());
        } else if (action instanceof Record r) {
            applier.writeRecord(node, rv, r.record());
        } else if (action instanceof Deregister d) {
            applier.deregister(d.pods());
        } else if (action instanceof Release r) {
            applier.release(node, rv, r.record());
        } else if (action instanceof Fail f) {
            applier.writeRecord(node, rv, f.record());
        }
    }

    /** The cluster after a wait ended: tasks finished, evicted pods gone, endpoints updated, time passed. */
    private Observation afterWait(Observation o, Wait wait) {
        MaintenanceState state = o.node().record().map(MaintenanceRecord::state).orElseThrow();
        List<PodView> pods = o.pods();
        if (state == MaintenanceState.WAITING_FOR_TASKS) {
            pods = pods.stream().map(p -> RepairPlanner.isTask(p) ? new PodView(p.namespace(), p.name(), p.role(),
                    p.labels(), p.ready(), true, p.terminating(), p.trafficRegistered(), p.deregistered()) : p).toList();
        } else if (state == MaintenanceState.DRAINING) {
            pods = pods.stream().filter(p -> !p.terminating()).toList();
        }
        Duration step = wait.atMost().isZero() ? Duration.ofSeconds(1) : wait.atMost();
        Observation next = with(o, o.node(), pods, o.leases(), o.repair(), o.now().plus(step));
        return new Observation(next.now(), next.owner(), next.freshStart(), next.waitForLease(), next.runStartedAt(),
                next.node(), next.pool(), next.pods(), state == MaintenanceState.DEREGISTERING ? List.of() : next.services(),
                next.leases(), next.repair(), next.evictionBlock());
    }

    /** The node as a successful repair leaves it: Ready since now, no fault condition. */
    private NodeView healthy(NodeView n, Instant now) {
        List<NodeView.Condition> conditions = new ArrayList<>(n.conditions().stream()
                .filter(c -> !c.type().equals("Ready") && !settings.faultConditions().contains(c.type())).toList());
        conditions.add(new NodeView.Condition("Ready", "True", Optional.of(now), "KubeletReady"));
        return new NodeView(n.name(), n.resourceVersion(), n.labels(), n.unschedulable(), n.taintKeys(), conditions,
                n.record(), n.recordError());
    }

    private static Observation withRecord(Observation o, MaintenanceRecord record) {
        NodeView n = o.node();
        List<String> taints = new ArrayList<>(n.taintKeys());
        if (!taints.contains(RepairSettings.TAINT_KEY)) {
            taints.add(RepairSettings.TAINT_KEY);
        }
        NodeView next = new NodeView(n.name(), n.resourceVersion(), n.labels(), true, taints, n.conditions(),
                Optional.of(record), Optional.empty());
        return new Observation(o.now(), o.owner(), false, o.waitForLease(), o.runStartedAt(), next, o.pool(), o.pods(),
                o.services(), o.leases(), o.repair(), o.evictionBlock());
    }

    private static Observation with(Observation o, NodeView node, List<PodView> pods, PoolLeases leases,
                                    RepairStatus repair, Instant now) {
        return new Observation(now, o.owner(), o.freshStart(), o.waitForLease(), o.runStartedAt(), node, o.pool(), pods,
                o.services(), leases, repair, o.evictionBlock());
    }
}
