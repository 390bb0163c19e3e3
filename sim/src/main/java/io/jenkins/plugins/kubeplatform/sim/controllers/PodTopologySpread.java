package io.jenkins.plugins.kubeplatform.sim.controllers;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.jenkins.plugins.kubeplatform.sim.model.PodStates;
import io.jenkins.plugins.kubeplatform.sim.model.Selectors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * kube-scheduler's {@code PodTopologySpread} plugin (pkg/scheduler/framework/plugins/podtopologyspread): the filter for
 * {@code whenUnsatisfiable: DoNotSchedule} constraints and the score for {@code ScheduleAnyway} ones, with
 * {@code minDomains}, {@code matchLabelKeys} and the node inclusion policies (nodeAffinityPolicy defaults to Honor,
 * nodeTaintsPolicy to Ignore). The cluster-level default constraints (hostname and zone, ScheduleAnyway, applied to
 * pods of services and controllers) are not simulated.
 */
final class PodTopologySpread {

    static final String CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
    static final String NODE_LABEL_NOT_MATCH = CONSTRAINTS_NOT_MATCH + " (missing required label)";
    private static final String HOSTNAME = "kubernetes.io/hostname";

    /** A constraint as the plugin holds it: the selector has the pod's {@code matchLabelKeys} merged in. */
    private record Constraint(int maxSkew, String topologyKey, LabelSelector selector, int minDomains,
            boolean honorNodeAffinity, boolean honorTaints) {
    }

    private final Pod pod;
    private final List<Constraint> hard;
    private final List<Map<String, Integer>> hardCounts = new ArrayList<>();

    /** The PreFilter state for POD: per hard constraint, matching pods per domain over the eligible nodes. */
    PodTopologySpread(Pod pod, List<Node> nodes, Map<String, List<Pod>> placed) {
        this.pod = pod;
        this.hard = constraints(pod, "DoNotSchedule");
        for (int i = 0; i < hard.size(); i++) {
            hardCounts.add(new HashMap<>());
        }
        if (hard.isEmpty()) {
            return;
        }
        for (Node node : nodes) {
            Map<String, String> labels = labels(node);
            if (!hasAllKeys(labels, hard)) {
                continue;
            }
            for (int i = 0; i < hard.size(); i++) {
                Constraint c = hard.get(i);
                if (!included(pod, c, node)) {
                    continue;
                }
                hardCounts.get(i).merge(labels.get(c.topologyKey()),
                        count(pod, placed.getOrDefault(node.getMetadata().getName(), List.of()), c), Integer::sum);
            }
        }
    }

    /** Empty if NODE passes the filter: for each constraint, matching pods in its domain + self - global min. */
    Optional<String> filter(Node node) {
        Map<String, String> labels = labels(node);
        for (int i = 0; i < hard.size(); i++) {
            Constraint c = hard.get(i);
            String value = labels.get(c.topologyKey());
            if (value == null) {
                return Optional.of(NODE_LABEL_NOT_MATCH);
            }
            Map<String, Integer> domains = hardCounts.get(i);
            int min = domains.values().stream().mapToInt(Integer::intValue).min().orElse(Integer.MAX_VALUE);
            if (domains.size() < c.minDomains()) {
                min = 0;
            }
            int self = Selectors.matches(c.selector(), pod.getMetadata().getLabels()) ? 1 : 0;
            long skew = (long) domains.getOrDefault(value, 0) + self - min;
            if (skew > c.maxSkew()) {
                return Optional.of(CONSTRAINTS_NOT_MATCH);
            }
        }
        return Optional.empty();
    }


