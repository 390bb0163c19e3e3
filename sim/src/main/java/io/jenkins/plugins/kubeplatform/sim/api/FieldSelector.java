package io.jenkins.plugins.kubeplatform.sim.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A field selector ({@code fieldSelector=}) with the field labels the API server supports per resource:
 * {@code metadata.name} and {@code metadata.namespace} everywhere, plus the resource's own (pods:
 * {@code spec.nodeName}, {@code status.phase}, ...). Any other label is refused with the API server's
 * {@code field label not supported: <label>}.
 */
public final class FieldSelector {

    private static final Set<String> COMMON = Set.of("metadata.name", "metadata.namespace");

    /** Field labels per {@code group/resource} (core group: just the resource), as registered in kube-apiserver. */
    private static final Map<String, Set<String>> SUPPORTED = Map.of(
            "pods", Set.of("spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
                    "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName"),
            "nodes", Set.of("spec.unschedulable"),
            "events", Set.of("involvedObject.kind", "involvedObject.namespace", "involvedObject.name",
                    "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion",
                    "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type"),
            "namespaces", Set.of("status.phase"),
            "secrets", Set.of("type"),
            "replicationcontrollers", Set.of("status.replicas"),
            "apps/replicasets", Set.of("status.replicas"),
            "batch/jobs", Set.of("status.successful"));

    private record Term(String field, boolean equals, String value) {
    }

    private final List<Term> terms;

    private FieldSelector(List<Term> terms) {
        this.terms = terms;
    }

    /**
     * Parses the selector for a resource ({@code group} empty for the core group). An unsupported field label
     * throws {@link IllegalArgumentException} with the API server's message.
     */
    public static FieldSelector parse(String selector, String group, String resource) {
        Set<String> own = SUPPORTED.getOrDefault(group.isEmpty() ? resource : group + "/" + resource, Set.of());
        List<Term> terms = new ArrayList<>();
        for (String part : selector.split(",")) {
            String t = part.trim();
            if (t.isEmpty()) {
                continue;
            }
            int ne = t.indexOf("!=");
            int eq = t.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("invalid selector: '" + selector
                        + "'; can't understand '" + t + "'");
            }
            boolean equals = ne < 0 || ne > eq;
            String field = (equals ? t.substring(0, eq) : t.substring(0, ne)).trim();
            String value = equals ? t.substring(t.startsWith("==", eq) ? eq + 2 : eq + 1)
                    : t.substring(ne + 2);
            if (!COMMON.contains(field) && !own.contains(field)) {
                throw new IllegalArgumentException("field label not supported: " + field);
            }
            terms.add(new Term(field, equals, value.trim()));
        }
        return new FieldSelector(terms);
    }

    public boolean matches(JsonNode object) {
        for (Term t : terms) {
            String actual = value(object, t.field());
            if (actual.equals(t.value()) != t.equals()) {
                return false;
            }
        }
        return true;
    }

    private static String value(JsonNode object, String field) {
        if (field.equals("source")) {
            return object.path("source").path("component").asText("");
        }
        JsonNode node = object;
        for (String p : field.split("\\.")) {
            node = node.path(p);
        }
        if (node.isMissingNode() || node.isNull()) {
            return field.equals("spec.hostNetwork") || field.equals("spec.unschedulable") ? "false" : "";
        }
        return node.asText();
    }

    public boolean isEmpty() {
        return terms.isEmpty();
    }
}
