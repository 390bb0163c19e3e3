package io.jenkins.plugins.kubeplatform.sim.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.function.Function;

/**
 * The admission plugins of a default kube-apiserver v1.32 that act on a pod create, as far as the simulation runs
 * them. Mutating first: {@code ServiceAccount} (plugin/pkg/admission/serviceaccount) sets
 * {@code spec.serviceAccountName} to {@code default} when empty, refuses a pod whose service account does not exist
 * (403 Forbidden, "error looking up service account NS/NAME: serviceaccount \"NAME\" not found") and copies the
 * account's {@code imagePullSecrets} into a pod that has none. The simulated cluster has no serviceaccounts controller
 * creating {@code default} in each namespace, so a missing {@code default} is let through (the real plugin retries that
 * one for about a second while the controller creates it).
 */
public final class PodAdmission {

    /** A create refused by an admission plugin: the HTTP code, the Status reason and the message after the name. */
    public record Refusal(int code, String reason, String cause) {
    }

    private PodAdmission() {
    }

    /**
     * Runs the mutating plugins on {@code pod} (changed in place) for a create in {@code namespace};
     * {@code serviceAccount} looks an account up by name (null when absent).
     */
    public static Optional<Refusal> mutate(String namespace, ObjectNode pod, Function<String, JsonNode> serviceAccount) {
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
        JsonNode account = serviceAccount.apply(name);
        if (account == null) {
            if (name.equals("default")) {
                return Optional.empty();
            }
            return Optional.of(new Refusal(403, "Forbidden", "error looking up service account " + namespace + "/"
                    + name + ": serviceaccount \"" + name + "\" not found"));
        }
        JsonNode secrets = account.path("imagePullSecrets");
        if (spec.path("imagePullSecrets").size() == 0 && secrets.isArray() && secrets.size() > 0) {
            ArrayNode copied = spec.putArray("imagePullSecrets");
            secrets.forEach(s -> copied.addObject().put("name", s.path("name").asText("")));
        }
        return Optional.empty();
    }
}
