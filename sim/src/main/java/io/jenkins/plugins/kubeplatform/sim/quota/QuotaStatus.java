package io.jenkins.plugins.kubeplatform.sim.quota;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The status the resource quota controller keeps on a quota ({@code syncResourceQuota} in k8s.io/kubernetes
 * pkg/controller/resourcequota/resource_quota_controller.go, with {@code quota.CalculateUsage} and
 * {@code generic.CalculateUsageStats}): {@code hard} copied from {@code spec.hard}, {@code used} recounted from the
 * namespace's objects for every hard resource an evaluator measures (pods meeting the quota's scopes; other kinds
 * only by an unscoped quota), the previous usage kept for the others.
 */
public final class QuotaStatus {

    private QuotaStatus() {
    }

    /** Lists the objects of {@code group/resource} in the quota's namespace; empty when it cannot list them. */
    @FunctionalInterface
    public interface Lister {
        Optional<List<JsonNode>> list(String group, String resource);
    }

    /** The group and resource a quota resource name counts ({@code count/deployments.apps}, {@code pods}, ...). */
    public static Optional<String[]> counted(String name) {
        if (name.startsWith("count/")) {
            String rest = name.substring("count/".length());
            int dot = rest.indexOf('.');
            return Optional.of(dot < 0 ? new String[] {"", rest}
                    : new String[] {rest.substring(dot + 1), rest.substring(0, dot)});
        }
        if (name.equals("pods") || name.startsWith("requests.") || name.startsWith("limits.") || name.equals("cpu")
                || name.equals("memory") || name.equals("ephemeral-storage") || name.startsWith("hugepages-")) {
            return Optional.of(new String[] {"", "pods"});
        }
        if (name.startsWith("services")) {
            return Optional.of(new String[] {"", "services"});
        }
        if (Set.of("configmaps", "secrets", "replicationcontrollers", "resourcequotas", "persistentvolumeclaims")
                .contains(name)) {
            return Optional.of(new String[] {"", name});
        }
        return Optional.empty();
    }

    /** The status the controller writes, or empty when the quota's status is already current. */
    public static Optional<ObjectNode> sync(JsonNode quota, Lister lister, Instant now) {
        JsonNode spec = quota.path("spec");
        JsonNode status = quota.path("status");
        TreeMap<String, KubeQuantity> hard = ResourceLists.of(spec.path("hard"));
        boolean dirty = !status.has("hard") || !status.has("used")
                || !ResourceLists.equal(hard, ResourceLists.of(status.path("hard")));
        TreeMap<String, KubeQuantity> previous = ResourceLists.of(status.path("used"));
        TreeMap<String, KubeQuantity> used = new TreeMap<>(previous);
        used.putAll(calculate(quota, hard, lister, now));
        used = ResourceLists.mask(used, hard.keySet());
        dirty = dirty || !ResourceLists.equal(used, previous);
        if (!dirty) {
            return Optional.empty();
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.set("hard", ResourceLists.toJson(hard));
        out.set("used", ResourceLists.toJson(used));
        return Optional.of(out);
    }

    private static TreeMap<String, KubeQuantity> calculate(JsonNode quota, TreeMap<String, KubeQuantity> hard,
            Lister lister, Instant now) {
        Set<String> kinds = new LinkedHashSet<>();
        for (String name : hard.keySet()) {
            counted(name).ifPresent(gr -> kinds.add(gr[0] + "/" + gr[1]));
        }
        TreeMap<String, KubeQuantity> usage = new TreeMap<>();
        List<JsonNode> selectors = QuotaEvaluator.scopeSelectors(quota);
        for (String kind : kinds) {
            String group = kind.substring(0, kind.indexOf('/'));
            String resource = kind.substring(kind.indexOf('/') + 1);
            QuotaEvaluator evaluator = QuotaEvaluator.of(group, resource);
            List<String> measured = evaluator.matchingResources(hard.keySet());
            if (measured.isEmpty()) {
                continue;
            }
            TreeMap<String, KubeQuantity> stats = new TreeMap<>();
            for (String name : measured) {
                stats.put(name, KubeQuantity.ZERO);
            }
            Optional<List<JsonNode>> items = lister.list(group, resource);
            if (items.isEmpty()) {
                continue; // not countable here: the usage admission charged is kept
            }
            for (JsonNode item : new ArrayList<>(items.get())) {
                if (selectors.stream().allMatch(selector -> evaluator.matchesScope(selector, item))) {
                    stats = ResourceLists.add(stats, evaluator.usage(item, now));
                }
            }
            usage.putAll(ResourceLists.mask(stats, measured));
        }
        return usage;
    }
}
