package io.jenkins.plugins.kubeplatform.sim.controllers;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import io.jenkins.plugins.kubeplatform.sim.model.Selectors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * kube-scheduler's {@code InterPodAffinity} plugin (pkg/scheduler/framework/plugins/interpodaffinity): the filter for
 * required pod affinity and anti-affinity, both the incoming pod's terms and the required anti-affinity of pods
 * already on nodes (the symmetric check), and the score for preferred terms. Computed once per scheduling attempt
 * from the pods bound or assumed on nodes, as the plugin's PreFilter and PreScore do.
 */
final class InterPodAffinity {

    static final String AFFINITY_RULES_NOT_MATCH = "node(s) didn't match pod affinity rules";
    static final String ANTI_AFFINITY_RULES_NOT_MATCH = "node(s) didn't match pod anti-affinity rules";
    static final String EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH =
            "node(s) didn't satisfy existing pods anti-affinity rules";
    /** The plugin's default {@code hardPodAffinityWeight}: an existing pod's required affinity counts as this. */
    private static final int HARD_POD_AFFINITY_WEIGHT = 1;

    private record TopologyPair(String key, String value) {
    }

    /**
     * One processed {@code PodAffinityTerm}: the namespaces it covers (its own list, or the owner's namespace when both
     * the list and the namespace selector are empty), the namespace selector, and the label selector with
     * {@code matchLabelKeys}/{@code mismatchLabelKeys} merged in from the owner's labels (what kube-apiserver v1.32
     * does to the stored pod when it is created).
     */
    private record Term(Set<String> namespaces, LabelSelector namespaceSelector, LabelSelector selector,
            String topologyKey, int weight) {

        boolean matches(Pod pod, Map<String, String> namespaceLabels) {
            boolean inNamespace = namespaces.contains(pod.getMetadata().getNamespace())
                    || (namespaceSelector != null && Selectors.matches(namespaceSelector, namespaceLabels));
            return inNamespace && Selectors.matches(selector, pod.getMetadata().getLabels());
        }
    }

    private final Pod pod;
    private final List<Term> affinity;
    private final List<Term> antiAffinity;
    private final Map<TopologyPair, Long> affinityCounts = new HashMap<>();
    private final Map<TopologyPair, Long> antiAffinityCounts = new HashMap<>();
    private final Map<TopologyPair, Long> existingAntiAffinityCounts = new HashMap<>();
    private final Map<TopologyPair, Long> preferredScores = new HashMap<>();

