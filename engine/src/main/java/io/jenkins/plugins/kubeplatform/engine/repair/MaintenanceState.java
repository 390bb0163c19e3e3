package io.jenkins.plugins.kubeplatform.engine.repair;

/** Where a node is in its repair, as recorded in the maintenance annotation. Released nodes carry no annotation. */
public enum MaintenanceState {
    /** Lease held, node cordoned and tainted; nothing else done yet. */
    CORDONED,
    /** Serving pods are taken out of their Services' endpoints; in-flight requests get time to finish. */
    DEREGISTERING,
    /** Job, selected task and Jenkins agent pods are allowed to finish, up to the task timeout. */
    WAITING_FOR_TASKS,
    /** The remaining pods are evicted (PodDisruptionBudgets honoured) and waited for. */
    DRAINING,
    /** The repair (step body or configured command) runs. */
    REPAIRING,
    /** The node must be Ready with no fault condition for the stabilization window. */
    VERIFYING,
    /** Repair or verification failed: the node stays cordoned with the reason; the lease is released. */
    FAILED,
    /** The run was aborted: the node stays cordoned; the lease is released. */
    ABORTED;

    /** States a run left behind on purpose; a new run may start over from them. */
    public boolean isStopped() {
        return this == FAILED || this == ABORTED;
    }
}
