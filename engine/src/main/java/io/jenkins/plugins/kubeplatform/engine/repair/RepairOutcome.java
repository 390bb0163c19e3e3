package io.jenkins.plugins.kubeplatform.engine.repair;

/** How a repair run ended. */
public enum RepairOutcome {
    /** Repaired, verified and released: schedulable again (unless it was cordoned before), taint and annotation gone. */
    REPAIRED,
    /** Repair or verification failed: cordoned, reason in the annotation, lease released. */
    FAILED,
    /** Aborted: cordoned, state ABORTED in the annotation, lease released. */
    ABORTED,
    /** Not touched: another owner holds it, or its annotation cannot be read. */
    REFUSED,
    /** Not started: no free repair slot in its pool (scheduled mode, or the lease wait timed out). */
    DEFERRED;

    public boolean success() {
        return this == REPAIRED;
    }
}
