package io.jenkins.plugins.kubeplatform.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.kubeplatform.core.InvalidInputException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one configuration schema: the sections and keys Jenkins Configuration as Code derives from the plugin's global
 * configurations ({@code kubePlatform}, {@code stickyIp}, {@code domains}, {@code repair}, {@code edgeVms}, with the
 * forms' field names: comma-separated text for lists of plain values, flat {@code gateway*}, {@code nginx*} and
 * {@code newCluster*} fields, a site's {@code cpu}/{@code memory}/{@code vms}). The CLI reads exactly this shape;
 * here the sections not yet declared with the schema ({@code stickyIp}) are mapped onto the engine's internal
 * section structure, which the capabilities bind; the declared ones are passed on as written.
 *
 * <p>Keys only one side uses are accepted by both: {@code credentialsId}, {@code tokenCredentialsId},
 * {@code context}, {@code syncEnabled}, {@code syncCluster}, {@code stickyIp.cluster} and the folder restrictions
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
     * Sections declared with the schema ({@code kubePlatform}, {@code domains}, {@code repair}, {@code edgeVms}:
     * {@code sections.ConfigSections}) are not listed here and are passed on as written; their declarations check
     * their keys and hold their defaults.
     */
    static final Map<String, Set<String>> KEYS = Map.ofEntries(
            Map.entry("stickyIp", Set.of("cluster", "pools", "ledgerStore", "ledgerNamespace")),
            Map.entry("stickyIp.pools[]", Set.of("name", "ranges", "exclude", "cni", "allocation", "keepNamespaces",
                    "reclaimAfter", "nodePinning", "reallocateWhenNodeLost", "cniCheck", "allowedJobs")));

    private static final Set<String> LEGACY = Set.of("clusters", "defaultCluster", "pools", "edge");

    private static final Map<String, String> SUPERSEDED = Map.of("clusters", "kubePlatform", "defaultCluster",
            "kubePlatform", "pools", "stickyIp", "edge", "edgeVms");

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
        JsonNode sticky = out.remove("stickyIp");
        if (sticky != null && sticky.isObject()) {
            ObjectNode ledger = JsonNodeFactory.instance.objectNode();
            copy(sticky, "ledgerStore", ledger, "store");
            copy(sticky, "ledgerNamespace", ledger, "namespace");
            copy(sticky, "cluster", ledger, "cluster");
            if (!ledger.isEmpty()) {
                out.set("ledger", ledger);
            }
        }
        if (sticky != null && sticky.isObject() && sticky.get("pools") instanceof ArrayNode pools) {
            ArrayNode mapped = out.putArray("pools");
            for (JsonNode pool : pools) {
                ObjectNode p = pool.deepCopy();
                p.remove("allowedJobs");
                for (String list : List.of("ranges", "exclude", "keepNamespaces")) {
                    splitText(p, list);
                }
                mapped.add(p);
            }
        }
        return out;
    }

    /** Comma- or whitespace-separated text (the Jenkins form's shape) into a list; a YAML list is kept. */
    private static void splitText(ObjectNode node, String key) {
        JsonNode value = node.get(key);
        if (value != null && value.isTextual()) {
            ArrayNode items = node.putArray(key);
            Arrays.stream(value.asText().split("[,\\s]+")).filter(s -> !s.isBlank()).forEach(items::add);
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

    private static void copy(JsonNode from, String key, ObjectNode to, String as) {
        JsonNode v = from.get(key);
        if (v != null) {
            to.set(as, v);
        }
    }
}
