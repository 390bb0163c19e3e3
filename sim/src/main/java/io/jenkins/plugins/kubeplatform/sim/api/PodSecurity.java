package io.jenkins.plugins.kubeplatform.sim.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.kubeplatform.sim.api.PodSecurityChecks.Violation;
import io.jenkins.plugins.kubeplatform.sim.api.PodUpdateRules.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The validating {@code PodSecurity} admission plugin of kube-apiserver v1.32 with its default configuration (every
 * mode privileged:latest, no exemptions), k8s.io/pod-security-admission: a namespace's
 * {@code pod-security.kubernetes.io/enforce|warn[-version]} labels give its policy ({@code api/helpers.go
 * PolicyToEvaluate}, with warn defaulting to a stricter enforce level); a pod create violating the enforce level is
 * refused, one allowed by it but violating the warn level is answered with a warning; a workload's pod template is
 * only ever warned about ({@code admission/admission.go ValidatePod}, {@code ValidatePodController},
 * {@code EvaluatePod}). The audit mode has no audit log to write to here.
 */
public final class PodSecurity {

    private static final String PREFIX = "pod-security.kubernetes.io/";
    private static final Pattern VERSION = Pattern.compile("^v1\\.([0-9]|[1-9][0-9]*)$");

    /** The Pod Security Standards levels, least strict first. */
    public enum Level {
        PRIVILEGED, BASELINE, RESTRICTED;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A level at a policy version; {@code minor} is -1 for {@code latest}. */
    public record LevelVersion(Level level, int minor) {

        /** {@code LevelVersion.String}: {@code restricted:latest}, {@code baseline:v1.25}. */
        @Override
        public String toString() {
            return level.label() + ":" + (minor < 0 ? "latest" : "v1." + minor);
        }

        /** The policy version the registry evaluates: newer than it knows (or latest) means its newest. */
        int evaluated() {
            return minor < 0 || minor > PodSecurityChecks.MAX_MINOR ? PodSecurityChecks.MAX_MINOR : minor;
        }
    }

    /** A namespace's enforce and warn policy, and the label errors met resolving it. */
    public record Policy(LevelVersion enforce, LevelVersion warn, List<FieldError> errors) {
    }

    /** What the plugin answers a pod create: a refusal ("violates PodSecurity ...") or the warnings to send. */
    public record Decision(Optional<String> refusal, List<String> warnings) {
    }

    private PodSecurity() {
    }

    /** {@code PolicyToEvaluate}: an invalid level is evaluated as restricted for enforce (privileged for warn). */
    public static Policy policy(Map<String, String> labels) {
        List<FieldError> errors = new ArrayList<>();
        Level enforceLevel = Level.PRIVILEGED;
        int enforceMinor = -1;
        Level warnLevel = Level.PRIVILEGED;
        int warnMinor = -1;
        boolean hasEnforceLevel = false;
        boolean hasWarnLevel = labels.containsKey(PREFIX + "warn");
        boolean hasWarnVersion = labels.containsKey(PREFIX + "warn-version");
        if (labels.containsKey(PREFIX + "enforce")) {
            Optional<Level> level = level(labels.get(PREFIX + "enforce"), PREFIX + "enforce", errors);
            enforceLevel = level.orElse(Level.RESTRICTED);
            hasEnforceLevel = level.isPresent();
        }
        if (labels.containsKey(PREFIX + "enforce-version")) {
            enforceMinor = version(labels.get(PREFIX + "enforce-version"), PREFIX + "enforce-version", errors);
        }
        for (String mode : List.of("audit", "audit-version")) {
            if (labels.containsKey(PREFIX + mode)) {
                String value = labels.get(PREFIX + mode);
                if (mode.endsWith("-version")) {
                    version(value, PREFIX + mode, errors);
                } else {
                    level(value, PREFIX + mode, errors);
                }
            }
        }
        if (hasWarnLevel) {
            warnLevel = level(labels.get(PREFIX + "warn"), PREFIX + "warn", errors).orElse(Level.PRIVILEGED);
        }
        if (hasWarnVersion) {
            warnMinor = version(labels.get(PREFIX + "warn-version"), PREFIX + "warn-version", errors);
        }
        if (!hasWarnLevel && hasEnforceLevel && enforceLevel.compareTo(warnLevel) > 0) {
            warnLevel = enforceLevel;
            if (!hasWarnVersion) {
                warnMinor = enforceMinor;
            }
        }
        return new Policy(new LevelVersion(enforceLevel, enforceMinor), new LevelVersion(warnLevel, warnMinor),
                errors);
    }

