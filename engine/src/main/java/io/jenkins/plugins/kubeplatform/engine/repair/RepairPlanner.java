package io.jenkins.plugins.kubeplatform.engine.repair;

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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The repair state machine as a pure function: observation in, one decision out. The driver applies the decision and
 * asks again, so a run can stop after any step and another run (or the same one after a restart) continues from the
 * state recorded on the node.
 */
public final class RepairPlanner {

    private RepairPlanner() {
    }

    public static Decision decide(Observation o, RepairSettings s) {
        NodeView n = o.node();
        if (n.recordError().isPresent()) {
            return new Stop(RepairOutcome.REFUSED, "node " + n.name() + " carries a maintenance annotation that cannot "
                    + "be read (" + n.recordError().get() + "); inspect it and remove it with 'kubectl annotate node "
                    + n.name() + " " + MaintenanceRecord.ANNOTATION + "-' before repairing");
        }
        Optional<MaintenanceRecord> found = n.record();
        if (found.isEmpty()) {
            return ensureLease(o, s, false).orElseGet(() -> new Act(new Enter(new MaintenanceRecord(o.owner(),
                    MaintenanceState.CORDONED, o.now(), n.unschedulable(),
                    n.unschedulable() ? "tainted (it was already cordoned; it stays cordoned after the repair)"
                            : "cordoned and tainted",
                    o.pool().name(), o.now()))));
        }
        MaintenanceRecord r = found.get();
        if (!r.owner().equals(o.owner())) {
            return takeOver(o, s, r);
        }
        if (r.state().isStopped()) {
            if (!o.freshStart()) {
                return new Stop(r.state() == MaintenanceState.FAILED ? RepairOutcome.FAILED : RepairOutcome.ABORTED,
                        r.reason());
            }
            return ensureLease(o, s, true).orElseGet(() -> new Act(new Record(r.moveTo(MaintenanceState.CORDONED,
                    o.now(), "starting over after " + r.state() + " (" + r.reason() + ")"))));
        }
        Optional<Decision> lease = ensureLease(o, s, true);
        if (lease.isPresent()) {
            return lease.get();
        }
        return switch (r.state()) {
            case CORDONED -> cordoned(o, r);
            case DEREGISTERING -> deregistering(o, s, r);
            case WAITING_FOR_TASKS -> waitingForTasks(o, s, r);
            case DRAINING -> draining(o, s, r);
            case REPAIRING -> repairing(o, r);
            case VERIFYING -> verifying(o, s, r);
            case FAILED, ABORTED -> throw new IllegalStateException("stopped states are handled above");
        };
    }

    private static Decision takeOver(Observation o, RepairSettings s, MaintenanceRecord r) {
        String node = o.node().name();
        if (!r.state().isStopped() && o.leases().liveFor(r.owner(), node, o.now())) {
            return new Stop(RepairOutcome.REFUSED, "node " + node + " is in maintenance by " + r.owner() + " (state "
                    + r.state() + " since " + r.since() + ") and its lease is live; this run leaves it alone");
        }
        return ensureLease(o, s, false).orElseGet(() -> {
            if (r.state().isStopped()) {
                return new Act(new Record(r.takenOverBy(o.owner(), MaintenanceState.CORDONED, o.now(),
                        "starting over after " + r.state() + " left by " + r.owner() + " (" + r.reason() + ")")));
            }
            return new Act(new Record(r.takenOverBy(o.owner(), r.state(), o.now(), "taken over from " + r.owner()
                    + ", whose lease expired; continuing in " + r.state())));
        });
    }

