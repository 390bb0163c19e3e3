package io.jenkins.plugins.kubeplatform.engine.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one configuration schema: the sections and keys Jenkins Configuration as Code derives from the plugin's global
 * configurations ({@code kubePlatform}, {@code stickyIp}, {@code domains}, {@code repair}, {@code edgeVms}, with the
 * forms' field names: comma-separated text for lists of plain values, flat {@code gateway*}, {@code nginx*} and
 * {@code newCluster*} fields, a site's {@code cpu}/{@code memory}/{@code vms}). The CLI reads exactly this shape:
 * every section is declared with the schema ({@code sections.ConfigSections}), which checks its keys and holds its
 * defaults, so the sections are passed on as written; here only the top-level keys are checked.
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
        return root.deepCopy();
    }
}
