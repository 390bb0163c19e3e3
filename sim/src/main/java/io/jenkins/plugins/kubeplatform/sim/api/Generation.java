package io.jenkins.plugins.kubeplatform.sim.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * {@code metadata.generation} as kube-apiserver v1.32's registry strategies keep it. {@code BeforeUpdate} copies the
 * stored generation into every update (a client cannot set it); then the kinds that track one raise it by one in
 * {@code PrepareForUpdate} when the object changed where its strategy looks, and set it to 1 in
 * {@code PrepareForCreate}:
 * <ul>
 * <li>a Deployment when its {@code spec} or its {@code metadata.annotations} change (the annotations are copied to
 * its ReplicaSets);</li>
 * <li>ReplicationControllers, ReplicaSets, StatefulSets, DaemonSets, Jobs, CronJobs, PodDisruptionBudgets,
 * Ingresses, IngressClasses, NetworkPolicies and CustomResourceDefinitions when their {@code spec} changes;</li>
 * <li>a custom resource when anything outside {@code metadata} changes (its status only when its CRD has no status
 * subresource: with one, the status a write of the object carries is dropped before the comparison);</li>
 * <li>no other built-in kind: pods (v1.32; the generation arrived with v1.33), services, config maps, nodes, ...
 * keep what they were created with.</li>
 * </ul>
 * A write of the status subresource never changes it (the status strategies do not touch it). Comparisons are
 * {@link SemanticEquality semantic}, as {@code apiequality.Semantic.DeepEqual}.
 */
public final class Generation {

    private static final String DEPLOYMENT = "apps/Deployment";
    /** {@code group/Kind} of the built-in kinds whose strategy raises the generation on a spec change. */
    private static final Set<String> BY_SPEC = Set.of("/ReplicationController", "apps/ReplicaSet",
            "apps/StatefulSet", "apps/DaemonSet", "batch/Job", "batch/CronJob", "policy/PodDisruptionBudget",
            "networking.k8s.io/Ingress", "networking.k8s.io/IngressClass", "networking.k8s.io/NetworkPolicy",
            "apiextensions.k8s.io/CustomResourceDefinition");

    private Generation() {
    }

    /** Whether the strategy of this object's kind keeps a generation (and so sets it to 1 at create). */
    public static boolean tracked(JsonNode object) {
        String key = key(object);
        return key.equals(DEPLOYMENT) || BY_SPEC.contains(key) || custom(object);
    }

    /**
     * Whether an update from {@code old} to {@code updated} (the object as it will be stored, status rules applied)
     * raises the generation.
     */
    public static boolean raises(JsonNode old, JsonNode updated) {
        String key = key(updated);
        if (key.equals(DEPLOYMENT)) {
            return changed(old.get("spec"), updated.get("spec"))
                    || changed(old.path("metadata").get("annotations"), updated.path("metadata").get("annotations"));
        }
        if (BY_SPEC.contains(key)) {
            return changed(old.get("spec"), updated.get("spec"));
        }
        if (custom(updated)) {
            return changed(withoutMetadata(old), withoutMetadata(updated));
        }
        return false;
    }

    private static boolean changed(JsonNode a, JsonNode b) {
        return !Objects.equals(SemanticEquality.normalized(a), SemanticEquality.normalized(b));
    }

    private static JsonNode withoutMetadata(JsonNode object) {
        ObjectNode copy = JsonNodeFactory.instance.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getKey().equals("metadata") && !e.getKey().equals("apiVersion") && !e.getKey().equals("kind")) {
                copy.set(e.getKey(), e.getValue());
            }
        }
        return copy;
    }

    private static boolean custom(JsonNode object) {
        return !Patches.BUILT_IN_GROUPS.contains(group(object));
    }

    private static String key(JsonNode object) {
        return group(object) + "/" + object.path("kind").asText("");
    }

    private static String group(JsonNode object) {
        String apiVersion = object.path("apiVersion").asText("");
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }
}
