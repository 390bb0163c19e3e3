package io.jenkins.plugins.kubeplatform.sim.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the API server lets an update of a pod change in its {@code spec} (kube-apiserver v1.32
 * {@code ValidatePodUpdate}): container and init container images, {@code activeDeadlineSeconds} (set, or lowered),
 * additions to {@code tolerations} (an existing one may only change its {@code tolerationSeconds}), removals from
 * {@code schedulingGates}, and {@code terminationGracePeriodSeconds} from a negative value to 1. Everything else in
 * {@code spec} is immutable once the pod exists. Metadata is not checked here; status has its own subresource.
 */
public final class PodUpdateRules {

    /** The list the real server prints, joined by commas, after "pod updates may not change fields other than ". */
    static final String UPDATABLE = "`spec.containers[*].image`,`spec.initContainers[*].image`,"
            + "`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),"
            + "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";
    private static final long MAX_INT32 = Integer.MAX_VALUE;

    /** One field error as the API server reports it (k8s.io/apimachinery {@code field.Error}). */
    public record FieldError(String field, Type type, String detail, String value) {

        /** The error types this check produces. */
        public enum Type { DUPLICATE, FORBIDDEN, INVALID, REQUIRED }

        /** {@code details.causes[].reason}. */
        public String reason() {
            return switch (type) {
                case DUPLICATE -> "FieldValueDuplicate";
                case FORBIDDEN -> "FieldValueForbidden";
                case INVALID -> "FieldValueInvalid";
                case REQUIRED -> "FieldValueRequired";
            };
        }

        /** {@code details.causes[].message}: the error without its field. */
        public String body() {
            return switch (type) {
                case DUPLICATE -> "Duplicate value: " + value;
                case FORBIDDEN -> "Forbidden: " + detail;
                case INVALID -> "Invalid value: " + value + ": " + detail;
                case REQUIRED -> "Required value" + (detail.isEmpty() ? "" : ": " + detail);
            };
        }

        /** The error as it appears in the Status message. */
        public String message() {
            return field + ": " + body();
        }
    }

    private PodUpdateRules() {
    }

    /** The errors of updating a pod from {@code oldPod} to {@code newPod}; empty when the update is allowed. */
    public static List<FieldError> check(JsonNode oldPod, JsonNode newPod) {
        JsonNode oldSpec = oldPod.path("spec");
        JsonNode newSpec = newPod.path("spec");
        List<FieldError> errors = new ArrayList<>();
        for (String list : List.of("containers", "initContainers")) {
            if (containerErrors(items(newSpec, list), items(oldSpec, list), "spec." + list, errors)) {
                return errors;
            }
        }
        if (deadlineErrors(newSpec.get("activeDeadlineSeconds"), oldSpec.get("activeDeadlineSeconds"), errors)) {
            return errors;
        }
        tolerationErrors(items(newSpec, "tolerations"), items(oldSpec, "tolerations"), errors);
        gateErrors(items(newSpec, "schedulingGates"), items(oldSpec, "schedulingGates"), errors);
        JsonNode before = normalized(oldSpec);
        JsonNode after = normalized(munged(newSpec, oldSpec));
        if (!before.equals(after)) {
            List<String> diff = new ArrayList<>();
            diff(before, after, "spec", diff);
            errors.add(new FieldError("spec", FieldError.Type.FORBIDDEN, "pod updates may not change fields other "
                    + "than " + UPDATABLE + "\n" + String.join("\n", diff), null));
        }
        return errors;
    }

    /** Returns true when the check stops here: containers added or removed. */
    private static boolean containerErrors(List<JsonNode> now, List<JsonNode> before, String path,
            List<FieldError> errors) {
        if (now.size() != before.size()) {
            errors.add(new FieldError(path, FieldError.Type.FORBIDDEN, "pod updates may not add or remove containers",
                    null));
            return true;
        }
        for (int i = 0; i < now.size(); i++) {
            String image = now.get(i).path("image").asText("");
            if (image.isEmpty()) {
                errors.add(new FieldError(path + "[" + i + "].image", FieldError.Type.REQUIRED, "", null));
            } else if (!image.strip().equals(image)) {
                errors.add(new FieldError(path + "[" + i + "].image", FieldError.Type.INVALID,
                        "must not have leading or trailing whitespace", "\"" + image + "\""));
            }
        }
        return false;
    }

