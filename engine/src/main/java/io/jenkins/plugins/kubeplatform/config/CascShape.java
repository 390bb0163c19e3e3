package io.jenkins.plugins.kubeplatform.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.kubeplatform.core.InvalidInputException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one configuration schema: the sections and keys Jenkins Configuration as Code derives from the plugin's global
 * configurations ({@code kubePlatform}, {@code stickyIp}, {@code domains}, {@code repair}, {@code edgeVms}, with the
 * forms' field names: comma-separated text for lists of plain values, flat {@code gateway*}, {@code nginx*} and
 * {@code newCluster*} fields, a site's {@code cpu}/{@code memory}/{@code vms}). The CLI reads exactly this shape;
 * here it is mapped onto the engine's internal section structure, which the capabilities bind.
 *
 * <p>Keys only one side uses are accepted by both: {@code credentialsId}, {@code tokenCredentialsId},
 * {@code context}, {@code syncEnabled}, {@code syncCluster} and the folder restrictions
 * ({@code allowedJobs}, {@code domains.suffixAllowedJobs}: the CLI runs as whoever holds the kubeconfig) only matter
 * to Jenkins,
 * {@code tokenFile}, {@code kubeconfigFile} and {@code repair.command} only to the CLI.
 *
 * <p>Files written before the schema was unified (top-level {@code clusters}, {@code defaultCluster}, {@code pools},
 * {@code edge}, nested {@code gateway:}/{@code tls:}/{@code nginx:}) are still read, but not documented.
 */
final class CascShape {

    /** The documented top-level sections (JCasC symbols under {@code unclassified:}). */
    static final List<String> SECTIONS = List.of("kubePlatform", "stickyIp", "domains", "repair", "edgeVms");

    /**
     * Every key of the schema by path (a list's items as {@code path[]}): the data-bound constructor parameters and
     * setters of the plugin's global configurations and their nested classes. A test checks these against the plugin.
     * Sections declared with the schema ({@code kubePlatform}, {@code stickyIp}, {@code domains}, {@code repair}:
     * {@code sections.ConfigSections}) are not listed here and are passed on as written; their declarations check
     * their keys, and their owners read them with their declarations.
     */
    static final Map<String, Set<String>> KEYS = Map.ofEntries(
            Map.entry("edgeVms", Set.of("sites", "edgeClusters", "quotas", "newClusterPrefix", "newClusterCluster",
                    "newClusterMaxNodes", "newClusterJoinMethod", "newClusterServer", "newClusterTokenCredentialsId",
                    "newClusterTokenFile", "newClusterCaCertHash", "startTimeout", "joinTimeout", "waitTimeout",
                    "maxAttempts", "syncEnabled", "inventoryStore", "inventoryNamespace")),
            Map.entry("edgeVms.sites[]", Set.of("name", "namespace", "location", "cluster", "region", "zone", "cpu",
                    "memory", "vms")),
            Map.entry("edgeVms.edgeClusters[]", Set.of("name", "location", "server", "cluster", "maxNodes",
                    "joinMethod", "tokenCredentialsId", "tokenFile", "caCertHash")),
            Map.entry("edgeVms.quotas[]", Set.of("tenant", "cpu", "memory", "vms", "allowedJobs")));

    private static final Set<String> LEGACY = Set.of("clusters", "defaultCluster", "pools", "edge");

    private static final Map<String, String> SUPERSEDED = Map.of("clusters", "kubePlatform", "defaultCluster",
            "kubePlatform", "pools", "stickyIp", "edge", "edgeVms");

    /*
     * The defaults of the Jenkins forms (the fields' initial values in the plugin's configuration classes) for keys
     * the engine has no default for; a key left out means the same on both sides.
     */
    private static final Map<String, Object> EDGE_DEFAULTS = Map.of("startTimeout", "10m", "joinTimeout", "5m",
            "waitTimeout", "15m", "maxAttempts", 3);
    private static final Map<String, Object> SITE_DEFAULTS = Map.of("cpu", 16, "memory", "64Gi", "vms", 8);
    private static final Map<String, Object> EDGE_CLUSTER_DEFAULTS = Map.of("maxNodes", 8, "joinMethod", "k3s");
    private static final Map<String, Object> NEW_CLUSTER_DEFAULTS = Map.of("newClusterMaxNodes", 4,
            "newClusterJoinMethod", "k3s");

    private CascShape() {
    }

    /** The internal tree for {@code root}; an unknown top-level key is an input error naming it. */
    static ObjectNode toInternal(String source, ObjectNode root) {
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (root.get(key).isTextual() && root.get(key).asText().isBlank()) {
                // "stickyIp:" with nothing after it (every key commented out) reads as empty text: like "stickyIp: ~",
                // an empty section, which means the defaults
                root.putNull(key);
            }
            if (!SECTIONS.contains(key) && !LEGACY.contains(key)) {
                List<String> known = new java.util.ArrayList<>(SECTIONS);
                known.addAll(LEGACY);
                throw new InvalidInputException("--config", source + ": unknown key '" + key + "'"
                        + ConfigKeys.didYouMean(key, known) + "; the sections are " + SECTIONS);
            }
            if (LEGACY.contains(key) && root.has(SUPERSEDED.get(key))) {
                throw new InvalidInputException("--config", source + ": '" + key + "' and '" + SUPERSEDED.get(key)
                        + "' both given; write only '" + SUPERSEDED.get(key) + "'");
            }
        }
        for (String section : SECTIONS) {
            if (root.has(section) && KEYS.containsKey(section)) {
                checkKeys(section, root.get(section), section);
            }
        }
        ObjectNode out = root.deepCopy();
        JsonNode edge = out.remove("edgeVms");
        if (edge instanceof ObjectNode e && (e.has("inventoryStore") || e.has("inventoryNamespace"))) {
            ObjectNode inventory = out.putObject("inventory");
            copy(e, "inventoryStore", inventory, "store");
            copy(e, "inventoryNamespace", inventory, "namespace");
            edge = e.deepCopy().remove(List.of("inventoryStore", "inventoryNamespace"));
        }
        if (edge instanceof ObjectNode e) {
            out.set("edge", edge(e.deepCopy()));
        }
        return out;
    }

    private static ObjectNode edge(ObjectNode edgeVms) {
        ObjectNode e = defaults(edgeVms, EDGE_DEFAULTS);
        e.remove("syncEnabled");
        if (e.get("quotas") instanceof ArrayNode quotas) {
            quotas.forEach(q -> {
                if (q instanceof ObjectNode o) {
                    o.remove("allowedJobs");
                }
            });
        }
        if (e.get("sites") instanceof ArrayNode sites) {
            ArrayNode mapped = JsonNodeFactory.instance.arrayNode();
            for (JsonNode site : sites) {
                ObjectNode s = defaults(site, SITE_DEFAULTS);
                nest(s, "capacity", Map.of("cpu", "cpu", "memory", "memory", "vms", "vms"));
                mapped.add(s);
            }
            e.set("sites", mapped);
        }
        if (e.get("edgeClusters") instanceof ArrayNode clusters) {
            ArrayNode mapped = JsonNodeFactory.instance.arrayNode();
            clusters.forEach(c -> mapped.add(defaults(c, EDGE_CLUSTER_DEFAULTS)));
            e.set("edgeClusters", mapped);
        }
        Map<String, String> newCluster = new LinkedHashMap<>();
        newCluster.put("newClusterPrefix", "namePrefix");
        newCluster.put("newClusterCluster", "cluster");
        newCluster.put("newClusterMaxNodes", "maxNodes");
        newCluster.put("newClusterJoinMethod", "joinMethod");
        newCluster.put("newClusterServer", "server");
        newCluster.put("newClusterTokenCredentialsId", "tokenCredentialsId");
        newCluster.put("newClusterTokenFile", "tokenFile");
        newCluster.put("newClusterCaCertHash", "caCertHash");
        JsonNode prefix = e.get("newClusterPrefix");
        if (prefix != null && prefix.asText("").isBlank()) {
            // Jenkins: an empty prefix means no new clusters are made
            newCluster.keySet().forEach(e::remove);
        }
        if (e.has("newClusterPrefix")) {
            e.setAll(defaults(e, NEW_CLUSTER_DEFAULTS));
        }
        nest(e, "newClusters", newCluster);
        return e;
    }

    /** Moves the flat keys of {@code names} (flat name to nested name) present in {@code node} into {@code block}. */
    private static void nest(ObjectNode node, String block, Map<String, String> names) {
        ObjectNode nested = null;
        for (Map.Entry<String, String> n : names.entrySet()) {
            JsonNode value = node.get(n.getKey());
            if (value == null || (value.isTextual() && value.asText().isBlank())) {
                node.remove(n.getKey());
                continue;
            }
            if (nested == null) {
                if (node.get(block) instanceof ObjectNode) {
                    throw new InvalidInputException(block + "." + n.getValue(), "is given twice: as '" + n.getKey()
                            + "' and inside '" + block + ":'; write '" + n.getKey() + "' only");
                }
                nested = JsonNodeFactory.instance.objectNode();
            }
            node.remove(n.getKey());
            nested.set(n.getValue(), value);
        }
        if (nested != null) {
            node.set(block, nested);
        }
    }

    /** Rejects a key the schema does not have (Configuration as Code would reject it too), naming it. */
    private static void checkKeys(String schemaPath, JsonNode node, String where) {
        if (node == null || node.isNull()) {
            return;
        }
        if (!node.isObject()) {
            throw new InvalidInputException(where, "must be a mapping of keys to values");
        }
        Set<String> keys = KEYS.get(schemaPath);
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!keys.contains(key)) {
                throw new InvalidInputException(where + "." + key, "is not a key of this section; its keys are "
                        + new java.util.TreeSet<>(keys));
            }
            String listPath = schemaPath + "." + key + "[]";
            if (KEYS.containsKey(listPath)) {
                JsonNode list = node.get(key);
                if (list != null && !list.isNull() && !list.isArray()) {
                    throw new InvalidInputException(where + "." + key, "must be a list");
                }
                int i = 0;
                for (JsonNode item : list == null ? JsonNodeFactory.instance.arrayNode() : list) {
                    checkKeys(listPath, item, where + "." + key + "[" + i++ + "]");
                }
            }
        }
    }

    /** A copy of {@code node} with {@code defaults} for the keys it lacks (or leaves blank). */
    private static ObjectNode defaults(JsonNode node, Map<String, Object> defaults) {
        if (!(node instanceof ObjectNode o)) {
            throw new InvalidInputException("--config", "expected a mapping, got " + node.getNodeType());
        }
        ObjectNode copy = o.deepCopy();
        defaults.forEach((key, value) -> {
            JsonNode v = copy.get(key);
            if (v == null || v.isNull() || (v.isTextual() && v.asText().isBlank())) {
                copy.set(key, value instanceof Integer i ? JsonNodeFactory.instance.numberNode(i)
                        : JsonNodeFactory.instance.textNode(value.toString()));
            }
        });
        return copy;
    }

    private static void copy(JsonNode from, String key, ObjectNode to, String as) {
        JsonNode v = from.get(key);
        if (v != null) {
            to.set(as, v);
        }
    }
}
