package io.jenkins.plugins.kubeplatform.sim.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.zjsonpatch.JsonPatch;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The three patch formats of the API server: JSON patch (RFC 6902), JSON merge patch (RFC 7386: lists are
 * replaced whole, {@code null} deletes) and strategic merge patch (lists of the built-in types merged by their
 * {@code patchMergeKey}, e.g. containers by name, with the {@code $patch}, {@code $retainKeys},
 * {@code $setElementOrder} and {@code $deleteFromPrimitiveList} directives).
 */
public final class Patches {

    /** Built-in API groups: strategic merge patch is served for them only (as for a real server's CRDs: 415). */
    public static final Set<String> BUILT_IN_GROUPS = Set.of("", "apps", "batch", "policy", "autoscaling",
            "networking.k8s.io", "discovery.k8s.io", "coordination.k8s.io", "rbac.authorization.k8s.io",
            "storage.k8s.io", "scheduling.k8s.io", "node.k8s.io", "events.k8s.io", "certificates.k8s.io",
            "admissionregistration.k8s.io", "apiextensions.k8s.io", "flowcontrol.apiserver.k8s.io");

    /** Merge keys of the lists with {@code patchStrategy: merge} in the core/apps/batch types, by field name. */
    private static final Map<String, String> MERGE_KEYS = Map.ofEntries(
            Map.entry("containers", "name"), Map.entry("initContainers", "name"),
            Map.entry("ephemeralContainers", "name"), Map.entry("env", "name"), Map.entry("volumes", "name"),
            Map.entry("volumeMounts", "mountPath"), Map.entry("volumeDevices", "devicePath"),
            Map.entry("imagePullSecrets", "name"), Map.entry("conditions", "type"),
            Map.entry("hostAliases", "ip"), Map.entry("ownerReferences", "uid"),
            Map.entry("topologySpreadConstraints", "topologyKey"), Map.entry("resourceClaims", "name"),
            Map.entry("schedulingGates", "name"), Map.entry("addresses", "type"),
            Map.entry("podIPs", "ip"), Map.entry("hostIPs", "ip"), Map.entry("ports", "containerPort"));

    /** Primitive lists with {@code patchStrategy: merge} (set union). */
    private static final Set<String> MERGED_PRIMITIVE_LISTS = Set.of("finalizers");

    private Patches() {
    }

    public static JsonNode jsonPatch(JsonNode patch, JsonNode target) {
        return JsonPatch.apply(patch, target);
    }

