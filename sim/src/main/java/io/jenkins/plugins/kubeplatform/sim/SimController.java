package io.jenkins.plugins.kubeplatform.sim;

/**
 * A piece of simulated cluster behaviour (scheduler, kubelet, an ingress controller, KubeVirt, ...). It runs on its
 * own thread(s) and talks to the API server only through {@link SimContext#client()}: code running inside the
 * server's request handling must never call the server, or the server blocks.
 */
public interface SimController {

    /** Short name used for the controller's thread and in event sources. */
    default String name() {
        return getClass().getSimpleName();
    }

    /** Starts watching and acting; returns promptly. Called once. */
    void start(SimContext context);

    /** Stops acting. The context's executor and watches are closed by the cluster after this returns. */
    default void close() {
    }
}
