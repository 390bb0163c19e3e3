package io.jenkins.plugins.kubeplatform.engine.repair;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Observations for planner and detector tests, built fluently. */
final class Fixtures {

    static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
    static final String ME = "job/repair#7";
    static final String OTHER = "job/other#3";
    static final RepairSettings SETTINGS = RepairSettings.defaults();
    static final PoolSettings POOL = PoolSettings.fallback(1);

    private Fixtures() {
    }

    static NodeView.Condition ready(String status, Instant since) {
        return new NodeView.Condition("Ready", status, Optional.of(since), "");
    }

    static NodeView node(boolean unschedulable, Optional<MaintenanceRecord> record, NodeView.Condition... conditions) {
        return new NodeView("n1", "7", Map.of(), unschedulable,
                record.isPresent() ? List.of(RepairSettings.TAINT_KEY) : List.of(),
                List.of(conditions), record, Optional.empty());
    }

    static MaintenanceRecord record(String owner, MaintenanceState state, Instant since) {
        return new MaintenanceRecord(owner, state, since, false, "", "default", since);
    }

    static PodView pod(String name, PodRole role) {
        return new PodView("default", name, role, Map.of(), true, false, false, role == PodRole.SERVING, false);
    }

    static PoolLeases leaseHeld(String owner, String node, Instant renewed) {
        return new PoolLeases("default", 1, List.of(new PoolLeases.Slot(PoolLeases.slotName("default", 0), owner, node,
                renewed, SETTINGS.leaseTtl(), "11")));
    }

    static PoolLeases noLeases() {
        return new PoolLeases("default", 1, List.of());
    }

    /** A mutable builder for one observation. */
    static final class Obs {
        Instant now = T0;
        String owner = ME;
        boolean fresh = true;
        boolean waitForLease = true;
        Instant runStarted = T0;
        NodeView node = node(false, Optional.empty(), ready("True", T0.minus(Duration.ofDays(1))));
        List<PodView> pods = new ArrayList<>();
        List<ServiceView> services = new ArrayList<>();
        PoolLeases leases = leaseHeld(ME, "n1", T0);
        RepairStatus repair = RepairStatus.NOT_STARTED;
        Optional<Observation.EvictionBlock> block = Optional.empty();

        Obs at(Instant t) {
            now = t;
            leases = leases.slots().isEmpty() ? leases : new PoolLeases(leases.pool(), leases.capacity(),
                    leases.slots().stream().map(s -> s.heldBy(ME, "n1") ? new PoolLeases.Slot(s.name(), s.holder(),
                            s.node(), t, s.duration(), s.resourceVersion()) : s).toList());
            return this;
        }

        Obs recorded(MaintenanceState state, Instant since, NodeView.Condition... conditions) {
            NodeView.Condition[] c = conditions.length == 0
                    ? new NodeView.Condition[] {ready("True", T0.minus(Duration.ofDays(1)))} : conditions;
            node = node(true, Optional.of(record(ME, state, since)), c);
            return this;
        }

        Obs pods(PodView... p) {
            pods = List.of(p);
            return this;
        }

        Observation build() {
            return new Observation(now, owner, fresh, waitForLease, runStarted, node, POOL, pods, services, leases,
                    repair, block);
        }

        Decision decide() {
            return RepairPlanner.decide(build(), SETTINGS);
        }
    }
}
