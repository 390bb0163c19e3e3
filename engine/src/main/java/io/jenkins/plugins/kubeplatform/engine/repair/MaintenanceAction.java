package io.jenkins.plugins.kubeplatform.engine.repair;

import java.util.List;

/** A side effect the planner asks for; {@code MaintenanceApplier} is the only code that performs them. */
public sealed interface MaintenanceAction {

    /** Take a free or expired slot of the pool (create the Lease, or update it at its resourceVersion). */
    record AcquireLease(PoolLeases.FreeSlot slot) implements MaintenanceAction {
    }

    /** Push our Lease's renew time forward. */
    record RenewLease(String slot) implements MaintenanceAction {
    }

    /** Cordon, taint and write the first record in one node update (resourceVersion-checked). */
    record Enter(MaintenanceRecord record) implements MaintenanceAction {
    }

    /** Write a transition (before acting on it); also keeps the node cordoned and tainted. */
    record Record(MaintenanceRecord record) implements MaintenanceAction {
    }

    /** Remove the traffic label from these pods, remembering its value in a pod annotation. */
    record Deregister(List<String> pods) implements MaintenanceAction {
    }

    /** One pass of evictions over the node (disruption budgets decide which go now). */
    record EvictPass() implements MaintenanceAction {
    }

    /** Success: put back traffic labels, uncordon if we cordoned, remove taint and annotation, release the lease. */
    record Release(MaintenanceRecord record) implements MaintenanceAction {
    }

    /** Failure: record FAILED with the reason, keep the node cordoned and tainted, release the lease. */
    record Fail(MaintenanceRecord record) implements MaintenanceAction {
    }
}
