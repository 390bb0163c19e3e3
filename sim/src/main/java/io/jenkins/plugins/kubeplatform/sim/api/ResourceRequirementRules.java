package io.jenkins.plugins.kubeplatform.sim.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.kubeplatform.sim.api.PodUpdateRules.FieldError;
import io.jenkins.plugins.kubeplatform.sim.quota.KubeQuantity;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The request-within-limit rules of kube-apiserver v1.32 {@code ValidateResourceRequirements}
 * (pkg/apis/core/validation/validation.go), which {@code ValidatePodSpec} applies to every container and init
 * container of a pod and of a workload's pod template: a request above the container's limit of the same resource is
 * {@code FIELD.resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1}, both quantities
 * in canonical form ({@code Quantity.String()}); a resource that cannot be overcommitted (an extended resource such as
 * {@code nvidia.com/gpu}, huge pages) needs a limit ({@code FIELD.resources.limits: Required value: Limit must be set
 * for non overcommitable resources}) equal to its request ({@code must be equal to nvidia.com/gpu limit of 1}). The
 * field is the {@code requests} map itself, not its key, as the real errors name it.
 */
public final class ResourceRequirementRules {

    private ResourceRequirementRules() {
    }

    /**
     * The errors of the pod spec {@code spec} found at {@code specPath} ({@code spec} for a pod,
     * {@code spec.template.spec} for a Deployment): containers, then init containers, as {@code ValidatePodSpec} checks
     * them; within a container in resource name order (the server walks a map, in no fixed order).
     */
    public static List<FieldError> check(JsonNode spec, String specPath) {
        List<FieldError> errors = new ArrayList<>();
        for (String list : List.of("containers", "initContainers")) {
            JsonNode containers = spec.path(list);
            for (int i = 0; i < containers.size(); i++) {
                requestsWithinLimits(containers.get(i).path("resources"),
                        specPath + "." + list + "[" + i + "].resources.requests", errors);
            }
        }
        return errors;
    }

    /**
     * The errors of the pod template of a workload ({@code spec.template.spec}; a CronJob's
     * {@code spec.jobTemplate.spec.template.spec}, a PodTemplate's {@code template.spec}); none for other kinds.
     */
    public static List<FieldError> template(String group, String resource, JsonNode object) {
        String path = switch (group + "/" + resource) {
            case "/podtemplates" -> "template.spec";
            case "batch/cronjobs" -> "spec.jobTemplate.spec.template.spec";
            case "/replicationcontrollers", "apps/replicasets", "apps/deployments", "apps/statefulsets",
                    "apps/daemonsets", "batch/jobs" -> "spec.template.spec";
            default -> null;
        };
        if (path == null) {
            return List.of();
        }
        JsonNode spec = object;
        for (String step : path.split("\\.")) {
            spec = spec.path(step);
        }
        return check(spec, path);
    }

    private static void requestsWithinLimits(JsonNode resources, String field, List<FieldError> errors) {
        JsonNode requests = resources.path("requests");
        JsonNode limits = resources.path("limits");
        TreeSet<String> names = new TreeSet<>();
        requests.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            Optional<KubeQuantity> request = KubeQuantity.parse(requests.get(name).asText());
            if (!limits.has(name)) {
                if (!overcommitAllowed(name)) {
                    errors.add(new FieldError(field.substring(0, field.length() - "requests".length()) + "limits",
                            FieldError.Type.REQUIRED, "Limit must be set for non overcommitable resources", null));
                }
                continue;
            }
            Optional<KubeQuantity> limit = KubeQuantity.parse(limits.get(name).asText());
            if (request.isEmpty() || limit.isEmpty()) {
                continue;
            }
            int compared = request.get().compareTo(limit.get());
            if (compared != 0 && !overcommitAllowed(name)) {
                errors.add(new FieldError(field, FieldError.Type.INVALID, "must be equal to " + name + " limit of "
                        + limit.get(), "\"" + request.get() + "\""));
            } else if (compared > 0) {
                errors.add(new FieldError(field, FieldError.Type.INVALID, "must be less than or equal to " + name
                        + " limit of " + limit.get(), "\"" + request.get() + "\""));
            }
        }
    }

    /**
     * {@code helper.IsOvercommitAllowed}: native resources ({@code cpu}, {@code memory}, anything without a domain or
     * in {@code kubernetes.io/}) but not huge pages; an extended resource's request must equal its limit.
     */
    private static boolean overcommitAllowed(String name) {
        boolean nativeResource = !name.contains("/") || name.contains("kubernetes.io/");
        return nativeResource && !name.startsWith("hugepages-");
    }
}