    /** Empty when we hold a live lease that does not need renewing yet. */
    private static Optional<Decision> ensureLease(Observation o, RepairSettings s, boolean ownRecord) {
        String node = o.node().name();
        Optional<PoolLeases.Slot> ours = o.leases().heldBy(o.owner(), node);
        if (ours.isPresent()) {
            PoolLeases.Slot slot = ours.get();
            boolean renewDue = slot.renewedAt() == null
                    || !slot.renewedAt().plus(s.leaseTtl().dividedBy(3)).isAfter(o.now());
            return renewDue ? Optional.of(new Act(new RenewLease(slot.name()))) : Optional.empty();
        }
        Optional<PoolLeases.FreeSlot> free = o.leases().free(o.now());
        if (free.isPresent()) {
            return Optional.of(new Act(new AcquireLease(free.get())));
        }
        String holders = String.join(", ", o.leases().describeHolders(o.now()));
        String full = "pool " + o.pool().name() + " has no free repair slot (" + o.leases().capacity()
                + " at once; held for " + holders + ")";
        if (!ownRecord && !o.waitForLease()) {
            return Optional.of(new Stop(RepairOutcome.DEFERRED, full + "; " + node + " is left for a later run"));
        }
        Duration waited = Duration.between(o.runStartedAt(), o.now());
        if (waited.compareTo(s.leaseWaitTimeout()) >= 0) {
            if (ownRecord) {
                MaintenanceRecord r = o.node().record().orElseThrow();
                return Optional.of(new Act(new Fail(r.moveTo(MaintenanceState.FAILED, o.now(),
                        "lost its repair slot and " + full + " for " + s.leaseWaitTimeout()))));
            }
            return Optional.of(new Stop(RepairOutcome.DEFERRED, full + "; gave up after " + s.leaseWaitTimeout()));
        }
        return Optional.of(new Wait(s.maxWait(), "waiting for a repair slot: " + full));
    }

    private static Decision cordoned(Observation o, MaintenanceRecord r) {
        long serving = o.pods().stream().filter(p -> p.role() == PodRole.SERVING && p.active()).count();
        return new Act(new Record(r.moveTo(MaintenanceState.DEREGISTERING, o.now(), serving == 0
                ? "no serving pods to take out of Service endpoints"
                : "taking " + serving + " serving pod(s) out of Service endpoints")));
    }

    private static Decision deregistering(Observation o, RepairSettings s, MaintenanceRecord r) {
        List<String> toRemove = o.pods().stream()
                .filter(p -> p.role() == PodRole.SERVING && p.trafficRegistered() && p.active())
                .map(PodView::ref).toList();
        if (!toRemove.isEmpty()) {
            return new Act(new Deregister(toRemove));
        }
        boolean anyServing = o.pods().stream().anyMatch(p -> p.role() == PodRole.SERVING && p.active());
        Duration age = Duration.between(r.since(), o.now());
        List<String> notes = new ArrayList<>();
        if (anyServing) {
            List<String> stale = o.services().stream().filter(ServiceView::listsDeregisteredPod).map(ServiceView::ref).toList();
            if (!stale.isEmpty()) {
                if (age.compareTo(s.deregistrationTimeout()) < 0) {
                    return new Wait(min(s.maxWait(), s.deregistrationTimeout().minus(age)),
                            "waiting for the endpoints of " + String.join(", ", stale) + " to drop the deregistered pods");
                }
                notes.add("endpoints of " + String.join(", ", stale) + " still listed deregistered pods after "
                        + s.deregistrationTimeout());
            }
            if (age.compareTo(s.deregistrationGrace()) < 0) {
                return new Wait(s.deregistrationGrace().minus(age), "letting in-flight requests finish (grace "
                        + s.deregistrationGrace() + ")");
            }
            List<String> alone = o.services().stream().filter(v -> !v.readyElsewhere()).map(ServiceView::ref).toList();
            if (!alone.isEmpty()) {
                notes.add("no ready endpoint outside " + o.node().name() + " for " + String.join(", ", alone)
                        + " until replacements are ready");
            }
        }
        long tasks = o.pods().stream().filter(RepairPlanner::isTask).count();
        String next = tasks == 0 ? "no tasks running" : "waiting for " + tasks + " task(s) to finish";
        return new Act(new Record(r.moveTo(MaintenanceState.WAITING_FOR_TASKS, o.now(),
                notes.isEmpty() ? next : next + "; note: " + String.join("; ", notes))));
    }