    /**
     * The PreFilter/PreScore state for POD. PLACED maps each node name to the pods bound or assumed on it (finished
     * pods and POD itself left out); NAMESPACES maps each namespace name to its labels.
     */
    InterPodAffinity(Pod pod, List<Node> nodes, Map<String, List<Pod>> placed,
            Map<String, Map<String, String>> namespaces) {
        this.pod = pod;
        var spec = pod.getSpec().getAffinity();
        var podAffinity = spec == null ? null : spec.getPodAffinity();
        var podAntiAffinity = spec == null ? null : spec.getPodAntiAffinity();
        this.affinity = resolveNamespaces(terms(pod,
                podAffinity == null ? null : podAffinity.getRequiredDuringSchedulingIgnoredDuringExecution()),
                namespaces);
        this.antiAffinity = resolveNamespaces(terms(pod, podAntiAffinity == null ? null
                : podAntiAffinity.getRequiredDuringSchedulingIgnoredDuringExecution()), namespaces);
        List<Term> preferred = resolveNamespaces(weighted(pod,
                podAffinity == null ? null : podAffinity.getPreferredDuringSchedulingIgnoredDuringExecution()),
                namespaces);
        List<Term> preferredAnti = resolveNamespaces(weighted(pod, podAntiAffinity == null ? null
                : podAntiAffinity.getPreferredDuringSchedulingIgnoredDuringExecution()), namespaces);
        Map<String, String> ownNamespaceLabels = namespaces.getOrDefault(pod.getMetadata().getNamespace(), Map.of());
        for (Node node : nodes) {
            for (Pod existing : placed.getOrDefault(node.getMetadata().getName(), List.of())) {
                var existingAffinity = existing.getSpec().getAffinity();
                var existingPodAffinity = existingAffinity == null ? null : existingAffinity.getPodAffinity();
                var existingAnti = existingAffinity == null ? null : existingAffinity.getPodAntiAffinity();
                if (existingAnti != null) {
                    for (Term t : terms(existing, existingAnti.getRequiredDuringSchedulingIgnoredDuringExecution())) {
                        if (t.matches(pod, ownNamespaceLabels)) {
                            add(existingAntiAffinityCounts, node, t.topologyKey(), 1);
                        }
                    }
                }
                if (matchesAll(affinity, existing)) {
                    for (Term t : affinity) {
                        add(affinityCounts, node, t.topologyKey(), 1);
                    }
                }
                for (Term t : antiAffinity) {
                    if (t.matches(existing, Map.of())) {
                        add(antiAffinityCounts, node, t.topologyKey(), 1);
                    }
                }
                // scoring.go processExistingPod: the incoming pod's preferred terms, then the existing pod's
                // required affinity (hardPodAffinityWeight) and preferred terms towards the incoming pod
                for (Term t : preferred) {
                    if (t.matches(existing, Map.of())) {
                        add(preferredScores, node, t.topologyKey(), t.weight());
                    }
                }
                for (Term t : preferredAnti) {
                    if (t.matches(existing, Map.of())) {
                        add(preferredScores, node, t.topologyKey(), -t.weight());
                    }
                }
                if (existingPodAffinity != null) {
                    for (Term t : terms(existing,
                            existingPodAffinity.getRequiredDuringSchedulingIgnoredDuringExecution())) {
                        if (t.matches(pod, ownNamespaceLabels)) {
                            add(preferredScores, node, t.topologyKey(), HARD_POD_AFFINITY_WEIGHT);
                        }
                    }
                    for (Term t : weighted(existing,
                            existingPodAffinity.getPreferredDuringSchedulingIgnoredDuringExecution())) {
                        if (t.matches(pod, ownNamespaceLabels)) {
                            add(preferredScores, node, t.topologyKey(), t.weight());
                        }
                    }
                }
                if (existingAnti != null) {
                    for (Term t : weighted(existing,
                            existingAnti.getPreferredDuringSchedulingIgnoredDuringExecution())) {
                        if (t.matches(pod, ownNamespaceLabels)) {
                            add(preferredScores, node, t.topologyKey(), -t.weight());
                        }
                    }
                }
            }
        }
    }

    /** Empty if NODE passes the filter, else the plugin's reason (the three checks in the plugin's order). */
    Optional<String> filter(Node node) {
        Map<String, String> labels = labels(node);
        if (!satisfiesAffinity(labels)) {
            return Optional.of(AFFINITY_RULES_NOT_MATCH);
        }
        for (Term t : antiAffinity) {
            String value = labels.get(t.topologyKey());
            if (value != null && antiAffinityCounts.getOrDefault(new TopologyPair(t.topologyKey(), value), 0L) > 0) {
                return Optional.of(ANTI_AFFINITY_RULES_NOT_MATCH);
            }
        }
        for (var e : labels.entrySet()) {
            if (existingAntiAffinityCounts.getOrDefault(new TopologyPair(e.getKey(), e.getValue()), 0L) > 0) {
                return Optional.of(EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH);
            }
        }
        return Optional.empty();
    }


    /**
     * satisfyPodAffinity: every term's topology key on the node, and matching pods in each of those domains; or, when
     * no pod anywhere matches and the pod matches its own terms, anywhere (the first pod of a group).
     */
    private boolean satisfiesAffinity(Map<String, String> labels) {
        boolean podsExist = true;
        for (Term t : affinity) {
            String value = labels.get(t.topologyKey());
            if (value == null) {
                return false;
            }
            if (affinityCounts.getOrDefault(new TopologyPair(t.topologyKey(), value), 0L) <= 0) {
                podsExist = false;
            }
        }
        return podsExist || (affinityCounts.isEmpty() && matchesAll(affinity, pod));
    }

    /** The raw score: the sum of the weights recorded for each of the node's topology pairs (scoring.go Score). */
    long rawScore(Node node) {
        long score = 0;
        for (var e : labels(node).entrySet()) {
            score += preferredScores.getOrDefault(new TopologyPair(e.getKey(), e.getValue()), 0L);
        }
        return score;
    }

    /** Whether any preferred term applies (otherwise the plugin's score is skipped: 0 everywhere). */
    boolean scores() {
        return !preferredScores.isEmpty();
    }

