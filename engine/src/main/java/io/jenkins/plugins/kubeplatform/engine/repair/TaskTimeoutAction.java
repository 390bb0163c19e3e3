package io.jenkins.plugins.kubeplatform.engine.repair;

/** What happens when task pods are still running at the task timeout. */
public enum TaskTimeoutAction {
    /** Evict them with the rest (PodDisruptionBudgets still apply). */
    EVICT,
    /** Fail the repair and leave the node cordoned, tasks untouched. */
    FAIL
}
