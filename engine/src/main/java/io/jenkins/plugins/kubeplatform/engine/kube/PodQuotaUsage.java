package io.jenkins.plugins.kubeplatform.engine.kube;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ScopedResourceSelectorRequirement;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a new pod counts against a ResourceQuota, and which quotas count it, as the API server's quota admission
 * decides: {@code PodUsageFunc}, {@code podComputeUsageHelper} and {@code podMatchesScopeFunc} of k8s.io/kubernetes
 * pkg/quota/v1/evaluator/core/pods.go, with the pod's totals added up as {@code resourcehelper.PodRequests} and
 * {@code PodLimits} do (k8s.io/component-helpers resource/helpers.go). Amounts are exact ({@link BigDecimal}).
 */
public final class PodQuotaUsage {

    private static final List<String> COMPUTE = List.of("cpu", "memory", "ephemeral-storage");

    private PodQuotaUsage() {
    }

    /**
     * The quota names a new (not terminal, not deleted) pod uses and how much of each: {@code pods} and
     * {@code count/pods} 1; for cpu, memory and ephemeral-storage the request as {@code NAME} and
     * {@code requests.NAME} and the limit as {@code limits.NAME}, where the pod sets them; hugepages and extended
     * resources as requested.
     */
    public static Map<String, BigDecimal> of(Pod pod) {
        PodSpec spec = pod.getSpec();
        Map<String, BigDecimal> requests = total(spec, true);
        Map<String, BigDecimal> limits = total(spec, false);
        if (spec.getOverhead() != null) {
            spec.getOverhead().forEach((name, q) -> {
                BigDecimal amount = q.getNumericalAmount();
                requests.merge(name, amount, BigDecimal::add);
                // PodLimits adds the overhead only to what is limited, and not to a zero limit
                limits.computeIfPresent(name, (n, limit) -> limit.signum() == 0 ? limit : limit.add(amount));
            });
        }
        Map<String, BigDecimal> usage = new TreeMap<>();
        usage.put("count/pods", BigDecimal.ONE);
        usage.put("pods", BigDecimal.ONE);
        for (String r : COMPUTE) {
            if (requests.containsKey(r)) {
                usage.put(r, requests.get(r));
                usage.put("requests." + r, requests.get(r));
            }
            if (limits.containsKey(r)) {
                usage.put("limits." + r, limits.get(r));
            }
        }
        requests.forEach((r, amount) -> {
            if (r.startsWith("hugepages-")) {
                usage.put(r, amount);
                usage.put("requests." + r, amount);
            } else if (extended(r)) {
                usage.put("requests." + r, amount);
            }
        });
        return usage;
    }

    /** {@code helper.IsExtendedResourceName}: a domain-qualified name outside kubernetes.io, not a quota prefix. */
    private static boolean extended(String name) {
        return name.contains("/") && !name.contains("kubernetes.io/") && !name.startsWith("requests.");
    }

    /**
     * {@code AggregateContainerRequests}/{@code Limits}: the containers' sum plus the sidecars' (init containers with
     * {@code restartPolicy: Always}), and at least what each other init container needs with the sidecars started
     * before it.
     */
    private static Map<String, BigDecimal> total(PodSpec spec, boolean requests) {
        Map<String, BigDecimal> sum = new TreeMap<>();
        for (Container c : spec.getContainers() == null ? List.<Container>of() : spec.getContainers()) {
            add(sum, of(c, requests));
        }
        Map<String, BigDecimal> sidecars = new TreeMap<>();
        Map<String, BigDecimal> initMax = new TreeMap<>();
        for (Container c : spec.getInitContainers() == null ? List.<Container>of() : spec.getInitContainers()) {
            Map<String, BigDecimal> own = of(c, requests);
            Map<String, BigDecimal> whileRunning = new TreeMap<>(sidecars);
            if ("Always".equals(c.getRestartPolicy())) {
                add(sum, own);
                add(sidecars, own);
                whileRunning = new TreeMap<>(sidecars);
            } else {
                add(whileRunning, own);
            }
            whileRunning.forEach((k, v) -> initMax.merge(k, v, BigDecimal::max));
        }
        initMax.forEach((k, v) -> sum.merge(k, v, BigDecimal::max));
        return sum;
    }

    private static Map<String, BigDecimal> of(Container c, boolean requests) {
        Map<String, BigDecimal> out = new TreeMap<>();
        if (c.getResources() == null) {
            return out;
        }
        Map<String, Quantity> list = requests ? c.getResources().getRequests() : c.getResources().getLimits();
        if (list != null) {
            list.forEach((k, q) -> out.put(k, q.getNumericalAmount()));
        }
        return out;
    }

    private static void add(Map<String, BigDecimal> into, Map<String, BigDecimal> more) {
        more.forEach((k, v) -> into.merge(k, v, BigDecimal::add));
    }

