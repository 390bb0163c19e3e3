package io.jenkins.plugins.kubeplatform.sim.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The checks of kube-apiserver v1.32 {@code ValidatePodCreate} (pkg/apis/core/validation/validation.go) that the
 * simulation enforces: no container may request more than its limit ({@link ResourceRequirementRules}, part of
 * {@code ValidatePodSpec}), and a pod cannot be created bound to a node ({@code spec.nodeName}) while it has
 * scheduling gates.
 */
public final class PodCreateRules {

    private PodCreateRules() {
    }

    /** The field errors a create of {@code pod} meets, in the order the server lists them; empty when valid. */
    public static List<PodUpdateRules.FieldError> check(JsonNode pod) {
        JsonNode spec = pod.path("spec");
        List<PodUpdateRules.FieldError> errors = new ArrayList<>(ResourceRequirementRules.check(spec, "spec"));
        if (!spec.path("nodeName").asText("").isEmpty() && spec.path("schedulingGates").size() > 0) {
            errors.add(new PodUpdateRules.FieldError("spec.nodeName", PodUpdateRules.FieldError.Type.FORBIDDEN,
                    "cannot be set until all schedulingGates have been cleared", null));
        }
        return errors;
    }
}