    /** RFC 7386. */
    public static JsonNode mergePatch(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        ObjectNode result = target != null && target.isObject() ? ((ObjectNode) target).deepCopy()
                : JsonNodeFactory.instance.objectNode();
        Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            if (e.getValue().isNull()) {
                result.remove(e.getKey());
            } else {
                result.set(e.getKey(), mergePatch(result.get(e.getKey()), e.getValue()));
            }
        }
        return result;
    }

    /** Strategic merge patch of a built-in type. */
    public static JsonNode strategicMergePatch(JsonNode target, JsonNode patch) {
        return mergeObject(target != null && target.isObject() ? (ObjectNode) target : null, patch);
    }

    private static JsonNode mergeObject(ObjectNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        String directive = patch.path("$patch").asText("");
        if (directive.equals("replace")) {
            ObjectNode copy = ((ObjectNode) patch).deepCopy();
            copy.remove("$patch");
            return stripDirectives(copy);
        }
        if (directive.equals("delete")) {
            return null;
        }
        ObjectNode result = target != null ? target.deepCopy() : JsonNodeFactory.instance.objectNode();
        if (patch.has("$retainKeys")) {
            Set<String> keep = new java.util.HashSet<>();
            patch.get("$retainKeys").forEach(k -> keep.add(k.asText()));
            result.fieldNames().forEachRemaining(n -> { });
            List<String> names = new ArrayList<>();
            result.fieldNames().forEachRemaining(names::add);
            for (String n : names) {
                if (!keep.contains(n)) {
                    result.remove(n);
                }
            }
        }
        Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            String key = e.getKey();
            JsonNode value = e.getValue();
            if (key.startsWith("$setElementOrder/") || key.equals("$retainKeys") || key.equals("$patch")) {
                continue;
            }
            if (key.startsWith("$deleteFromPrimitiveList/")) {
                String field = key.substring("$deleteFromPrimitiveList/".length());
                if (result.get(field) instanceof ArrayNode list) {
                    Set<String> gone = new java.util.HashSet<>();
                    value.forEach(v -> gone.add(v.toString()));
                    ArrayNode kept = list.arrayNode();
                    list.forEach(v -> {
                        if (!gone.contains(v.toString())) {
                            kept.add(v);
                        }
                    });
                    result.set(field, kept);
                }
                continue;
            }
            if (value.isNull()) {
                result.remove(key);
            } else if (value.isArray()) {
                result.set(key, mergeList(key, result.get(key), (ArrayNode) value));
            } else if (value.isObject()) {
                JsonNode existing = result.get(key);
                JsonNode merged = mergeObject(existing instanceof ObjectNode o ? o : null, value);
                if (merged == null) {
                    result.remove(key);
                } else {
                    result.set(key, merged);
                }
            } else {
                result.set(key, value.deepCopy());
            }
        }
        return result;
    }

    /** The merge key of a list field of a built-in type, or null for atomic lists. */
    static String mergeKeyOf(String field, JsonNode list) {
        String mergeKey = MERGE_KEYS.get(field);
        if (field.equals("ports") && list.isArray() && !list.isEmpty() && !list.get(0).has("containerPort")
                && list.get(0).has("port")) {
            mergeKey = "port";
        }
        return mergeKey;
    }

    private static JsonNode mergeList(String field, JsonNode existing, ArrayNode patch) {
        String mergeKey = mergeKeyOf(field, patch);
        if (MERGED_PRIMITIVE_LISTS.contains(field)) {
            ArrayNode out = existing instanceof ArrayNode a ? a.deepCopy() : patch.arrayNode();
            Set<String> seen = new java.util.HashSet<>();
            out.forEach(v -> seen.add(v.toString()));
            patch.forEach(v -> {
                if (seen.add(v.toString())) {
                    out.add(v);
                }
            });
            return out;
        }
        if (mergeKey == null || !(existing instanceof ArrayNode current)) {
            return stripDirectives(patch.deepCopy());
        }
        for (JsonNode element : patch) {
            if (element.isObject() && element.path("$patch").asText("").equals("replace")) {
                ArrayNode replaced = patch.arrayNode();
                patch.forEach(el -> {
                    if (!el.path("$patch").asText("").equals("replace")) {
                        replaced.add(stripDirectives(el.deepCopy()));
                    }
                });
                return replaced;
            }
        }
        ArrayNode out = current.deepCopy();
        for (JsonNode element : patch) {
            if (!element.isObject() || !element.has(mergeKey)) {
                out.add(stripDirectives(element.deepCopy()));
                continue;
            }
            String keyValue = element.get(mergeKey).asText();
            int index = -1;
            for (int i = 0; i < out.size(); i++) {
                if (out.get(i).path(mergeKey).asText().equals(keyValue) && out.get(i).has(mergeKey)) {
                    index = i;
                    break;
                }
            }
            boolean delete = element.path("$patch").asText("").equals("delete");
            if (delete) {
                if (index >= 0) {
                    out.remove(index);
                }
            } else if (index >= 0) {
                out.set(index, mergeObject((ObjectNode) out.get(index), element));
            } else {
                out.add(mergeObject(null, element));
            }
        }
        return out;
    }

    private static JsonNode stripDirectives(JsonNode node) {
        if (node instanceof ObjectNode o) {
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            for (String n : names) {
                if (n.startsWith("$")) {
                    o.remove(n);
                } else {
                    stripDirectives(o.get(n));
                }
            }
        } else if (node instanceof ArrayNode a) {
            a.forEach(Patches::stripDirectives);
        }
        return node;
    }
}
