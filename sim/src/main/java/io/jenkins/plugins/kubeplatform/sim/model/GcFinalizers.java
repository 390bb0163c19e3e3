package io.jenkins.plugins.kubeplatform.sim.model;

/**
 * The finalizers the API server adds for the garbage collector (metav1 {@code FinalizerOrphanDependents},
 * {@code FinalizerDeleteDependents}); the server adds them on delete, the collector removes them.
 */
public final class GcFinalizers {

    /** The collector removes the owner's reference from the dependents, then this finalizer. */
    public static final String ORPHAN = "orphan";
    /** The collector deletes the blocking dependents first, then removes this finalizer. */
    public static final String FOREGROUND = "foregroundDeletion";

    private GcFinalizers() {
    }
}