    /**
     * {@code ValidateNamespace}: the label errors that refuse a namespace create, or an update whose errors differ
     * from those the namespace had ({@code oldLabels} null on create); empty when the write may go on.
     */
    public static List<FieldError> namespaceLabelErrors(Map<String, String> labels, Map<String, String> oldLabels) {
        List<FieldError> errors = policy(labels).errors();
        if (errors.isEmpty() || oldLabels == null) {
            return errors;
        }
        List<FieldError> old = policy(oldLabels).errors();
        return old.isEmpty() || !old.equals(errors) ? errors : List.of();
    }

    /** {@code namespaceMaxPodsToCheck} of the default configuration. */
    private static final int MAX_PODS_TO_CHECK = 3000;

    /**
     * {@code ValidateNamespace} on an update with valid labels, {@code EvaluatePodsInNamespace}: when the enforce
     * policy became stricter, the warnings about the namespace's existing {@code pods} that violate it, one per
     * distinct list of forbidden reasons, prefixed with the lexically first such pod ("NAME (and N other pods): ...").
     */
    public static List<String> namespaceWarnings(String namespace, Map<String, String> labels,
            Map<String, String> oldLabels, List<JsonNode> pods) {
        LevelVersion enforce = policy(labels).enforce();
        LevelVersion old = policy(oldLabels).enforce();
        if (enforce.equals(old) || enforce.level() == Level.PRIVILEGED
                || (enforce.minor() == old.minor() && enforce.level().compareTo(old.level()) <= 0)) {
            return List.of();
        }
        List<JsonNode> checked = prioritized(pods);
        List<String> warnings = new ArrayList<>();
        if (checked.size() > MAX_PODS_TO_CHECK) {
            warnings.add("new PodSecurity enforce level only checked against the first " + MAX_PODS_TO_CHECK
                    + " of " + checked.size() + " existing pods");
            checked = checked.subList(0, MAX_PODS_TO_CHECK);
        }
        Map<String, String> firstPod = new java.util.LinkedHashMap<>();
        Map<String, Integer> count = new java.util.HashMap<>();
        for (JsonNode pod : checked) {
            List<Violation> found = violations(enforce, pod.path("metadata"), pod.path("spec"));
            if (found.isEmpty()) {
                continue;
            }
            String reasons = found.stream().map(Violation::reason).collect(Collectors.joining(", "));
            String name = pod.path("metadata").path("name").asText("");
            firstPod.merge(reasons, name, (a, b) -> a.compareTo(b) <= 0 ? a : b);
            count.merge(reasons, 1, Integer::sum);
        }
        if (!firstPod.isEmpty()) {
            warnings.add("existing pods in namespace \"" + namespace + "\" violate the new PodSecurity enforce level \""
                    + enforce + "\"");
        }
        List<String> podWarnings = new ArrayList<>();
        firstPod.forEach((reasons, name) -> {
            int n = count.get(reasons);
            podWarnings.add(name + (n == 1 ? "" : n == 2 ? " (and 1 other pod)" : " (and " + (n - 1)
                    + " other pods)") + ": " + reasons);
        });
        podWarnings.sort(null);
        warnings.addAll(podWarnings);
        return warnings;
    }

    /** {@code prioritizePods}: one pod per controller first, the other replicas after them. */
    private static List<JsonNode> prioritized(List<JsonNode> pods) {
        List<JsonNode> first = new ArrayList<>();
        List<JsonNode> duplicates = new ArrayList<>();
        java.util.Set<String> controllers = new java.util.HashSet<>();
        for (JsonNode pod : pods) {
            String controller = null;
            for (JsonNode ref : pod.path("metadata").path("ownerReferences")) {
                if (ref.path("controller").asBoolean(false)) {
                    controller = ref.path("uid").asText("");
                }
            }
            if (controller == null || controllers.add(controller)) {
                first.add(pod);
            } else {
                duplicates.add(pod);
            }
        }
        first.addAll(duplicates);
        return first;
    }

    /** {@code ValidatePod} on a create ({@code EvaluatePod} with enforce): the pod as it would be stored. */
    public static Decision pod(Map<String, String> labels, JsonNode pod) {
        Policy policy = policy(labels);
        JsonNode meta = pod.path("metadata");
        JsonNode spec = pod.path("spec");
        List<Violation> refused = violations(policy.enforce(), meta, spec);
        if (!refused.isEmpty()) {
            return new Decision(Optional.of("violates PodSecurity \"" + policy.enforce() + "\": " + join(refused)),
                    List.of());
        }
        return new Decision(Optional.empty(), warnings(policy.warn(), meta, spec));
    }

