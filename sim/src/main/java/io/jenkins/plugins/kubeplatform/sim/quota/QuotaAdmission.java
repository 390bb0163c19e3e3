package io.jenkins.plugins.kubeplatform.sim.quota;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The ResourceQuota admission plugin's decision on a create, as {@code CheckRequest} makes it
 * (k8s.io/apiserver pkg/admission/plugin/resourcequota/controller.go): every quota of the namespace whose
 * {@code status.hard} names a resource the object's evaluator measures, and whose scopes the object meets, must see
 * its constraints met ({@code failed quota: NAME: ...}), must have usage for those resources ({@code status unknown
 * for quota: ...}) and must have room for the object ({@code exceeded quota: NAME, requested: ..., used: ...,
 * limited: ...}, only the exceeded resources printed). Quotas are taken in name order.
 */
public final class QuotaAdmission {

    private QuotaAdmission() {
    }

    /** The answer: a refusal (the cause after {@code is forbidden: }), or the quotas whose usage the object adds to. */
    public record Decision(Optional<String> refusal, List<ObjectNode> charged) {

        static Decision refuse(String cause) {
            return new Decision(Optional.of(cause), List.of());
        }
    }

    /**
     * The decision on creating {@code object} of {@code group/resource} (with its defaults and admission mutations)
     * in a namespace with {@code quotas}; the charged quotas are copies with the new {@code status.used}.
     */
    public static Decision create(String group, String resource, JsonNode object, List<JsonNode> quotas,
            Instant now) {
        QuotaEvaluator evaluator = QuotaEvaluator.of(group, resource);
        List<JsonNode> sorted = new ArrayList<>(quotas);
        sorted.sort(java.util.Comparator.comparing(q -> q.path("metadata").path("name").asText("")));
        List<JsonNode> interesting = new ArrayList<>();
        for (JsonNode quota : sorted) {
            if (!evaluator.matches(quota, object)) {
                continue;
            }
            String name = quota.path("metadata").path("name").asText("");
            Map<String, KubeQuantity> hard = ResourceLists.of(quota.path("status").path("hard"));
            List<String> restricted = evaluator.matchingResources(hard.keySet());
            Optional<String> unmet = evaluator.constraints(restricted, object);
            if (unmet.isPresent()) {
                return Decision.refuse("failed quota: " + name + ": " + unmet.get());
            }
            Map<String, KubeQuantity> used = ResourceLists.of(quota.path("status").path("used"));
            if (!used.keySet().containsAll(restricted)) {
                return Decision.refuse("status unknown for quota: " + name + ", resources: "
                        + String.join(",", new java.util.TreeSet<>(restricted)));
            }
            interesting.add(quota);
        }
        if (interesting.isEmpty()) {
            return new Decision(Optional.empty(), List.of());
        }
        TreeMap<String, KubeQuantity> usage = evaluator.usage(object, now);
        List<String> negative = usage.entrySet().stream().filter(e -> e.getValue().signum() < 0)
                .map(Map.Entry::getKey).toList();
        if (!negative.isEmpty()) {
            return Decision.refuse("quota usage is negative for resource(s): " + String.join(",", negative));
        }
        TreeMap<String, KubeQuantity> delta = ResourceLists.removeZeros(usage);
        if (delta.isEmpty()) {
            return new Decision(Optional.empty(), List.of());
        }
        List<ObjectNode> charged = new ArrayList<>();
        for (JsonNode quota : interesting) {
            TreeMap<String, KubeQuantity> hard = ResourceLists.of(quota.path("status").path("hard"));
            TreeMap<String, KubeQuantity> used = ResourceLists.of(quota.path("status").path("used"));
            TreeMap<String, KubeQuantity> requested = ResourceLists.mask(delta, hard.keySet());
            TreeMap<String, KubeQuantity> newUsage = ResourceLists.add(used, requested);
            List<String> exceeded = ResourceLists.exceeding(ResourceLists.mask(newUsage, requested.keySet()), hard);
            if (!exceeded.isEmpty()) {
                return Decision.refuse("exceeded quota: " + quota.path("metadata").path("name").asText("")
                        + ", requested: " + ResourceLists.prettyPrint(ResourceLists.mask(requested, exceeded))
                        + ", used: " + ResourceLists.prettyPrint(ResourceLists.mask(used, exceeded))
                        + ", limited: " + ResourceLists.prettyPrint(ResourceLists.mask(hard, exceeded)));
            }
            if (!ResourceLists.equal(newUsage, used)) {
                ObjectNode updated = quota.deepCopy();
                updated.with("status").set("used", ResourceLists.toJson(newUsage));
                charged.add(updated);
            }
        }
        return new Decision(Optional.empty(), charged);
    }
}
