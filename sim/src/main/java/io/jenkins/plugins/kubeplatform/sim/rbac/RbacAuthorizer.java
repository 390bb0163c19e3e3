package io.jenkins.plugins.kubeplatform.sim.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The API server's RBAC authorizer over the Roles, ClusterRoles, RoleBindings and ClusterRoleBindings stored in
 * the cluster: a request is allowed when a ClusterRoleBinding, or a RoleBinding in the request's namespace, binds
 * the user, one of its groups or its service account to a role with a rule matching the verb, API group,
 * resource (or {@code resource/subresource}), and resource name. Members of {@code system:masters} are allowed
 * everything, as the API server lets them bypass authorization. Input is a (user, groups, request) triple.
 */
public final class RbacAuthorizer {

    private final Function<String, JsonNode> lister;

    /** {@code lister} returns the JSON list at an API path ({@code items}), as the store holds it. */
    public RbacAuthorizer(Function<String, JsonNode> lister) {
        this.lister = lister;
    }

    /** Empty when allowed; otherwise the API server's {@code Forbidden} message. */
    public Optional<String> denial(String user, List<String> groups, ResourceRequest request) {
        if (allowed(user, groups, request)) {
            return Optional.empty();
        }
        return Optional.of(message(user, request));
    }

    public boolean allowed(String user, List<String> groups, ResourceRequest request) {
        if (groups.contains("system:masters")) {
            return true;
        }
        return !rulesFor(user, groups, request.namespace()).stream().filter(r -> r.allows(request)).findAny()
                .isEmpty();
    }

    /** Every rule that applies to the subject in the namespace ({@code ""}: cluster-wide rules only). */
    public List<RbacPolicy.Rule> rulesFor(String user, List<String> groups, String namespace) {
        Set<RbacPolicy.Rule> rules = new LinkedHashSet<>();
        for (JsonNode binding : lister.apply("/apis/rbac.authorization.k8s.io/v1/clusterrolebindings").path("items")) {
            if (binds(binding, user, groups)) {
                rules.addAll(roleRules(binding.path("roleRef"), ""));
            }
        }
        if (!namespace.isEmpty()) {
            for (JsonNode binding : lister.apply("/apis/rbac.authorization.k8s.io/v1/namespaces/" + namespace
                    + "/rolebindings").path("items")) {
                if (binds(binding, user, groups)) {
                    rules.addAll(roleRules(binding.path("roleRef"), namespace));
                }
            }
        }
        return List.copyOf(rules);
    }

    private List<RbacPolicy.Rule> roleRules(JsonNode roleRef, String namespace) {
        String kind = roleRef.path("kind").asText();
        String name = roleRef.path("name").asText();
        String path = kind.equals("ClusterRole") ? "/apis/rbac.authorization.k8s.io/v1/clusterroles"
                : "/apis/rbac.authorization.k8s.io/v1/namespaces/" + namespace + "/roles";
        JsonNode roles = lister.apply(path).path("items");
        for (JsonNode role : roles) {
            if (role.path("metadata").path("name").asText().equals(name)) {
                List<RbacPolicy.Rule> out = new java.util.ArrayList<>(rules(role));
                if (kind.equals("ClusterRole") && role.has("aggregationRule")) {
                    // what the clusterrole-aggregation controller keeps in .rules: the rules of every ClusterRole
                    // a selector matches
                    for (JsonNode other : roles) {
                        if (other != role && aggregates(role.path("aggregationRule"), other.path("metadata")
                                .path("labels"))) {
                            out.addAll(rules(other));
                        }
                    }
                }
                return out;
            }
        }
        return List.of();
    }

    private static List<RbacPolicy.Rule> rules(JsonNode role) {
        List<RbacPolicy.Rule> out = new java.util.ArrayList<>();
        for (JsonNode rule : role.path("rules")) {
            if (!rule.has("nonResourceURLs")) {
                out.add(new RbacPolicy.Rule(strings(rule.path("apiGroups")), strings(rule.path("resources")),
                        strings(rule.path("verbs")), strings(rule.path("resourceNames"))));
            }
        }
        return out;
    }

    /** Whether one of the aggregation rule's label selectors (matchLabels, matchExpressions) selects the labels. */
    static boolean aggregates(JsonNode aggregationRule, JsonNode labels) {
        for (JsonNode selector : aggregationRule.path("clusterRoleSelectors")) {
            boolean all = selector.path("matchLabels").size() + selector.path("matchExpressions").size() > 0;
            var fields = selector.path("matchLabels").fields();
            while (fields.hasNext()) {
                var e = fields.next();
                all &= labels.path(e.getKey()).isTextual() && labels.path(e.getKey()).asText().equals(e.getValue().asText());
            }
            for (JsonNode expression : selector.path("matchExpressions")) {
                JsonNode value = labels.path(expression.path("key").asText());
                Set<String> values = strings(expression.path("values"));
                all &= switch (expression.path("operator").asText()) {
                    case "In" -> value.isTextual() && values.contains(value.asText());
                    case "NotIn" -> !value.isTextual() || !values.contains(value.asText());
                    case "Exists" -> value.isTextual();
                    case "DoesNotExist" -> !value.isTextual();
                    default -> false;
                };
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    private static boolean binds(JsonNode binding, String user, List<String> groups) {
        for (JsonNode s : binding.path("subjects")) {
            String kind = s.path("kind").asText();
            String name = s.path("name").asText();
            boolean match = switch (kind) {
                case "User" -> name.equals(user);
                case "Group" -> groups.contains(name);
                case "ServiceAccount" -> user.equals("system:serviceaccount:" + s.path("namespace").asText(
                        binding.path("metadata").path("namespace").asText()) + ":" + name);
                default -> false;
            };
            if (match) {
                return true;
            }
        }
        return false;
    }

    /** {@code pods "x" is forbidden: User "u" cannot get resource "pods" in API group "" in the namespace "n"}. */
    public static String message(String user, ResourceRequest r) {
        String qualified = r.apiGroup().isEmpty() ? r.resource() : r.resource() + "." + r.apiGroup();
        String subject = qualified + (r.name().isEmpty() ? "" : " \"" + r.name() + "\"");
        String scope = r.namespace().isEmpty() ? " at the cluster scope"
                : " in the namespace \"" + r.namespace() + "\"";
        return subject + " is forbidden: User \"" + user + "\" cannot " + r.verb() + " resource \""
                + r.qualifiedResource() + "\" in API group \"" + r.apiGroup() + "\"" + scope;
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> values = new LinkedHashSet<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