    /** Whether {@code DefaultPodSpecExtractor} finds a pod template in this kind (pods aside). */
    public static boolean hasPodTemplate(String group, String resource) {
        return switch (group + "/" + resource) {
            case "/podtemplates", "/replicationcontrollers", "apps/replicasets", "apps/deployments",
                    "apps/statefulsets", "apps/daemonsets", "batch/jobs", "batch/cronjobs" -> true;
            default -> false;
        };
    }

    /**
     * {@code isSignificantPodUpdate}: an update is evaluated only when the number of containers or init containers,
     * an image, a container's seccomp annotation or the ephemeral containers (one added, or its image) changed.
     */
    public static boolean significantPodUpdate(JsonNode pod, JsonNode old) {
        JsonNode spec = pod.path("spec");
        JsonNode oldSpec = old.path("spec");
        for (String list : List.of("containers", "initContainers")) {
            if (spec.path(list).size() != oldSpec.path(list).size()) {
                return true;
            }
        }
        for (String list : List.of("containers", "initContainers")) {
            for (int i = 0; i < spec.path(list).size(); i++) {
                if (significantContainerUpdate(spec.path(list).get(i), oldSpec.path(list).get(i), pod, old)) {
                    return true;
                }
            }
        }
        for (JsonNode c : spec.path("ephemeralContainers")) {
            JsonNode oldC = null;
            for (JsonNode o : oldSpec.path("ephemeralContainers")) {
                if (o.path("name").asText("").equals(c.path("name").asText(""))) {
                    oldC = o;
                    break;
                }
            }
            if (oldC == null || significantContainerUpdate(c, oldC, pod, old)) {
                return true;
            }
        }
        return false;
    }

    private static boolean significantContainerUpdate(JsonNode c, JsonNode oldC, JsonNode pod, JsonNode old) {
        if (!c.path("image").asText("").equals(oldC.path("image").asText(""))) {
            return true;
        }
        String key = "container.seccomp.security.alpha.kubernetes.io/" + c.path("name").asText("");
        return !pod.path("metadata").path("annotations").path(key).asText("")
                .equals(old.path("metadata").path("annotations").path(key).asText(""));
    }

    /**
     * {@code ValidatePodController}: the warnings for a write of a workload kind that has a pod template
     * ({@code DefaultPodSpecExtractor}); nothing for other kinds or a ReplicationController without a template.
     */
    public static List<String> template(Map<String, String> labels, String group, String resource, JsonNode object) {
        if (!hasPodTemplate(group, resource)) {
            return List.of();
        }
        JsonNode template = switch (resource) {
            case "podtemplates" -> object.path("template");
            case "cronjobs" -> object.path("spec").path("jobTemplate").path("spec").path("template");
            default -> object.path("spec").path("template");
        };
        if (resource.equals("replicationcontrollers") && (template.isMissingNode() || template.isNull())) {
            return List.of();
        }
        return warnings(policy(labels).warn(), template.path("metadata"), template.path("spec"));
    }

    private static List<String> warnings(LevelVersion warn, JsonNode meta, JsonNode spec) {
        List<Violation> found = violations(warn, meta, spec);
        return found.isEmpty() ? List.of() : List.of("would violate PodSecurity \"" + warn + "\": " + join(found));
    }

    private static List<Violation> violations(LevelVersion lv, JsonNode meta, JsonNode spec) {
        if (lv.level() == Level.PRIVILEGED) {
            return List.of();
        }
        return PodSecurityChecks.evaluate(lv.level() == Level.RESTRICTED, lv.evaluated(), meta, spec);
    }

    private static String join(List<Violation> violations) {
        return violations.stream().map(Violation::toString).collect(Collectors.joining(", "));
    }

    /** {@code ParseLevel}; an invalid value is recorded and answered empty. */
    private static Optional<Level> level(String value, String label, List<FieldError> errors) {
        for (Level l : Level.values()) {
            if (l.label().equals(value)) {
                return Optional.of(l);
            }
        }
        errors.add(invalid(label, value, "must be one of privileged, baseline, restricted"));
        return Optional.empty();
    }

    /** {@code ParseVersion}: the minor, or -1 for latest (also after an invalid value, which is recorded). */
    private static int version(String value, String label, List<FieldError> errors) {
        if (value.equals("latest")) {
            return -1;
        }
        Matcher m = VERSION.matcher(value);
        if (m.matches()) {
            try {
                return Integer.parseInt(m.group(1));
            } catch (NumberFormatException tooLarge) {
                // strconv.Atoi fails on it the same way
            }
        }
        errors.add(invalid(label, value, "must be \"latest\" or \"v1.x\""));
        return -1;
    }

    private static FieldError invalid(String label, String value, String detail) {
        return new FieldError("metadata.labels[" + label + "]", FieldError.Type.INVALID, detail,
                PodSecurityChecks.goQuote(value));
    }
}
