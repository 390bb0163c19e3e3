package io.jenkins.plugins.kubeplatform.engine.repair;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
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
import io.jenkins.plugins.kubeplatform.engine.stickyip.StickyPins;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Drives the repair of one node, one short {@link #step()} at a time: observe, ask {@link RepairPlanner}, apply,
 * until the planner says to wait, to run the repair, or that it is done. A step never sleeps through a wait, so a
 * caller can park between steps without holding a thread (the Jenkins step) or block on cluster changes (the CLI).
 * All durable state is on the node; a new session with the same owner continues where the record says.
 */
public final class RepairSession {

    private static final int MAX_ACTIONS_PER_STEP = 64;

    private final RepairSettings settings;
    private final RepairRequest request;
    private final Clock clock;
    private final Progress progress;
    private final ClusterObserver observer;
    private final MaintenanceApplier applier;
    private final Instant runStartedAt;
    private final List<TimelineEntry> timeline = new ArrayList<>();
    private final Set<String> agentPods = new LinkedHashSet<>();
    private final Set<String> deregistered = new LinkedHashSet<>();
    private String leaseSlot = "";

    private boolean freshStart;
    private volatile RepairStatus repair = RepairStatus.NOT_STARTED;
    private Optional<Observation.EvictionBlock> evictionBlock = Optional.empty();
    private int blockedPasses;
    private List<String> skipped = List.of();
    private String lastWait = "";
    private String status = "starting";
    private PoolSettings pool;
    private MaintenanceState lastState;
    private boolean planned;
    private RepairResult result;
    private final StickyPins pins;
    private boolean pinsReleased;

    public RepairSession(KubernetesClient client, ApiRetry retry, RepairSettings settings, Clock clock,
                         RepairRequest request, Progress progress) {
        this(client, retry, settings, clock, request, progress, java.util.Optional.empty());
    }

    /** @param ledger the sticky-IP ledger on whose reservations released pins are recorded (SIP-15) */
    public RepairSession(KubernetesClient client, ApiRetry retry, RepairSettings settings, Clock clock,
                         RepairRequest request, Progress progress,
                         java.util.Optional<io.jenkins.plugins.kubeplatform.engine.stickyip.IpReservationLedger> ledger) {
        this.settings = settings;
        this.request = request;
        this.clock = clock;
        this.progress = progress;
        this.observer = new ClusterObserver(client, retry, settings);
        this.applier = new MaintenanceApplier(client, retry, settings, clock,
                new NodeDrainer(client, retry, clock, d -> Thread.sleep(d.toMillis())));
        this.pins = new StickyPins(client, retry, clock, ledger);
        this.runStartedAt = clock.instant();
        this.freshStart = !request.resumed();
    }

    public String node() {
        return request.node();
    }

    /** One line for the build's status: what the repair is doing or waiting for. */
    public String status() {
        return status;
    }

    /** The repair slot (Lease name) this repair held when the node was last observed; empty when none. */
    public String leaseSlot() {
        return leaseSlot;
    }

    /** Serving pods whose traffic label this session removed (put back at release). */
    public Set<String> deregistered() {
        return Set.copyOf(deregistered);
    }

    /** The maintenance state this session last recorded or saw on the node (e.g. WAITING_FOR_TASKS), if any. */
    public Optional<MaintenanceState> state() {
        return Optional.ofNullable(lastState);
    }

    public List<TimelineEntry> timeline() {
        return List.copyOf(timeline);
    }

    /** Jenkins agent pods seen on the node (their agents must take no new builds until release). */
    public Set<String> agentPods() {
        return Set.copyOf(agentPods);
    }

    public Optional<RepairResult> result() {
        return Optional.ofNullable(result);
    }

    /** Tells the session the repair action ended (call {@link #step()} next). */
    public void repairFinished(boolean succeeded, String message) {
        repair = succeeded ? RepairStatus.succeeded() : RepairStatus.failed(message);
        note(lastState, succeeded ? "repair action finished" : "repair action failed: " + repair.message());
    }

    /** Tells a resumed session that its repair action is still running (a Jenkins body survives a restart). */
    public void repairStillRunning() {
        repair = RepairStatus.RUNNING;
    }

    public SessionStep step() {
        if (result != null) {
            return new SessionStep.Finished(result);
        }
        for (int i = 0; i < MAX_ACTIONS_PER_STEP; i++) {
            Observation o = observe();
            if (!planned) {
                planned = true;
                progress.plan("repair node " + node() + " (pool " + pool.name() + ", owner " + request.owner()
                        + "): cordon and taint, take serving pods out of Service endpoints, let tasks finish (up to "
                        + settings.taskTimeout() + "), evict the rest honouring disruption budgets, repair, verify Ready "
                        + "for " + settings.stabilizationWindow() + ", release");
            }
            Decision d = RepairPlanner.decide(o, settings);
            if (d instanceof Stop stop) {
                    return finish(stop.outcome(), stop.message(), o.node().record().map(r -> r.state().name()).orElse(""),
                            o.node().unschedulable());
            }
            if (d instanceof Wait wait) {
                    status = wait.why();
                    if (!wait.why().equals(lastWait)) {
                        lastWait = wait.why();
                        progress.waiting(node() + ": " + wait.why());
                    }
                    Duration atMost = wait.atMost().compareTo(settings.maxWait()) > 0 ? settings.maxWait() : wait.atMost();
                    return new SessionStep.Waiting(atMost, wait.why());
            }
            if (d instanceof RunRepair) {
                    repair = RepairStatus.RUNNING;
                    status = "repair running";
                    note(MaintenanceState.REPAIRING, "repair action started");
                    return new SessionStep.RepairNeeded(node());
            }
            Optional<SessionStep> end = apply(((Act) d).action(), o);
            if (end.isPresent()) {
                return end.get();
            }
        }
        throw new OperationFailedException("repair of " + node() + " made no progress after " + MAX_ACTIONS_PER_STEP
                + " writes in one step (the node keeps changing under it); run it again to resume");
    }

    /**
     * Leaves the node safe: an active record of ours becomes ABORTED (node stays cordoned and tainted), the lease is
     * released. Nothing is changed on a node this run never touched.
     */
    public RepairResult abort(String why) {
        if (result != null) {
            return result;
        }
        for (int i = 0; i < 5; i++) {
            NodeView n = observer.node(node());
            if (pool == null) {
                pool = n.record().flatMap(rec -> settings.pool(rec.pool())).orElseGet(() -> settings.poolOf(n.labels()));
            }
            Optional<MaintenanceRecord> r = n.record().filter(rec -> rec.owner().equals(request.owner()));
            if (r.isEmpty() || r.get().state().isStopped()) {
                releaseLeaseQuietly();
                return finish(RepairOutcome.ABORTED, "aborted (" + why + ") before " + node() + " was changed",
                        r.map(x -> x.state().name()).orElse(""), n.unschedulable()).result();
            }
            MaintenanceRecord aborted = r.get().moveTo(MaintenanceState.ABORTED, clock.instant(),
                    "aborted in " + r.get().state() + ": " + why);
            if (applier.writeRecord(node(), n.resourceVersion(), aborted)) {
                note(MaintenanceState.ABORTED, aborted.reason());
                releaseLeaseQuietly();
                return finish(RepairOutcome.ABORTED, "repair of " + node() + " aborted in " + r.get().state() + " ("
                        + why + "); the node stays cordoned and tainted with state ABORTED recorded; run the repair "
                        + "again to start over, or uncordon it yourself", MaintenanceState.ABORTED.name(), true).result();
            }
        }
        throw new OperationFailedException("could not record the abort on node " + node()
                + " (it kept changing); it stays cordoned in its last recorded state");
    }

    private Observation observe() {
        NodeView n = observer.node(node());
        if (pool == null) {
            pool = n.record().flatMap(r -> settings.pool(r.pool())).orElseGet(() -> settings.poolOf(n.labels()));
        }
        boolean needPods = n.record().isPresent();
        List<Pod> pods = needPods ? observer.podsOnNode(node()) : List.of();
        PodClassifier classifier = new PodClassifier(settings);
        List<PodView> views = pods.stream().map(classifier::view).toList();
        views.stream().filter(p -> p.role() == PodRole.AGENT).forEach(p -> agentPods.add(p.name()));
        boolean needServices = n.record().map(r -> r.state() == MaintenanceState.DEREGISTERING).orElse(false);
        List<ServiceView> services = needServices ? observer.services(node(), pods) : List.of();
        PoolLeases leases = observer.leases(pool);
        leaseSlot = leases.heldBy(request.owner(), node()).filter(l -> !l.expired(clock.instant()))
                .map(PoolLeases.Slot::name).orElse("");
        return new Observation(clock.instant(), request.owner(), freshStart, request.waitForLease(), runStartedAt, n, pool,
                views, services, leases, repair, evictionBlock);
    }

    private Optional<SessionStep> apply(MaintenanceAction action, Observation o) {
        NodeView n = o.node();
        if (action instanceof AcquireLease a) {
                if (applier.acquireLease(pool.name(), a.slot(), request.owner(), node())) {
                    note(n.record().map(MaintenanceRecord::state).orElse(null), "acquired repair slot " + a.slot().name()
                            + " of pool " + pool.name());
                }
        } else if (action instanceof RenewLease r) {
            applier.renewLease(r.slot(), request.owner(), node());
        } else if (action instanceof Enter e) {
                if (applier.writeRecord(node(), n.resourceVersion(), e.record())) {
                    freshStart = false;
                    note(e.record().state(), e.record().reason());
                }
        } else if (action instanceof Record r) {
                if (applier.writeRecord(node(), n.resourceVersion(), r.record())) {
                    freshStart = false;
                    if (r.record().state() != lastState || !r.record().reason().isEmpty()) {
                        note(r.record().state(), r.record().reason());
                    }
                    if (r.record().state() == MaintenanceState.CORDONED) {
                        repair = RepairStatus.NOT_STARTED;
                    }
                    evictionBlock = Optional.empty();
                    blockedPasses = 0;
                }
        } else if (action instanceof Deregister d) {
                List<String> done = applier.deregister(d.pods());
                deregistered.addAll(done);
                note(MaintenanceState.DEREGISTERING, "removed label " + settings.trafficLabel() + " from "
                        + String.join(", ", done));
        } else if (action instanceof EvictPass) {
            evictPass();
        } else if (action instanceof Release r) {
            return release(r, n);
        } else if (action instanceof Fail f) {
                if (!applier.writeRecord(node(), n.resourceVersion(), f.record())) {
                    return Optional.empty();
                }
                note(MaintenanceState.FAILED, f.record().reason());
                releaseLeaseQuietly();
                return Optional.of(finish(RepairOutcome.FAILED, "repair of " + node() + " failed: " + f.record().reason()
                        + "; the node stays cordoned and tainted with the reason in its "
                        + MaintenanceRecord.ANNOTATION + " annotation", MaintenanceState.FAILED.name(), true));
        }
        return Optional.empty();
    }

    /** One eviction pass; the first releases the required pins of sticky identities on the node (SIP-15). */
    private void evictPass() {
        if (!pinsReleased) {
            // a sticky identity pinned `required` to this node would stay Pending once evicted (SIP-15)
            for (StickyPins.Released r : pins.release(node(), "node " + node() + " cordoned by repairNode ("
                    + request.owner() + ")", progress)) {
                note(MaintenanceState.DRAINING, "released the required pin of sticky identity " + r.identity()
                        + " (address " + r.ip() + " kept) at " + r.at() + ": " + r.reason());
            }
            pinsReleased = true;
        }
        NodeDrainer.Result pass = applier.evictPass(node(), skipped, progress);
        skipped = pass.skipped();
        if (!pass.evicted().isEmpty()) {
            note(MaintenanceState.DRAINING, "evicted " + String.join(", ", pass.evicted()));
        }
        if (pass.drained()) {
            evictionBlock = Optional.empty();
            blockedPasses = 0;
        } else {
            Duration backoff = settings.evictionBackoff().multipliedBy(1L << Math.min(blockedPasses, 16));
            if (backoff.compareTo(settings.maxEvictionBackoff()) > 0) {
                backoff = settings.maxEvictionBackoff();
            }
            blockedPasses++;
            evictionBlock = Optional.of(new Observation.EvictionBlock(clock.instant().plus(backoff),
                    pass.blocked().stream().map(b -> b.pod() + " by " + (b.budgets().isEmpty()
                            ? "an unknown budget" : String.join(", ", b.budgets()))).toList()));
        }
    }

    /** Puts traffic back and releases the node; empty when the node changed under the write (look again). */
    private Optional<SessionStep> release(Release r, NodeView n) {
        List<String> restored = applier.restoreTraffic(node());
        if (!restored.isEmpty()) {
            note(MaintenanceState.VERIFYING, "put label " + settings.trafficLabel() + " back on "
                    + String.join(", ", restored));
        }
        if (!applier.release(node(), n.resourceVersion(), r.record())) {
            return Optional.empty();
        }
        releaseLeaseQuietly();
        String how = r.record().wasUnschedulable()
                ? "taint and annotation removed; left cordoned because it was cordoned before the repair"
                : "uncordoned, taint and annotation removed";
        record("RELEASED", "released: " + how);
        return Optional.of(finish(RepairOutcome.REPAIRED, "node " + node() + " repaired and verified; " + how,
                "", r.record().wasUnschedulable()));
    }

    private void releaseLeaseQuietly() {
        if (pool == null) {
            return;
        }
        try {
            applier.releaseLease(pool.name(), request.owner(), node());
        } catch (RuntimeException e) {
            progress.warn(node() + ": could not release the repair slot (" + e.getMessage() + "); it expires after "
                    + settings.leaseTtl());
        }
    }

    private void note(MaintenanceState state, String what) {
        if (state != null) {
            lastState = state;
        }
        record(state == null ? "PENDING" : state.name(), what);
    }

    private void record(String state, String what) {
        TimelineEntry entry = new TimelineEntry(clock.instant(), state, what);
        timeline.add(entry);
        status = what;
        progress.step(node() + " [" + entry.state() + "] " + what);
    }

    private SessionStep.Finished finish(RepairOutcome outcome, String message, String state, boolean cordoned) {
        status = message;
        result = new RepairResult(node(), pool == null ? "" : pool.name(), outcome, message, state, cordoned,
                List.copyOf(agentPods), List.copyOf(timeline));
        return new SessionStep.Finished(result);
    }
}
