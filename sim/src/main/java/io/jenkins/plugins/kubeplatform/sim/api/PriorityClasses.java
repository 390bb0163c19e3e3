package io.jenkins.plugins.kubeplatform.sim.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.kubeplatform.sim.api.PodUpdateRules.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rules kube-apiserver v1.32 holds PriorityClasses to: API validation (pkg/apis/scheduling/validation
 * {@code ValidatePriorityClass}, {@code ValidatePriorityClassUpdate}: 422) and the Priority admission plugin's
 * {@code validatePriorityClass} (a second global default: 403).
 */
public final class PriorityClasses {

    /** {@code scheduling.HighestUserDefinablePriority}. */
    static final long HIGHEST_USER_DEFINABLE = 1_000_000_000L;
    /** {@code SystemPriorityClasses}: name to value, both with {@code globalDefault: false}. */
    static final Map<String, Long> SYSTEM = Map.of("system-node-critical", 2_000_001_000L,
            "system-cluster-critical", 2_000_000_000L);

    private PriorityClasses() {
    }

    /** The field errors of creating {@code pc} ({@code old} null) or updating {@code old} to {@code pc}. */
    public static List<FieldError> validate(JsonNode pc, JsonNode old) {
        List<FieldError> errors = new ArrayList<>();
        String name = pc.path("metadata").path("name").asText("");
        long value = pc.path("value").asLong();
        boolean globalDefault = pc.path("globalDefault").asBoolean(false);
        if (name.startsWith("system-")) {
            Long system = SYSTEM.get(name);
            String error = system == null ? name + " is not a known system priority class"
                    : system != value ? "value of " + name + " PriorityClass must be " + system
                    : globalDefault ? "globalDefault of " + name + " PriorityClass must be false" : null;
            if (error != null) {
                errors.add(new FieldError("metadata.name", FieldError.Type.FORBIDDEN, "priority class names with "
                        + "'system-' prefix are reserved for system use only. error: " + error, null));
            }
        } else if (value > HIGHEST_USER_DEFINABLE) {
            errors.add(new FieldError("value", FieldError.Type.FORBIDDEN,
                    "maximum allowed value of a user defined priority is " + HIGHEST_USER_DEFINABLE, null));
        }
        if (old != null) {
            if (old.path("value").asLong() != value) {
                errors.add(new FieldError("value", FieldError.Type.FORBIDDEN, "may not be changed in an update.",
                        null));
            }
            String policy = pc.path("preemptionPolicy").asText("");
            if (!old.path("preemptionPolicy").asText("").equals(policy)) {
                errors.add(new FieldError("preemptionPolicy", FieldError.Type.INVALID, "field is immutable",
                        "\"" + policy + "\""));
            }
        }
        return errors;
    }

    /**
     * Why {@code pc} may not be marked as the global default: another PriorityClass among {@code all} already is
     * (checked on a create, and on an update of any other class).
     */
    public static Optional<String> defaultConflict(JsonNode pc, List<JsonNode> all) {
        if (!pc.path("globalDefault").asBoolean(false)) {
            return Optional.empty();
        }
        String name = pc.path("metadata").path("name").asText("");
        return all.stream().filter(c -> c.path("globalDefault").asBoolean(false))
                .map(c -> c.path("metadata").path("name").asText())
                .filter(other -> !other.equals(name)).findFirst()
                .map(other -> "PriorityClass " + other + " is already marked as default. Only one default can exist");
    }
}
