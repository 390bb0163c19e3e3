package io.jenkins.plugins.kubeplatform.sim.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;

/**
 * The admission plugins of a default kube-apiserver v1.32 that act on a pod create, as far as the simulation runs
 * them. Mutating first: {@code ServiceAccount} (plugin/pkg/admission/serviceaccount) sets
 * {@code spec.serviceAccountName} to {@code default} when empty, refuses a pod whose service account does not exist
 * (403 Forbidden, "error looking up service account NS/NAME: serviceaccount \"NAME\" not found") and copies the
 * account's {@code imagePullSecrets} into a pod that has none. The simulated cluster has no serviceaccounts controller
 * creating {@code default} in each namespace, so a missing {@code default} is let through (the real plugin retries that
 * one for about a second while the controller creates it). Then {@code DefaultTolerationSeconds}
 * (plugin/pkg/admission/defaulttolerationseconds): a pod that does not tolerate the {@code not-ready} or
 * {@code unreachable} NoExecute taint (a toleration with that key or an empty key, and effect NoExecute or empty) gets
 * one for 300 s, so that its eviction from a failed node waits five minutes. Between them, in kube-apiserver's
 * order, {@code Priority} (see {@link #priority}).
 */
public final class PodAdmission {

    /** A create refused by an admission plugin: the HTTP code, the Status reason and the message after the name. */
    public record Refusal(int code, String reason, String cause) {
    }

    private static final String NOT_READY = "node.kubernetes.io/not-ready";
    private static final String UNREACHABLE = "node.kubernetes.io/unreachable";
    /** {@code --default-not-ready-toleration-seconds} and {@code --default-unreachable-toleration-seconds}. */
    private static final long DEFAULT_TOLERATION_SECONDS = 300;

    private PodAdmission() {
    }

    /** What the plugins read from the cluster: a service account of the pod's namespace, the PriorityClasses. */
    public interface Lookups {
        /** The service account {@code name} of the pod's namespace; null when absent. */
        JsonNode serviceAccount(String name);

        /** Every PriorityClass. */
        List<JsonNode> priorityClasses();
    }

    /** Runs the mutating plugins on {@code pod} (changed in place) for a create in {@code namespace}. */
    public static Optional<Refusal> mutate(String namespace, ObjectNode pod, Lookups lookups) {
        if (pod.path("metadata").path("annotations").has("kubernetes.io/config.mirror")) {
            return Optional.empty();
        }
        ObjectNode spec = pod.with("spec");
        String name = spec.path("serviceAccountName").asText("");
        if (name.isEmpty()) {
            name = spec.path("serviceAccount").asText("");
        }
        if (name.isEmpty()) {
            name = "default";
        }
        spec.put("serviceAccountName", name);
        spec.put("serviceAccount", name); // the deprecated field, which the v1 conversion mirrors
        JsonNode account = lookups.serviceAccount(name);
        if (account == null && !name.equals("default")) {
            return Optional.of(new Refusal(403, "Forbidden", "error looking up service account " + namespace + "/"
                    + name + ": serviceaccount \"" + name + "\" not found"));
        }
        JsonNode secrets = account == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance()
                : account.path("imagePullSecrets");
        if (spec.path("imagePullSecrets").size() == 0 && secrets.isArray() && secrets.size() > 0) {
            ArrayNode copied = spec.putArray("imagePullSecrets");
            secrets.forEach(s -> copied.addObject().put("name", s.path("name").asText("")));
        }
        Optional<Refusal> priority = priority(spec, lookups.priorityClasses());
        if (priority.isPresent()) {
            return priority;
        }
        defaultTolerations(spec);
        return Optional.empty();
    }

    /**
     * The {@code Priority} plugin (plugin/pkg/admission/priority, {@code admitPod} on create): the pod's
     * {@code priorityClassName} resolves to that PriorityClass's value and preemption policy (403 when there is no
     * such class); without one, the global default class's (the lowest value among those marked
     * {@code globalDefault}), else priority 0 and {@code PreemptLowerPriority}. A pod that states a different priority
     * or preemption policy itself is refused.
     */
    private static Optional<Refusal> priority(ObjectNode spec, List<JsonNode> classes) {
        String className = spec.path("priorityClassName").asText("");
        JsonNode pc = null;
        if (className.isEmpty()) {
            pc = classes.stream().filter(c -> c.path("globalDefault").asBoolean(false))
                    .min(java.util.Comparator.comparingLong(c -> c.path("value").asLong())).orElse(null);
            if (pc != null) {
                spec.put("priorityClassName", pc.path("metadata").path("name").asText());
            }
        } else {
            pc = classes.stream().filter(c -> className.equals(c.path("metadata").path("name").asText()))
                    .findFirst().orElse(null);
            if (pc == null) {
                return Optional.of(new Refusal(403, "Forbidden", "no PriorityClass with name " + className
                        + " was found"));
            }
        }
        long priority = pc == null ? 0 : pc.path("value").asLong();
        String policy = pc == null ? "PreemptLowerPriority"
                : pc.path("preemptionPolicy").asText("PreemptLowerPriority");
        if (spec.hasNonNull("priority") && spec.get("priority").asLong() != priority) {
            return Optional.of(new Refusal(403, "Forbidden", "the integer value of priority (" + spec.get("priority")
                    .asLong() + ") must not be provided in pod spec; priority admission controller computed "
                    + priority + " from the given PriorityClass name"));
        }
        if (spec.hasNonNull("preemptionPolicy") && !spec.get("preemptionPolicy").asText().equals(policy)) {
            return Optional.of(new Refusal(403, "Forbidden", "the string value of PreemptionPolicy ("
                    + spec.get("preemptionPolicy").asText() + ") must not be provided in pod spec; priority admission "
                    + "controller computed " + policy + " from the given PriorityClass name"));
        }
        spec.put("priority", priority);
        spec.put("preemptionPolicy", policy);
        return Optional.empty();
    }

    /** The {@code DefaultTolerationSeconds} plugin's two tolerations, each unless the pod already tolerates it. */
    private static void defaultTolerations(ObjectNode spec) {
        boolean notReady = false;
        boolean unreachable = false;
        for (JsonNode t : spec.path("tolerations")) {
            String key = t.path("key").asText("");
            String effect = t.path("effect").asText("");
            if (effect.isEmpty() || effect.equals("NoExecute")) {
                notReady |= key.isEmpty() || key.equals(NOT_READY);
                unreachable |= key.isEmpty() || key.equals(UNREACHABLE);
            }
        }
        if (notReady && unreachable) {
            return;
        }
        ArrayNode tolerations = spec.path("tolerations").isArray() ? (ArrayNode) spec.get("tolerations")
                : spec.putArray("tolerations");
        if (!notReady) {
            tolerations.addObject().put("key", NOT_READY).put("operator", "Exists").put("effect", "NoExecute")
                    .put("tolerationSeconds", DEFAULT_TOLERATION_SECONDS);
        }
        if (!unreachable) {
            tolerations.addObject().put("key", UNREACHABLE).put("operator", "Exists").put("effect", "NoExecute")
                    .put("tolerationSeconds", DEFAULT_TOLERATION_SECONDS);
        }
    }
}
