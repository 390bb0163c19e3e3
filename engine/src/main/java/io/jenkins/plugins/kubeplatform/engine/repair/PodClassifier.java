package io.jenkins.plugins.kubeplatform.engine.repair;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.jenkins.plugins.kubeplatform.engine.kube.PodsOnNode;
import java.util.Map;

/** Sorts the pods of a node into the roles a repair treats differently. */
public final class PodClassifier {

    private final RepairSettings settings;

    public PodClassifier(RepairSettings settings) {
        this.settings = settings;
    }

    public PodView view(Pod pod) {
        Map<String, String> labels = pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
        Map<String, String> annotations = pod.getMetadata().getAnnotations() == null ? Map.of()
                : pod.getMetadata().getAnnotations();
        boolean registered = labels.containsKey(settings.trafficLabel());
        boolean deregistered = annotations.containsKey(PodView.DEREGISTERED_ANNOTATION);
        return new PodView(pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
                role(pod, labels, registered || deregistered), labels, isReady(pod), PodsOnNode.isFinished(pod),
                PodsOnNode.isTerminating(pod), registered, deregistered, deletionTime(pod));
    }

    private static java.util.Optional<java.time.Instant> deletionTime(Pod pod) {
        String at = pod.getMetadata().getDeletionTimestamp();
        try {
            return at == null ? java.util.Optional.empty() : java.util.Optional.of(java.time.Instant.parse(at));
        } catch (java.time.format.DateTimeParseException e) {
            return java.util.Optional.empty();
        }
    }

    private PodRole role(Pod pod, Map<String, String> labels, boolean serving) {
        if (PodsOnNode.isDaemonSetPod(pod)) {
            return PodRole.DAEMON;
        }
        if (PodsOnNode.isMirrorPod(pod)) {
            return PodRole.MIRROR;
        }
        if (!settings.agentSelector().isEmpty() && settings.agentSelector().matches(labels)) {
            return PodRole.AGENT;
        }
        if (isJobPod(pod) || (!settings.taskSelector().isEmpty() && settings.taskSelector().matches(labels))) {
            return PodRole.TASK;
        }
        return serving ? PodRole.SERVING : PodRole.OTHER;
    }

    static boolean isJobPod(Pod pod) {
        var owners = pod.getMetadata().getOwnerReferences();
        return owners != null && owners.stream().anyMatch(o -> "Job".equals(o.getKind()));
    }

    static boolean isReady(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return false;
        }
        for (PodCondition c : pod.getStatus().getConditions()) {
            if ("Ready".equals(c.getType())) {
                return "True".equals(c.getStatus());
            }
        }
        return false;
    }
}
