package io.jenkins.plugins.kubeplatform.sim.model;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;

/** Small questions about pods that several simulated controllers ask. */
public final class PodStates {

    private PodStates() {
    }

    public static boolean isReady(Pod pod) {
        return condition(pod, "Ready");
    }

    public static boolean condition(Pod pod, String type) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return false;
        }
        for (PodCondition c : pod.getStatus().getConditions()) {
            if (type.equals(c.getType())) {
                return "True".equals(c.getStatus());
            }
        }
        return false;
    }

    public static boolean isTerminating(Pod pod) {
        return pod.getMetadata().getDeletionTimestamp() != null;
    }

    public static String phase(Pod pod) {
        return pod.getStatus() == null || pod.getStatus().getPhase() == null ? "Pending" : pod.getStatus().getPhase();
    }

    public static boolean isFinished(Pod pod) {
        String phase = phase(pod);
        return phase.equals("Succeeded") || phase.equals("Failed");
    }

    /** Running or about to run: not finished and not being deleted. */
    public static boolean isActive(Pod pod) {
        return !isFinished(pod) && !isTerminating(pod);
    }

    public static String ref(Pod pod) {
        return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    }
}
