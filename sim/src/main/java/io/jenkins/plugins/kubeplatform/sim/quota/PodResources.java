package io.jenkins.plugins.kubeplatform.sim.quota;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a pod requests and limits as a whole, as {@code resourcehelper.PodRequests} and {@code PodLimits}
 * (k8s.io/component-helpers resource/helpers.go) add it up: the containers' sum plus the sidecars' (init containers
 * with {@code restartPolicy: Always}), at least each regular init container with the sidecars started before it,
 * plus the pod overhead (added to limits only where a limit is set).
 */
final class PodResources {

    private PodResources() {
    }

    static TreeMap<String, KubeQuantity> requests(JsonNode pod) {
        TreeMap<String, KubeQuantity> total = aggregate(pod.path("spec"), "requests");
        ResourceLists.of(pod.path("spec").path("overhead")).forEach((k, v) -> total.merge(k, v, KubeQuantity::add));
        return total;
    }

    static TreeMap<String, KubeQuantity> limits(JsonNode pod) {
        TreeMap<String, KubeQuantity> total = aggregate(pod.path("spec"), "limits");
        ResourceLists.of(pod.path("spec").path("overhead")).forEach((k, v) -> total.computeIfPresent(k,
                (name, limit) -> limit.add(v)));
        return total;
    }

    private static TreeMap<String, KubeQuantity> aggregate(JsonNode spec, String field) {
        TreeMap<String, KubeQuantity> sum = new TreeMap<>();
        for (JsonNode c : spec.path("containers")) {
            addTo(sum, ResourceLists.of(c.path("resources").path(field)));
        }
        TreeMap<String, KubeQuantity> sidecars = new TreeMap<>();
        TreeMap<String, KubeQuantity> initMax = new TreeMap<>();
        for (JsonNode c : spec.path("initContainers")) {
            TreeMap<String, KubeQuantity> own = ResourceLists.of(c.path("resources").path(field));
            TreeMap<String, KubeQuantity> whileRunning;
            if (c.path("restartPolicy").asText("").equals("Always")) {
                addTo(sum, own);
                addTo(sidecars, own);
                whileRunning = new TreeMap<>(sidecars);
            } else {
                whileRunning = ResourceLists.add(own, sidecars);
            }
            maxInto(initMax, whileRunning);
        }
        maxInto(sum, initMax);
        return sum;
    }

    private static void addTo(TreeMap<String, KubeQuantity> into, Map<String, KubeQuantity> more) {
        more.forEach((k, v) -> into.merge(k, v, KubeQuantity::add));
    }

    /** {@code maxResourceList}: each name at the larger of the two quantities. */
    private static void maxInto(TreeMap<String, KubeQuantity> into, Map<String, KubeQuantity> other) {
        other.forEach((k, v) -> into.merge(k, v, (a, b) -> b.compareTo(a) > 0 ? b : a));
    }
}
