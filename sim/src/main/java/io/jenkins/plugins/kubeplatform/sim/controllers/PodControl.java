package io.jenkins.plugins.kubeplatform.sim.controllers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.kubeplatform.sim.SimContext;
import io.jenkins.plugins.kubeplatform.sim.model.Workloads;

/**
 * Pod creates of the ReplicaSet, DaemonSet and Job controllers, as {@code RealPodControl.createPods}
 * (pkg/controller/controller_utils.go) makes them: a Normal {@code SuccessfulCreate} event "Created pod: NAME" on the
 * owner, or a Warning {@code FailedCreate} event "Error creating: ERROR" and the error back to the caller.
 */
final class PodControl {

    static final String SUCCESSFUL_CREATE = "SuccessfulCreate";
    static final String FAILED_CREATE = "FailedCreate";

    private final SimContext ctx;

    PodControl(SimContext ctx) {
        this.ctx = ctx;
    }

    /** Creates the pod for {@code owner}; throws the API server's refusal after recording it. */
    Pod create(HasMetadata owner, Pod pod) {
        try {
            Pod created = Workloads.create(ctx.client(), pod);
            ctx.events().normal(owner, SUCCESSFUL_CREATE, "Created pod: " + created.getMetadata().getName());
            return created;
        } catch (KubernetesClientException e) {
            ctx.events().warning(owner, FAILED_CREATE, "Error creating: " + message(e));
            throw e;
        }
    }

    /**
     * What Go prints for the client's error ({@code %v} of a StatusError is its Status message), falling back to the
     * Java client's own message when the server sent no Status (the connection failed).
     */
    static String message(KubernetesClientException e) {
        return e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
                : e.getMessage();
    }
}
