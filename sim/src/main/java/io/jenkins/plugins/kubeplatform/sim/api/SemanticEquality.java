package io.jenkins.plugins.kubeplatform.sim.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.TreeSet;

/**
 * Equality of API objects as the API server and controllers compare them ({@code apiequality.Semantic.DeepEqual}):
 * an absent field, null, an empty list and an empty map are the same; numbers compare by value.
 */
public final class SemanticEquality {

    private SemanticEquality() {
    }

    /** A canonical form of {@code node} (null for "nothing"): equal canonical forms mean semantically equal. */
    public static JsonNode normalized(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            TreeSet<String> names = new TreeSet<>();
            node.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                JsonNode value = normalized(node.get(name));
                if (value != null) {
                    out.set(name, value);
                }
            }
            return out.isEmpty() ? null : out;
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            for (JsonNode item : node) {
                JsonNode value = normalized(item);
                out.add(value == null ? JsonNodeFactory.instance.objectNode() : value);
            }
            return out.isEmpty() ? null : out;
        }
        if (node.isIntegralNumber()) {
            return JsonNodeFactory.instance.numberNode(node.bigIntegerValue());
        }
        if (node.isNumber()) {
            return JsonNodeFactory.instance.numberNode(node.decimalValue().stripTrailingZeros());
        }
        return node;
    }
}
