package io.jenkins.plugins.kubeplatform.sim.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Roles and ClusterRoles of a multi-document RBAC YAML file (docs/rbac.yaml), evaluated the way the API server's
 * RBAC authorizer does, so tests can prove an operation used nothing outside the rules we document.
 */
public final class RbacPolicy {

    /** One policy rule; empty {@code resourceNames} means any name. */
    public record Rule(Set<String> apiGroups, Set<String> resources, Set<String> verbs, Set<String> resourceNames) {

        boolean allows(ResourceRequest r) {
            return matches(apiGroups, r.apiGroup())
                    && (resources.contains("*") || resources.contains(r.qualifiedResource())
                        || (!r.subresource().isEmpty() && resources.contains("*/" + r.subresource())))
                    && matches(verbs, r.verb())
                    && (resourceNames.isEmpty() || resourceNames.contains(r.name()));
        }

        private static boolean matches(Set<String> allowed, String value) {
            return allowed.contains("*") || allowed.contains(value);
        }
    }

    private final Map<String, List<Rule>> rulesByRole;

    private RbacPolicy(Map<String, List<Rule>> rulesByRole) {
        this.rulesByRole = rulesByRole;
    }

    /** The label naming the step a role belongs to; its rules are also found under {@code kubeplatform-<step>}. */
    public static final String STEP_LABEL = "kubeplatform.jenkins.io/step";

    /**
     * Reads every Role and ClusterRole in the file; a Role and a ClusterRole with one name are one rule set, and the
     * roles labelled {@value #STEP_LABEL}{@code =<step>} together form the rule set {@code kubeplatform-<step>}.
     */
    public static RbacPolicy load(Path file) {
        Map<String, List<Rule>> rules = new LinkedHashMap<>();
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        try (MappingIterator<JsonNode> docs = yaml.readerFor(JsonNode.class).readValues(Files.readString(file))) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc == null || doc.isNull() || doc.isMissingNode()) {
                    continue;
                }
                String kind = doc.path("kind").asText();
                if (!kind.equals("Role") && !kind.equals("ClusterRole")) {
                    continue;
                }
                List<Rule> roleRules = new ArrayList<>();
                for (JsonNode rule : doc.path("rules")) {
                    if (rule.has("nonResourceURLs")) {
                        continue;
                    }
                    roleRules.add(new Rule(strings(rule.path("apiGroups")), strings(rule.path("resources")),
                            strings(rule.path("verbs")), strings(rule.path("resourceNames"))));
                }
                rules.computeIfAbsent(doc.path("metadata").path("name").asText(), n -> new ArrayList<>())
                        .addAll(roleRules);
                String step = doc.path("metadata").path("labels").path(STEP_LABEL).asText("");
                if (!step.isEmpty() && !("kubeplatform-" + step).equals(doc.path("metadata").path("name").asText())) {
                    rules.computeIfAbsent("kubeplatform-" + step, n -> new ArrayList<>()).addAll(roleRules);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read RBAC rules from " + file, e);
        }
        return new RbacPolicy(rules);
    }

    /** docs/rbac.yaml of this project, found from the working directory of a module or of the repository root. */
    public static RbacPolicy ofProject() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("docs").resolve("rbac.yaml");
            if (Files.isRegularFile(candidate)) {
                return load(candidate);
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("docs/rbac.yaml not found above " + Path.of("").toAbsolutePath());
    }

    public Set<String> roleNames() {
        return rulesByRole.keySet();
    }

    public boolean allows(String role, ResourceRequest request) {
        List<Rule> rules = rulesByRole.get(role);
        if (rules == null) {
            throw new IllegalArgumentException("no Role or ClusterRole named " + role + "; known: " + roleNames());
        }
        return basicUser(request) || rules.stream().anyMatch(rule -> rule.allows(request));
    }

    /**
     * What the built-in ClusterRole {@code system:basic-user} grants every authenticated user: access reviews of
     * oneself ({@code kubectl auth can-i}, the steps' permission pre-check).
     */
    static boolean basicUser(ResourceRequest request) {
        return request.apiGroup().equals("authorization.k8s.io") && request.verb().equals("create")
                && (request.resource().equals("selfsubjectaccessreviews")
                    || request.resource().equals("selfsubjectrulesreviews"));
    }

    /** The distinct requests the role does not allow, in first-seen order. */
    public Set<ResourceRequest> denied(String role, Collection<ResourceRequest> requests) {
        Set<ResourceRequest> denied = new LinkedHashSet<>();
        for (ResourceRequest request : requests) {
            if (!allows(role, request)) {
                denied.add(new ResourceRequest(request.verb(), request.apiGroup(), request.resource(),
                        request.subresource(), request.namespace(), request.name()));
            }
        }
        return denied;
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> values = new LinkedHashSet<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
