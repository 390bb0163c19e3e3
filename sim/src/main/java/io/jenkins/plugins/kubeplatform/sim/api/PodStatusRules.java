package io.jenkins.plugins.kubeplatform.sim.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.kubeplatform.sim.api.PodUpdateRules.FieldError;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What kube-apiserver v1.32 refuses in a write of {@code pods/<name>/status} ({@code podStatusStrategy.ValidateUpdate}
 * in pkg/registry/core/pod/strategy.go calls {@code ValidatePodStatusUpdate} in pkg/apis/core/validation/validation.go),
 * in the order it lists them: a custom condition type that is not a qualified name (reported, as the server does,
 * under {@code metadata.conditions}), a new {@code nominatedNodeName} that is not a node name, a changed
 * {@code qosClass}, a terminated container going back to a non-terminated state when the pod's restart policy would
 * not restart it ({@code ValidateContainerStateTransition} and its init-container and ephemeral-container variants),
 * and pod and host IP lists that are not valid IPs, hold more than one IP of a family, or repeat one
 * ({@code validatePodIPs}, {@code validateHostIPs}). The pod phase is not checked: v1.32 lets a status write move it
 * anywhere. Checked on the object as it would be stored, after {@link StatusSubresource#statusWrite}.
 */
public final class PodStatusRules {

    private static final Set<String> SYSTEM_CONDITIONS = Set.of("PodScheduled", "Ready", "Initialized");
    private static final String QUALIFIED_NAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    private static final Pattern QUALIFIED_NAME = Pattern.compile(QUALIFIED_NAME_FMT);
    private static final String QUALIFIED_NAME_ERROR = "must consist of alphanumeric characters, '-', '_' or '.', "
            + "and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', "
            + "regex used for validation is '" + QUALIFIED_NAME_FMT + "')";
    private static final String SUBDOMAIN_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
    private static final Pattern SUBDOMAIN = Pattern.compile(SUBDOMAIN_FMT);
    private static final String SUBDOMAIN_ERROR = "a lowercase RFC 1123 subdomain must consist of lower case "
            + "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. "
            + "'example.com', regex used for validation is '" + SUBDOMAIN_FMT + "')";
    static final String NOT_AN_IP = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)";
    static final String ONE_PER_FAMILY = "may specify no more than one IP for each IP family";
    static final String STAYS_TERMINATED = "may not be transitioned to non-terminated state";

    private PodStatusRules() {
    }

    /** The errors of a status write turning {@code oldPod} into {@code newPod}; empty when it is allowed. */
    public static List<FieldError> check(JsonNode oldPod, JsonNode newPod) {
        JsonNode status = newPod.path("status");
        JsonNode oldStatus = oldPod.path("status");
        List<FieldError> errors = new ArrayList<>();
        conditionErrors(status.path("conditions"), errors);
        String nominated = status.path("nominatedNodeName").asText("");
        if (!nominated.equals(oldStatus.path("nominatedNodeName").asText("")) && !nominated.isEmpty()) {
            for (String message : subdomainErrors(nominated)) {
                errors.add(invalid("status.nominatedNodeName", quote(nominated), message));
            }
        }
        String qos = status.path("qosClass").asText("");
        if (!qos.equals(oldStatus.path("qosClass").asText(""))) {
            errors.add(invalid("status.qosClass", quote(qos), "field is immutable"));
        }
        JsonNode oldSpec = oldPod.path("spec");
        String policy = oldSpec.path("restartPolicy").asText("");
        transitionErrors(status.path("containerStatuses"), oldStatus.path("containerStatuses"),
                "status.containerStatuses", policy, Set.of(), errors);
        Set<String> restartable = new HashSet<>();
        for (JsonNode c : oldSpec.path("initContainers")) {
            if (c.path("restartPolicy").asText("").equals("Always")) {
                restartable.add(c.path("name").asText(""));
            }
        }
        transitionErrors(status.path("initContainerStatuses"), oldStatus.path("initContainerStatuses"),
                "status.initContainerStatuses", policy, restartable, errors);
        transitionErrors(status.path("ephemeralContainerStatuses"), oldStatus.path("ephemeralContainerStatuses"),
                "status.ephemeralContainerStatuses", "Never", Set.of(), errors);
        ipErrors(status.path("podIPs"), "status.podIPs", "core.PodIP", false, errors);
        if (status.path("hostIPs").size() > 0) {
            String first = status.path("hostIPs").path(0).path("ip").asText("");
            if (!status.path("hostIP").asText("").equals(first)) {
                errors.add(invalid("status.hostIPs[0].ip", quote(first), "must be equal to `hostIP`"));
            }
            ipErrors(status.path("hostIPs"), "status.hostIPs", "core.HostIP", true, errors);
        }
        return errors;
    }

    /** {@code validatePodConditions}: its path starts at {@code metadata}, as the server builds it. */
    private static void conditionErrors(JsonNode conditions, List<FieldError> errors) {
        for (int i = 0; i < conditions.size(); i++) {
            String type = conditions.get(i).path("type").asText("");
            if (SYSTEM_CONDITIONS.contains(type)) {
                continue;
            }
            for (String message : qualifiedNameErrors(type)) {
                errors.add(invalid("metadata.conditions[" + i + "].Type", quote(type), message));
            }
        }
    }

    /**
     * {@code ValidateContainerStateTransition}: under restart policy Always nothing; otherwise each terminated old
     * status (but one that failed under OnFailure, or a restartable init container's) whose container is now not
     * terminated is refused, at the old status's index.
     */
    private static void transitionErrors(JsonNode now, JsonNode before, String path, String policy,
            Set<String> restartable, List<FieldError> errors) {
        if (policy.equals("Always")) {
            return;
        }
        for (int i = 0; i < before.size(); i++) {
            JsonNode old = before.get(i);
            JsonNode terminated = old.path("state").get("terminated");
            if (terminated == null || terminated.isNull()) {
                continue;
            }
            if (terminated.path("exitCode").asLong(0) != 0 && policy.equals("OnFailure")) {
                continue;
            }
            String name = old.path("name").asText("");
            if (restartable.contains(name)) {
                continue;
            }
            for (JsonNode status : now) {
                JsonNode stillTerminated = status.path("state").get("terminated");
                if (status.path("name").asText("").equals(name)
                        && (stillTerminated == null || stillTerminated.isNull())) {
                    errors.add(new FieldError(path + "[" + i + "].state", FieldError.Type.FORBIDDEN,
                            STAYS_TERMINATED, null));
                }
            }
        }
    }

    /**
     * {@code validatePodIPs} and {@code validateHostIPs}: each a valid IP; with more than one, no repeats and at most
     * one per family. The host IPs are checked for repeats before the families, the pod IPs after, as the server does.
     */
    private static void ipErrors(JsonNode list, String path, String goType, boolean repeatsFirst,
            List<FieldError> errors) {
        List<String> ips = new ArrayList<>();
        list.forEach(entry -> ips.add(entry.path("ip").asText("")));
        boolean allValid = true;
        for (int i = 0; i < ips.size(); i++) {
            if (SloppyIp.parse(ips.get(i)).isEmpty()) {
                errors.add(invalid(path + "[" + i + "]", quote(ips.get(i)), NOT_AN_IP));
                allValid = false;
            }
        }
        if (ips.size() < 2) {
            return;
        }
        if (repeatsFirst) {
            repeatErrors(ips, path, goType, errors);
        }
        boolean v4 = false;
        boolean v6 = false;
        for (String ip : ips) {
            Optional<byte[]> parsed = SloppyIp.parse(ip);
            v4 |= parsed.map(SloppyIp::isIpv4).orElse(false);
            v6 |= parsed.map(p -> !SloppyIp.isIpv4(p)).orElse(false);
        }
        if (!allValid || !v4 || !v6 || ips.size() > 2) {
            List<String> values = ips.stream().map(ip -> goType + "{IP:" + quote(ip) + "}").toList();
            errors.add(invalid(path, "[]" + goType + "{" + String.join(", ", values) + "}", ONE_PER_FAMILY));
        }
        if (!repeatsFirst) {
            repeatErrors(ips, path, goType, errors);
        }
    }

    private static void repeatErrors(List<String> ips, String path, String goType, List<FieldError> errors) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < ips.size(); i++) {
            if (!seen.add(ips.get(i))) {
                errors.add(new FieldError(path + "[" + i + "]", FieldError.Type.DUPLICATE, "",
                        goType + "{IP:" + quote(ips.get(i)) + "}"));
            }
        }
    }

    /** apimachinery {@code IsQualifiedName}: an optional DNS subdomain prefix and {@code /}, then a name. */
    static List<String> qualifiedNameErrors(String value) {
        List<String> errors = new ArrayList<>();
        String[] parts = value.split("/", -1);
        if (parts.length > 2) {
            errors.add("a qualified name " + QUALIFIED_NAME_ERROR
                    + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
            return errors;
        }
        String name = parts[parts.length - 1];
        if (parts.length == 2) {
            if (parts[0].isEmpty()) {
                errors.add("prefix part must be non-empty");
            } else {
                subdomainErrors(parts[0]).forEach(m -> errors.add("prefix part " + m));
            }
        }
        if (name.isEmpty()) {
            errors.add("name part must be non-empty");
        } else if (name.length() > 63) {
            errors.add("name part must be no more than 63 characters");
        }
        if (!QUALIFIED_NAME.matcher(name).matches()) {
            errors.add("name part " + QUALIFIED_NAME_ERROR);
        }
        return errors;
    }

    /** apimachinery {@code IsDNS1123Subdomain}, which {@code ValidateNodeName} applies. */
    static List<String> subdomainErrors(String value) {
        List<String> errors = new ArrayList<>();
        if (value.length() > 253) {
            errors.add("must be no more than 253 characters");
        }
        if (!SUBDOMAIN.matcher(value).matches()) {
            errors.add(SUBDOMAIN_ERROR);
        }
        return errors;
    }

    private static FieldError invalid(String field, String value, String detail) {
        return new FieldError(field, FieldError.Type.INVALID, detail, value);
    }

    /** Go's {@code %q} of a string, as {@code field.Error} prints a string value. */
    static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> out.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
            }
        }
        return out.append('"').toString();
    }
}
