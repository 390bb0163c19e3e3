package io.jenkins.plugins.kubeplatform.sim.quota;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * How quota measures one kind of object, as the evaluators of k8s.io/kubernetes pkg/quota/v1/evaluator/core do:
 * pods ({@code pods.go}), services ({@code services.go}) and every other kind by object count
 * ({@code generic.NewObjectCountEvaluator}: {@code count/RESOURCE[.GROUP]}, plus the legacy name for configmaps,
 * secrets, replicationcontrollers, resourcequotas and persistentvolumeclaims).
 */
public sealed interface QuotaEvaluator {

    /** The evaluator for {@code group/resource}. */
    static QuotaEvaluator of(String group, String resource) {
        if (group.isEmpty() && resource.equals("pods")) {
            return new Pods();
        }
        if (group.isEmpty() && resource.equals("services")) {
            return new Services();
        }
        return new ObjectCount(group, resource);
    }

    /** The names of {@code input} this evaluator measures ({@code MatchingResources}). */
    List<String> matchingResources(Collection<String> input);

    /** Why the object does not meet the quota's {@code required} names, if it does not ({@code Constraints}). */
    default Optional<String> constraints(Collection<String> required, JsonNode object) {
        return Optional.empty();
    }

    /** What the object uses ({@code Usage}); {@code now} decides whether a pod being deleted still counts. */
    TreeMap<String, KubeQuantity> usage(JsonNode object, Instant now);

    /** Whether the object meets one scope selector requirement of a quota. */
    default boolean matchesScope(JsonNode requirement, JsonNode object) {
        return false;
    }

    /** {@code generic.Matches}: the quota names a resource this evaluator measures and the object meets its scopes. */
    default boolean matches(JsonNode quota, JsonNode object) {
        if (matchingResources(ResourceLists.of(quota.path("status").path("hard")).keySet()).isEmpty()) {
            return false;
        }
        return scopeSelectors(quota).stream().allMatch(s -> matchesScope(s, object));
    }

