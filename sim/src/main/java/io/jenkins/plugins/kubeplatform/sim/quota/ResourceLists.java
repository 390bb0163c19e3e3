package io.jenkins.plugins.kubeplatform.sim.quota;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The operations of apiserver's {@code quota/v1/resources.go} on resource lists (name to quantity), kept sorted by
 * name as {@code prettyPrint} prints them.
 */
public final class ResourceLists {

    private ResourceLists() {
    }

    /** The list a JSON object of quantities holds (a value that is not a quantity is left out). */
    public static TreeMap<String, KubeQuantity> of(JsonNode list) {
        TreeMap<String, KubeQuantity> out = new TreeMap<>();
        if (list != null && list.isObject()) {
            list.fields().forEachRemaining(e -> KubeQuantity.parse(e.getValue().asText())
                    .ifPresent(q -> out.put(e.getKey(), q)));
        }
        return out;
    }

    /** The JSON object of the list, each quantity in canonical form. */
    public static ObjectNode toJson(Map<String, KubeQuantity> list) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        list.forEach((k, v) -> out.put(k, v.toString()));
        return out;
    }

    /** {@code quota.Add}: every name of either list, the quantities of both added. */
    public static TreeMap<String, KubeQuantity> add(Map<String, KubeQuantity> a, Map<String, KubeQuantity> b) {
        TreeMap<String, KubeQuantity> out = new TreeMap<>(a);
        b.forEach((k, v) -> out.merge(k, v, KubeQuantity::add));
        return out;
    }

    /** {@code quota.Mask}: only the given names. */
    public static TreeMap<String, KubeQuantity> mask(Map<String, KubeQuantity> list, Collection<String> names) {
        TreeMap<String, KubeQuantity> out = new TreeMap<>();
        list.forEach((k, v) -> {
            if (names.contains(k)) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** {@code quota.RemoveZeros}. */
    public static TreeMap<String, KubeQuantity> removeZeros(Map<String, KubeQuantity> list) {
        TreeMap<String, KubeQuantity> out = new TreeMap<>();
        list.forEach((k, v) -> {
            if (!v.isZero()) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** {@code quota.LessThanOrEqual}'s second answer: the names whose quantity in {@code a} exceeds {@code b}'s. */
    public static List<String> exceeding(Map<String, KubeQuantity> a, Map<String, KubeQuantity> b) {
        List<String> out = new ArrayList<>();
        b.forEach((k, limit) -> {
            KubeQuantity value = a.get(k);
            if (value != null && value.compareTo(limit) > 0) {
                out.add(k);
            }
        });
        return out;
    }

    /** {@code quota.Equals}: the same names with equal quantities. */
    public static boolean equal(Map<String, KubeQuantity> a, Map<String, KubeQuantity> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        return a.entrySet().stream().allMatch(e -> e.getValue().compareTo(b.get(e.getKey())) == 0);
    }

    /** The admission plugin's {@code prettyPrint}: {@code name=quantity} sorted by name, joined by commas. */
    public static String prettyPrint(Map<String, KubeQuantity> list) {
        List<String> parts = new ArrayList<>();
        new TreeMap<>(list).forEach((k, v) -> parts.add(k + "=" + v));
        return String.join(",", parts);
    }
}