    private static Decision waitingForTasks(Observation o, RepairSettings s, MaintenanceRecord r) {
        List<String> tasks = o.pods().stream().filter(RepairPlanner::isTask).map(PodView::ref).toList();
        if (tasks.isEmpty()) {
            return new Act(new Record(r.moveTo(MaintenanceState.DRAINING, o.now(),
                    "tasks finished; evicting the remaining pods")));
        }
        Duration age = Duration.between(r.since(), o.now());
        if (age.compareTo(s.taskTimeout()) >= 0) {
            String still = tasks.size() + " task(s) still running after " + s.taskTimeout() + ": " + String.join(", ", tasks);
            if (s.onTaskTimeout() == TaskTimeoutAction.FAIL) {
                return new Act(new Fail(r.moveTo(MaintenanceState.FAILED, o.now(), still
                        + "; the tasks were left running and the node stays cordoned")));
            }
            return new Act(new Record(r.moveTo(MaintenanceState.DRAINING, o.now(), still + "; evicting them")));
        }
        return new Wait(min(s.maxWait(), s.taskTimeout().minus(age)), "waiting for " + tasks.size()
                + " task(s) to finish: " + String.join(", ", tasks) + " (timeout in " + s.taskTimeout().minus(age) + ")");
    }

    private static Decision draining(Observation o, RepairSettings s, MaintenanceRecord r) {
        List<PodView> drainable = o.pods().stream()
                .filter(p -> p.role() != PodRole.DAEMON && p.role() != PodRole.MIRROR).toList();
        List<String> toEvict = drainable.stream().filter(p -> !p.terminating()).map(PodView::ref).toList();
        List<String> abandoned = drainable.stream().filter(p -> abandoned(o, p)).map(PodView::ref).toList();
        List<String> leaving = drainable.stream().filter(p -> p.terminating() && !abandoned(o, p)).map(PodView::ref)
                .toList();
        if (toEvict.isEmpty() && leaving.isEmpty()) {
            return new Act(new Record(r.moveTo(MaintenanceState.REPAIRING, o.now(), abandoned.isEmpty()
                    ? "node drained; running the repair"
                    : "node drained but for " + abandoned.size() + " pod(s) terminating for more than "
                            + UNREACHABLE_SKIP_WAIT + " on the unreachable node, no longer waited for: "
                            + String.join(", ", abandoned) + "; running the repair")));
        }
        Duration age = Duration.between(r.since(), o.now());
        if (age.compareTo(s.drainTimeout()) >= 0) {
            String blocked = o.evictionBlock().map(b -> "; blocked by disruption budgets: " + String.join("; ", b.blocked()))
                    .orElse("");
            return new Act(new Fail(r.moveTo(MaintenanceState.FAILED, o.now(), "drain did not finish within "
                    + s.drainTimeout() + ": " + (toEvict.isEmpty() ? "still terminating: " + String.join(", ", leaving)
                    : "still on the node: " + String.join(", ", toEvict)) + blocked)));
        }
        Duration left = s.drainTimeout().minus(age);
        if (!toEvict.isEmpty()) {
            Optional<Observation.EvictionBlock> block = o.evictionBlock().filter(b -> b.retryAt().isAfter(o.now()));
            if (block.isPresent()) {
                return new Wait(min(Duration.between(o.now(), block.get().retryAt()), left), block.get().blocked().size()
                        + " pod(s) blocked by disruption budgets: " + String.join("; ", block.get().blocked()));
            }
            return new Act(new EvictPass());
        }
        return new Wait(min(s.maxWait(), left), "waiting for " + leaving.size() + " evicted pod(s) to terminate: "
                + String.join(", ", leaving));
    }