    /**
     * The plugin's normalized score (0..100) for each feasible node, from the ScheduleAnyway constraints; empty when
     * there are none (the plugin skips scoring). Scoring.go: a node's raw score is the sum over constraints of
     * {@code matching pods in its domain * log(domains + 2) + (maxSkew - 1)}, and fewer is better.
     */
    static Map<String, Long> scores(Pod pod, List<Node> feasible, List<Node> all, Map<String, List<Pod>> placed) {
        List<Constraint> soft = constraints(pod, "ScheduleAnyway");
        if (soft.isEmpty() || feasible.isEmpty()) {
            return Map.of();
        }
        List<String> ignored = new ArrayList<>();
        List<Map<String, Long>> domainCounts = new ArrayList<>();
        for (int i = 0; i < soft.size(); i++) {
            domainCounts.add(new HashMap<>());
        }
        for (Node node : feasible) {
            if (!hasAllKeys(labels(node), soft)) {
                ignored.add(node.getMetadata().getName());
                continue;
            }
            for (int i = 0; i < soft.size(); i++) {
                if (!soft.get(i).topologyKey().equals(HOSTNAME)) {
                    domainCounts.get(i).putIfAbsent(labels(node).get(soft.get(i).topologyKey()), 0L);
                }
            }
        }
        double[] weight = new double[soft.size()];
        for (int i = 0; i < soft.size(); i++) {
            int size = soft.get(i).topologyKey().equals(HOSTNAME) ? feasible.size() - ignored.size()
                    : domainCounts.get(i).size();
            weight[i] = Math.log(size + 2);
        }
        for (Node node : all) {
            if (!hasAllKeys(labels(node), soft)) {
                continue;
            }
            for (int i = 0; i < soft.size(); i++) {
                Constraint c = soft.get(i);
                String value = labels(node).get(c.topologyKey());
                if (included(pod, c, node) && domainCounts.get(i).containsKey(value)) {
                    List<Pod> onNode = placed.getOrDefault(node.getMetadata().getName(), List.of());
                    domainCounts.get(i).merge(value, (long) count(pod, onNode, c), Long::sum);
                }
            }
        }
        Map<String, Long> raw = new LinkedHashMap<>();
        for (Node node : feasible) {
            String name = node.getMetadata().getName();
            if (ignored.contains(name)) {
                continue;
            }
            double score = 0;
            for (int i = 0; i < soft.size(); i++) {
                Constraint c = soft.get(i);
                long matching = c.topologyKey().equals(HOSTNAME)
                        ? count(pod, placed.getOrDefault(name, List.of()), c)
                        : domainCounts.get(i).get(labels(node).get(c.topologyKey()));
                score += matching * weight[i] + (c.maxSkew() - 1);
            }
            raw.put(name, Math.round(score));
        }
        long min = raw.values().stream().mapToLong(Long::longValue).min().orElse(0);
        long max = raw.values().stream().mapToLong(Long::longValue).max().orElse(0);
        Map<String, Long> normalized = new HashMap<>();
        for (Node node : feasible) {
            String name = node.getMetadata().getName();
            Long s = raw.get(name);
            normalized.put(name, s == null ? 0L : max == 0 ? 100L : 100 * (max + min - s) / max);
        }
        return normalized;
    }

    private static List<Constraint> constraints(Pod pod, String action) {
        List<Constraint> out = new ArrayList<>();
        List<TopologySpreadConstraint> declared = pod.getSpec().getTopologySpreadConstraints();
        if (declared == null) {
            return out;
        }
        for (TopologySpreadConstraint c : declared) {
            if (!action.equals(c.getWhenUnsatisfiable())) {
                continue;
            }
            out.add(new Constraint(c.getMaxSkew() == null ? 1 : c.getMaxSkew(), c.getTopologyKey(),
                    withMatchLabelKeys(c, pod), c.getMinDomains() == null ? 1 : c.getMinDomains(),
                    !"Ignore".equals(c.getNodeAffinityPolicy()), "Honor".equals(c.getNodeTaintsPolicy())));
        }
        return out;
    }

    /** matchLabelKeys: each key the pod has becomes {@code key In (value)}, ANDed with the label selector. */
    private static LabelSelector withMatchLabelKeys(TopologySpreadConstraint c, Pod pod) {
        LabelSelector selector = c.getLabelSelector();
        if (c.getMatchLabelKeys() == null || c.getMatchLabelKeys().isEmpty()) {
            return selector;
        }
        Map<String, String> podLabels = pod.getMetadata().getLabels() == null ? Map.of()
                : pod.getMetadata().getLabels();
        List<LabelSelectorRequirement> expressions = new ArrayList<>();
        for (String key : c.getMatchLabelKeys()) {
            if (podLabels.containsKey(key)) {
                expressions.add(new LabelSelectorRequirement(key, "In", List.of(podLabels.get(key))));
            }
        }
        if (expressions.isEmpty()) {
            return selector;
        }
        if (selector == null) {
            // mergeLabelSetWithSelector over labels.Nothing() still selects nothing
            return null;
        }
        if (selector.getMatchExpressions() != null) {
            expressions.addAll(selector.getMatchExpressions());
        }
        return new LabelSelector(expressions, selector.getMatchLabels());
    }

    /** matchNodeInclusionPolicies: the pod's required node affinity, its NoSchedule/NoExecute tolerations, if Honor. */
    private static boolean included(Pod pod, Constraint c, Node node) {
        if (c.honorNodeAffinity() && !Scheduler.matchesRequiredNodeAffinity(pod, node)) {
            return false;
        }
        if (c.honorTaints() && node.getSpec() != null && node.getSpec().getTaints() != null) {
            for (Taint taint : node.getSpec().getTaints()) {
                boolean hard = "NoSchedule".equals(taint.getEffect()) || "NoExecute".equals(taint.getEffect());
                if (hard && !Tolerations.tolerated(pod, taint)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** countPodsMatchSelector: pods of the same namespace, not terminating, matching the selector. */
    private static int count(Pod pod, List<Pod> pods, Constraint c) {
        int n = 0;
        for (Pod p : pods) {
            if (!PodStates.isTerminating(p) && pod.getMetadata().getNamespace().equals(p.getMetadata().getNamespace())
                    && Selectors.matches(c.selector(), p.getMetadata().getLabels())) {
                n++;
            }
        }
        return n;
    }

    private static boolean hasAllKeys(Map<String, String> labels, List<Constraint> constraints) {
        for (Constraint c : constraints) {
            if (!labels.containsKey(c.topologyKey())) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, String> labels(Node node) {
        return node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
    }
}