    private static boolean matchesAll(List<Term> terms, Pod p) {
        if (terms.isEmpty()) {
            return false;
        }
        for (Term t : terms) {
            if (!t.matches(p, Map.of())) {
                return false;
            }
        }
        return true;
    }

    private static void add(Map<TopologyPair, Long> counts, Node node, String key, long value) {
        String v = labels(node).get(key);
        if (v != null) {
            counts.merge(new TopologyPair(key, v), value, Long::sum);
        }
    }

    private static Map<String, String> labels(Node node) {
        return node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
    }

    private static List<Term> terms(Pod owner, List<PodAffinityTerm> terms) {
        List<Term> out = new ArrayList<>();
        if (terms != null) {
            for (PodAffinityTerm t : terms) {
                out.add(term(owner, t, 0));
            }
        }
        return out;
    }

    private static List<Term> weighted(Pod owner, List<WeightedPodAffinityTerm> terms) {
        List<Term> out = new ArrayList<>();
        if (terms != null) {
            for (WeightedPodAffinityTerm w : terms) {
                if (w.getPodAffinityTerm() != null) {
                    out.add(term(owner, w.getPodAffinityTerm(), w.getWeight() == null ? 0 : w.getWeight()));
                }
            }
        }
        return out;
    }

    private static Term term(Pod owner, PodAffinityTerm t, int weight) {
        Set<String> namespaces = new HashSet<>();
        boolean listed = t.getNamespaces() != null && !t.getNamespaces().isEmpty();
        if (!listed && t.getNamespaceSelector() == null) {
            namespaces.add(owner.getMetadata().getNamespace());
        } else if (listed) {
            namespaces.addAll(t.getNamespaces());
        }
        return new Term(namespaces, t.getNamespaceSelector(), withLabelKeys(t, owner), t.getTopologyKey(), weight);
    }

    /** applyMatchLabelKeysAndMismatchLabelKeys: key In (value) / key NotIn (value) from the owner's labels. */
    private static LabelSelector withLabelKeys(PodAffinityTerm t, Pod owner) {
        LabelSelector selector = t.getLabelSelector();
        boolean keys = (t.getMatchLabelKeys() != null && !t.getMatchLabelKeys().isEmpty())
                || (t.getMismatchLabelKeys() != null && !t.getMismatchLabelKeys().isEmpty());
        if (selector == null || !keys) {
            return selector;
        }
        Map<String, String> ownerLabels = owner.getMetadata().getLabels() == null ? Map.of()
                : owner.getMetadata().getLabels();
        List<LabelSelectorRequirement> expressions = selector.getMatchExpressions() == null ? new ArrayList<>()
                : new ArrayList<>(selector.getMatchExpressions());
        appendKeys(expressions, t.getMatchLabelKeys(), "In", ownerLabels);
        appendKeys(expressions, t.getMismatchLabelKeys(), "NotIn", ownerLabels);
        return new LabelSelector(expressions, selector.getMatchLabels() == null ? null
                : new LinkedHashMap<>(selector.getMatchLabels()));
    }

    private static void appendKeys(List<LabelSelectorRequirement> expressions, List<String> keys, String operator,
            Map<String, String> ownerLabels) {
        if (keys == null) {
            return;
        }
        for (String key : keys) {
            String value = ownerLabels.get(key);
            if (value != null) {
                expressions.add(new LabelSelectorRequirement(key, operator, List.of(value)));
            }
        }
    }

    /**
     * mergeAffinityTermNamespacesIfNotEmpty: the incoming pod's namespace selector becomes the names of the namespaces
     * it selects now, so its terms are matched against existing pods by namespace name alone.
     */
    private static List<Term> resolveNamespaces(List<Term> terms, Map<String, Map<String, String>> namespaces) {
        List<Term> out = new ArrayList<>(terms.size());
        for (Term t : terms) {
            if (t.namespaceSelector() == null) {
                out.add(t);
                continue;
            }
            Set<String> names = new HashSet<>(t.namespaces());
            namespaces.forEach((name, labels) -> {
                if (Selectors.matches(t.namespaceSelector(), labels)) {
                    names.add(name);
                }
            });
            out.add(new Term(names, null, t.selector(), t.topologyKey(), t.weight()));
        }
        return out;
    }
}
