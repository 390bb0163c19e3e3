package io.jenkins.plugins.kubeplatform.sim.model;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;

/** Label selector semantics of the API server (matchLabels and matchExpressions). */
public final class Selectors {

    private Selectors() {
    }

    /** A null selector selects nothing; an empty one selects everything (as for PodDisruptionBudgets in policy/v1). */
    public static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return false;
        }
        Map<String, String> have = labels == null ? Map.of() : labels;
        if (selector.getMatchLabels() != null) {
            for (var e : selector.getMatchLabels().entrySet()) {
                if (!e.getValue().equals(have.get(e.getKey()))) {
                    return false;
                }
            }
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
                if (!matches(r.getKey(), r.getOperator(), r.getValues(), have)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Service-style selector: a plain map; null or empty selects nothing. */
    public static boolean matches(Map<String, String> selector, Map<String, String> labels) {
        if (selector == null || selector.isEmpty()) {
            return false;
        }
        Map<String, String> have = labels == null ? Map.of() : labels;
        for (var e : selector.entrySet()) {
            if (!e.getValue().equals(have.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** One requirement: In, NotIn, Exists, DoesNotExist, and the node-affinity operators Gt and Lt. */
    public static boolean matches(String key, String operator, List<String> values, Map<String, String> labels) {
        String value = labels.get(key);
        List<String> vs = values == null ? List.of() : values;
        return switch (operator) {
            case "In" -> value != null && vs.contains(value);
            case "NotIn" -> value == null || !vs.contains(value);
            case "Exists" -> labels.containsKey(key);
            case "DoesNotExist" -> !labels.containsKey(key);
            case "Gt", "Lt" -> {
                if (value == null || vs.size() != 1) {
                    yield false;
                }
                try {
                    long have = Long.parseLong(value);
                    long want = Long.parseLong(vs.get(0));
                    yield operator.equals("Gt") ? have > want : have < want;
                } catch (NumberFormatException e) {
                    yield false;
                }
            }
            default -> false;
        };
    }
}