    /**
     * Whether {@code quota}'s scopes ({@code spec.scopes}, each an Exists requirement, and
     * {@code spec.scopeSelector}) all match {@code pod} ({@code generic.Matches} with {@code podMatchesScopeFunc}).
     */
    public static boolean inScope(ResourceQuota quota, Pod pod) {
        if (quota.getSpec() == null) {
            return true;
        }
        List<ScopedResourceSelectorRequirement> requirements = new ArrayList<>();
        if (quota.getSpec().getScopes() != null) {
            quota.getSpec().getScopes().forEach(s -> requirements.add(
                    new ScopedResourceSelectorRequirement("Exists", s, List.of())));
        }
        if (quota.getSpec().getScopeSelector() != null
                && quota.getSpec().getScopeSelector().getMatchExpressions() != null) {
            requirements.addAll(quota.getSpec().getScopeSelector().getMatchExpressions());
        }
        return requirements.stream().allMatch(r -> matches(r, pod));
    }

    private static boolean matches(ScopedResourceSelectorRequirement r, Pod pod) {
        PodSpec spec = pod.getSpec();
        return switch (String.valueOf(r.getScopeName())) {
            case "Terminating" -> terminating(spec);
            case "NotTerminating" -> !terminating(spec);
            case "BestEffort" -> bestEffort(pod);
            case "NotBestEffort" -> !bestEffort(pod);
            case "PriorityClass" -> priorityClass(r, spec.getPriorityClassName());
            case "CrossNamespacePodAffinity" -> crossNamespaceAffinity(spec);
            default -> false;
        };
    }

    /** {@code isTerminating}: {@code activeDeadlineSeconds} is set and not negative. */
    private static boolean terminating(PodSpec spec) {
        return spec.getActiveDeadlineSeconds() != null && spec.getActiveDeadlineSeconds() >= 0;
    }

    /**
     * {@code qos.GetPodQOS}: the class the server recorded in {@code status.qosClass}, else BestEffort when no
     * container or init container requests or limits a positive amount of cpu or memory.
     */
    static boolean bestEffort(Pod pod) {
        if (pod.getStatus() != null && pod.getStatus().getQosClass() != null
                && !pod.getStatus().getQosClass().isEmpty()) {
            return "BestEffort".equals(pod.getStatus().getQosClass());
        }
        List<Container> all = new ArrayList<>();
        if (pod.getSpec().getContainers() != null) {
            all.addAll(pod.getSpec().getContainers());
        }
        if (pod.getSpec().getInitContainers() != null) {
            all.addAll(pod.getSpec().getInitContainers());
        }
        for (Container c : all) {
            for (boolean requests : new boolean[] {true, false}) {
                Map<String, BigDecimal> list = of(c, requests);
                for (String r : List.of("cpu", "memory")) {
                    if (list.containsKey(r) && list.get(r).signum() > 0) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /**
     * {@code podMatchesSelector}: the requirement as a label selector on {@code {PriorityClass: name}}, a set without
     * that key when the pod names no class (Exists is checked without the selector, with the same result).
     */
    private static boolean priorityClass(ScopedResourceSelectorRequirement r, String name) {
        boolean has = name != null && !name.isEmpty();
        List<String> values = r.getValues() == null ? List.of() : r.getValues();
        return switch (String.valueOf(r.getOperator())) {
            case "Exists" -> has;
            case "DoesNotExist" -> !has;
            case "In" -> has && values.contains(name);
            case "NotIn" -> !has || !values.contains(name);
            default -> false;
        };
    }

    /** {@code usesCrossNamespacePodAffinity}: a (anti-)affinity term that names namespaces or selects them. */
    private static boolean crossNamespaceAffinity(PodSpec spec) {
        if (spec.getAffinity() == null) {
            return false;
        }
        List<PodAffinityTerm> terms = new ArrayList<>();
        List<WeightedPodAffinityTerm> weighted = new ArrayList<>();
        var affinity = spec.getAffinity().getPodAffinity();
        if (affinity != null) {
            addAll(terms, affinity.getRequiredDuringSchedulingIgnoredDuringExecution());
            addAll(weighted, affinity.getPreferredDuringSchedulingIgnoredDuringExecution());
        }
        var anti = spec.getAffinity().getPodAntiAffinity();
        if (anti != null) {
            addAll(terms, anti.getRequiredDuringSchedulingIgnoredDuringExecution());
            addAll(weighted, anti.getPreferredDuringSchedulingIgnoredDuringExecution());
        }
        weighted.forEach(w -> terms.add(w.getPodAffinityTerm()));
        return terms.stream().anyMatch(t -> t != null && ((t.getNamespaces() != null && !t.getNamespaces().isEmpty())
                || t.getNamespaceSelector() != null));
    }

    private static <T> void addAll(List<T> into, List<T> more) {
        if (more != null) {
            into.addAll(more);
        }
    }
}