    /**
     * How long a pod on an unreachable node (Ready {@code Unknown}: its kubelet stopped reporting) may have been
     * terminating before the drain stops waiting for it: nothing on such a node confirms the pod stopped, so waiting
     * longer only runs the drain into its timeout and keeps the repair that would bring the node back from running.
     * The same rule and value as Cluster API's node drain for an unreachable node (kubectl drain's
     * {@code --skip-wait-for-delete-timeout}).
     */
    static final Duration UNREACHABLE_SKIP_WAIT = Duration.ofMinutes(5);

    private static boolean abandoned(Observation o, PodView p) {
        return p.terminating() && unreachable(o.node()) && p.terminatingSince()
                .filter(since -> Duration.between(since, o.now()).compareTo(UNREACHABLE_SKIP_WAIT) > 0).isPresent();
    }

    private static boolean unreachable(NodeView node) {
        return node.conditions().stream().anyMatch(c -> "Ready".equals(c.type()) && "Unknown".equals(c.status()));
    }

    private static Decision repairing(Observation o, MaintenanceRecord r) {
        return switch (o.repair().phase()) {
            case NOT_STARTED -> new RunRepair();
            case RUNNING -> new Wait(Duration.ofDays(1), "repair running");
            case SUCCEEDED -> new Act(new Record(r.moveTo(MaintenanceState.VERIFYING, o.now(),
                    "repair finished; verifying the node")));
            case FAILED -> new Act(new Fail(r.moveTo(MaintenanceState.FAILED, o.now(),
                    "repair failed: " + o.repair().message())));
        };
    }

    private static Decision verifying(Observation o, RepairSettings s, MaintenanceRecord r) {
        NodeView n = o.node();
        List<String> faults = new ArrayList<>();
        Instant stableSince = r.since();
        Optional<NodeView.Condition> ready = n.condition("Ready");
        if (!n.isReady()) {
            faults.add("Ready=" + ready.map(NodeView.Condition::status).orElse("missing")
                    + ready.map(c -> c.reason().isEmpty() ? "" : " (" + c.reason() + ")").orElse(""));
        } else {
            stableSince = later(stableSince, ready.get().lastTransition());
        }
        for (String type : s.faultConditions()) {
            Optional<NodeView.Condition> c = n.condition(type);
            if (c.isPresent() && "True".equals(c.get().status())) {
                faults.add(type + "=True" + (c.get().reason().isEmpty() ? "" : " (" + c.get().reason() + ")"));
            } else if (c.isPresent()) {
                stableSince = later(stableSince, c.get().lastTransition());
            }
        }
        Duration age = Duration.between(r.since(), o.now());
        if (faults.isEmpty()) {
            Duration healthy = Duration.between(stableSince, o.now());
            if (healthy.compareTo(s.stabilizationWindow()) >= 0) {
                return new Act(new Release(r));
            }
            return new Wait(min(s.maxWait(), s.stabilizationWindow().minus(healthy)), "node healthy for " + healthy
                    + " of the " + s.stabilizationWindow() + " stabilization window");
        }
        if (age.compareTo(s.verifyTimeout()) >= 0) {
            return new Act(new Fail(r.moveTo(MaintenanceState.FAILED, o.now(), "verification failed: the node was not "
                    + "healthy for " + s.stabilizationWindow() + " within " + s.verifyTimeout() + ": "
                    + String.join(", ", faults))));
        }
        return new Wait(min(s.maxWait(), s.verifyTimeout().minus(age)), "waiting for the node to be healthy: "
                + String.join(", ", faults));
    }

    static boolean isTask(PodView p) {
        return (p.role() == PodRole.TASK || p.role() == PodRole.AGENT) && p.active();
    }

    private static Instant later(Instant a, Optional<Instant> b) {
        return b.filter(t -> t.isAfter(a)).orElse(a);
    }

    private static Duration min(Duration a, Duration b) {
        Duration m = a.compareTo(b) <= 0 ? a : b;
        return m.isNegative() ? Duration.ZERO : m;
    }
}