    /** Allowed: from unset to a value, or lowered; returns true when the check stops here. */
    private static boolean deadlineErrors(JsonNode now, JsonNode before, List<FieldError> errors) {
        boolean hasNow = now != null && !now.isNull();
        boolean hadBefore = before != null && !before.isNull();
        String field = "spec.activeDeadlineSeconds";
        if (hasNow) {
            long value = now.asLong();
            if (value < 0 || value > MAX_INT32) {
                errors.add(new FieldError(field, FieldError.Type.INVALID, "must be between 0 and " + MAX_INT32
                        + ", inclusive", Long.toString(value)));
                return true;
            }
            if (hadBefore && before.asLong() < value) {
                errors.add(new FieldError(field, FieldError.Type.INVALID, "must be less than or equal to previous "
                        + "value", Long.toString(value)));
                return true;
            }
        } else if (hadBefore) {
            errors.add(new FieldError(field, FieldError.Type.INVALID, "must not update from a positive integer to nil "
                    + "value", "null"));
        }
        return false;
    }

    private static void tolerationErrors(List<JsonNode> now, List<JsonNode> before, List<FieldError> errors) {
        for (JsonNode old : before) {
            JsonNode key = withoutSeconds(old);
            if (now.stream().map(PodUpdateRules::withoutSeconds).noneMatch(key::equals)) {
                errors.add(new FieldError("spec.tolerations", FieldError.Type.FORBIDDEN,
                        "existing toleration can not be modified except its tolerationSeconds", null));
                return;
            }
        }
    }

    private static void gateErrors(List<JsonNode> now, List<JsonNode> before, List<FieldError> errors) {
        Set<String> old = new HashSet<>();
        before.forEach(g -> old.add(g.path("name").asText("")));
        for (int i = 0; i < now.size(); i++) {
            String name = now.get(i).path("name").asText("");
            if (!old.contains(name)) {
                errors.add(new FieldError("spec.schedulingGates[" + i + "].name", FieldError.Type.FORBIDDEN,
                        "only deletion is allowed, but found new scheduling gate '" + name + "'", null));
            }
        }
    }

    /** The new spec with every field an update may change set back to the old value. */
    private static JsonNode munged(JsonNode newSpec, JsonNode oldSpec) {
        if (!(newSpec instanceof ObjectNode spec)) {
            return newSpec;
        }
        ObjectNode copy = spec.deepCopy();
        for (String list : List.of("containers", "initContainers")) {
            if (copy.get(list) instanceof ArrayNode containers) {
                for (int i = 0; i < containers.size(); i++) {
                    JsonNode oldImage = oldSpec.path(list).path(i).get("image");
                    if (containers.get(i) instanceof ObjectNode c) {
                        if (oldImage == null) {
                            c.remove("image");
                        } else {
                            c.set("image", oldImage);
                        }
                    }
                }
            }
        }
        for (String field : List.of("activeDeadlineSeconds", "schedulingGates", "tolerations")) {
            copy.remove(field);
            if (oldSpec.has(field)) {
                copy.set(field, oldSpec.get(field));
            }
        }
        JsonNode oldGrace = oldSpec.get("terminationGracePeriodSeconds");
        JsonNode newGrace = copy.get("terminationGracePeriodSeconds");
        if (oldGrace != null && oldGrace.isNumber() && oldGrace.asLong() < 0 && newGrace != null
                && newGrace.isNumber() && newGrace.asLong() == 1) {
            copy.set("terminationGracePeriodSeconds", oldGrace);
        }
        return copy;
    }

    private static JsonNode normalized(JsonNode node) {
        return SemanticEquality.normalized(node);
    }

    /** Lines naming each changed field, {@code -} its old and {@code +} its new value (like the server's diff). */
    private static void diff(JsonNode before, JsonNode after, String path, List<String> out) {
        if (before != null && after != null && before.isObject() && after.isObject()) {
            TreeSet<String> names = new TreeSet<>();
            before.fieldNames().forEachRemaining(names::add);
            after.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                JsonNode b = before.get(name);
                JsonNode a = after.get(name);
                if (b == null || !b.equals(a)) {
                    diff(b, a, path + "." + name, out);
                }
            }
            return;
        }
        if (before != null && after != null && before.isArray() && after.isArray()
                && before.size() == after.size()) {
            for (int i = 0; i < before.size(); i++) {
                if (!before.get(i).equals(after.get(i))) {
                    diff(before.get(i), after.get(i), path + "[" + i + "]", out);
                }
            }
            return;
        }
        if (before != null) {
            out.add("- " + path + ": " + before);
        }
        if (after != null) {
            out.add("+ " + path + ": " + after);
        }
    }

    private static JsonNode withoutSeconds(JsonNode toleration) {
        JsonNode n = normalized(toleration);
        if (n instanceof ObjectNode o) {
            o.remove("tolerationSeconds");
        }
        return n == null ? JsonNodeFactory.instance.objectNode() : n;
    }

    private static List<JsonNode> items(JsonNode spec, String field) {
        List<JsonNode> out = new ArrayList<>();
        Iterator<JsonNode> it = spec.path(field).elements();
        it.forEachRemaining(out::add);
        return out;
    }
}