    /** {@code getScopeSelectorsFromQuota}: {@code spec.scopes} as Exists requirements, then the scope selector's. */
    static List<JsonNode> scopeSelectors(JsonNode quota) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode scope : quota.path("spec").path("scopes")) {
            out.add(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                    .put("scopeName", scope.asText()).put("operator", "Exists"));
        }
        quota.path("spec").path("scopeSelector").path("matchExpressions").forEach(out::add);
        return out;
    }

    /** Pods: compute resources, {@code pods} for those not terminal, {@code count/pods} for all. */
    final class Pods implements QuotaEvaluator {

        private static final Set<String> RESOURCES = Set.of("count/pods", "cpu", "memory", "ephemeral-storage",
                "requests.cpu", "requests.memory", "requests.ephemeral-storage", "limits.cpu", "limits.memory",
                "limits.ephemeral-storage", "pods");
        /** The names a pod's every container must specify when a quota limits them ({@code validationSet}). */
        private static final Set<String> VALIDATED = Set.of("cpu", "memory", "requests.cpu", "requests.memory",
                "limits.cpu", "limits.memory");

        @Override
        public List<String> matchingResources(Collection<String> input) {
            return input.stream().filter(n -> RESOURCES.contains(n) || n.startsWith("hugepages-")
                    || n.startsWith("requests.hugepages-")).toList();
        }

        @Override
        public Optional<String> constraints(Collection<String> required, JsonNode pod) {
            Set<String> requiredSet = new TreeSet<>(required);
            requiredSet.retainAll(VALIDATED);
            Map<String, TreeSet<String>> missing = new TreeMap<>();
            List<JsonNode> containers = new ArrayList<>();
            pod.path("spec").path("containers").forEach(containers::add);
            pod.path("spec").path("initContainers").forEach(containers::add);
            for (JsonNode c : containers) {
                Set<String> has = compute(ResourceLists.of(c.path("resources").path("requests")),
                        ResourceLists.of(c.path("resources").path("limits"))).keySet();
                for (String name : requiredSet) {
                    if (!has.contains(name)) {
                        missing.computeIfAbsent(name, k -> new TreeSet<>()).add(c.path("name").asText(""));
                    }
                }
            }
            if (missing.isEmpty()) {
                return Optional.empty();
            }
            List<String> parts = new ArrayList<>();
            missing.forEach((name, containerNames) -> parts.add(name + " for: " + String.join(",", containerNames)));
            return Optional.of("must specify " + String.join("; ", parts));
        }

        @Override
        public TreeMap<String, KubeQuantity> usage(JsonNode pod, Instant now) {
            TreeMap<String, KubeQuantity> result = new TreeMap<>();
            result.put("count/pods", KubeQuantity.of(1));
            if (!chargedForCompute(pod, now)) {
                return result;
            }
            return ResourceLists.add(result, compute(PodResources.requests(pod), PodResources.limits(pod)));
        }

        /**
         * {@code QuotaV1Pod}: a pod is charged unless its phase is terminal or it has been marked for deletion and
         * its grace period has expired past the deletion timestamp.
         */
        static boolean chargedForCompute(JsonNode pod, Instant now) {
            String phase = pod.path("status").path("phase").asText("");
            if (phase.equals("Failed") || phase.equals("Succeeded")) {
                return false;
            }
            JsonNode meta = pod.path("metadata");
            if (meta.hasNonNull("deletionTimestamp") && meta.hasNonNull("deletionGracePeriodSeconds")) {
                Instant deadline = Instant.parse(meta.get("deletionTimestamp").asText())
                        .plusSeconds(meta.get("deletionGracePeriodSeconds").asLong());
                return !now.isAfter(deadline);
            }
            return true;
        }

        /** {@code podComputeUsageHelper}. */
        private static TreeMap<String, KubeQuantity> compute(Map<String, KubeQuantity> requests,
                Map<String, KubeQuantity> limits) {
            TreeMap<String, KubeQuantity> result = new TreeMap<>();
            result.put("pods", KubeQuantity.of(1));
            for (String r : List.of("cpu", "memory", "ephemeral-storage")) {
                if (requests.containsKey(r)) {
                    result.put(r, requests.get(r));
                    result.put("requests." + r, requests.get(r));
                }
                if (limits.containsKey(r)) {
                    result.put("limits." + r, limits.get(r));
                }
            }
            requests.forEach((r, q) -> {
                if (r.startsWith("hugepages-")) {
                    result.put(r, q);
                    result.put("requests." + r, q);
                }
            });
            return result;
        }

        @Override
        public boolean matchesScope(JsonNode requirement, JsonNode pod) {
            return switch (requirement.path("scopeName").asText("")) {
                case "Terminating" -> terminating(pod);
                case "NotTerminating" -> !terminating(pod);
                case "BestEffort" -> bestEffort(pod);
                case "NotBestEffort" -> !bestEffort(pod);
                case "PriorityClass" -> priorityClass(requirement, pod.path("spec").path("priorityClassName")
                        .asText(""));
                default -> false;
            };
        }

        private static boolean terminating(JsonNode pod) {
            JsonNode deadline = pod.path("spec").get("activeDeadlineSeconds");
            return deadline != null && deadline.isNumber() && deadline.asLong() >= 0;
        }

        /** {@code qos.GetPodQOS} is BestEffort: no container requests or limits a positive cpu or memory. */
        static boolean bestEffort(JsonNode pod) {
            List<JsonNode> containers = new ArrayList<>();
            pod.path("spec").path("containers").forEach(containers::add);
            pod.path("spec").path("initContainers").forEach(containers::add);
            for (JsonNode c : containers) {
                for (String field : List.of("requests", "limits")) {
                    Map<String, KubeQuantity> list = ResourceLists.of(c.path("resources").path(field));
                    for (String r : List.of("cpu", "memory")) {
                        if (list.containsKey(r) && list.get(r).signum() > 0) {
                            return false;
                        }
                    }
                }
            }
            return true;
        }

        /** The requirement as a label selector on {@code {PriorityClass: name}} (no key when the pod has none). */
        private static boolean priorityClass(JsonNode requirement, String name) {
            List<String> values = new ArrayList<>();
            requirement.path("values").forEach(v -> values.add(v.asText()));
            return switch (requirement.path("operator").asText("")) {
                case "Exists" -> !name.isEmpty();
                case "DoesNotExist" -> name.isEmpty();
                case "In" -> !name.isEmpty() && values.contains(name);
                case "NotIn" -> name.isEmpty() || !values.contains(name);
                default -> false;
            };
        }
    }

    /** Services: the object count, node ports and load balancers. */
    final class Services implements QuotaEvaluator {

        private static final Set<String> RESOURCES = Set.of("count/services", "services", "services.nodeports",
                "services.loadbalancers");

        @Override
        public List<String> matchingResources(Collection<String> input) {
            return input.stream().filter(RESOURCES::contains).toList();
        }

        @Override
        public TreeMap<String, KubeQuantity> usage(JsonNode service, Instant now) {
            TreeMap<String, KubeQuantity> result = new TreeMap<>();
            result.put("count/services", KubeQuantity.of(1));
            result.put("services", KubeQuantity.of(1));
            result.put("services.loadbalancers", KubeQuantity.ZERO);
            result.put("services.nodeports", KubeQuantity.ZERO);
            JsonNode spec = service.path("spec");
            int ports = spec.path("ports").size();
            switch (spec.path("type").asText("ClusterIP")) {
                case "NodePort" -> result.put("services.nodeports", KubeQuantity.of(ports));
                case "LoadBalancer" -> {
                    long nodePorts = ports;
                    if (spec.path("allocateLoadBalancerNodePorts").isBoolean()
                            && !spec.path("allocateLoadBalancerNodePorts").asBoolean()) {
                        nodePorts = 0;
                        for (JsonNode p : spec.path("ports")) {
                            if (p.path("nodePort").asInt(0) != 0) {
                                nodePorts++;
                            }
                        }
                    }
                    result.put("services.nodeports", KubeQuantity.of(nodePorts));
                    result.put("services.loadbalancers", KubeQuantity.of(1));
                }
                default -> {
                }
            }
            return result;
        }
    }

    /** Any other kind: one object each. */
    record ObjectCount(String group, String resource) implements QuotaEvaluator {

        private static final Set<String> LEGACY = Set.of("configmaps", "secrets", "replicationcontrollers",
                "resourcequotas", "persistentvolumeclaims");

        /** {@code ObjectCountQuotaResourceNameFor}: {@code count/RESOURCE} or {@code count/RESOURCE.GROUP}. */
        String countName() {
            return group.isEmpty() ? "count/" + resource : "count/" + resource + "." + group;
        }

        private List<String> names() {
            return group.isEmpty() && LEGACY.contains(resource) ? List.of(countName(), resource)
                    : List.of(countName());
        }

        @Override
        public List<String> matchingResources(Collection<String> input) {
            return input.stream().filter(names()::contains).toList();
        }

        @Override
        public TreeMap<String, KubeQuantity> usage(JsonNode object, Instant now) {
            TreeMap<String, KubeQuantity> result = new TreeMap<>();
            names().forEach(n -> result.put(n, KubeQuantity.of(1)));
            return result;
        }
    }
}
