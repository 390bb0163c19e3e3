package io.jenkins.plugins.kubeplatform.sim.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The warnings kube-apiserver v1.32's registry adds to a write of a pod or of a workload's pod template, before
 * admission runs ({@code rest.BeforeCreate}/{@code BeforeUpdate} call the strategy's {@code WarningsOnCreate}/
 * {@code WarningsOnUpdate}): pkg/api/pod/warnings.go {@code warningsForPodSpecAndMeta}, the part about annotations
 * that no longer do anything. The annotation keys and texts are the real ones; the field paths are {@code field.Path}
 * strings (a key in brackets, unquoted). Other checks of that function (deprecated node labels, volume plugins,
 * duplicate env names and ports, fractional byte values) are not simulated.
 */
public final class PodWarnings {

    private static final String SECCOMP_POD = "seccomp.security.alpha.kubernetes.io/pod";
    private static final String SECCOMP_CONTAINER = "container.seccomp.security.alpha.kubernetes.io/";
    private static final String USE_SECCOMP_FIELD = "non-functional in v1.27+; use the \"seccompProfile\" field instead";

    /** {@code deprecatedAnnotations}: key and message, in the source's order. */
    private static final List<String[]> DEPRECATED = List.of(
            new String[] {"scheduler.alpha.kubernetes.io/critical-pod",
                "non-functional in v1.16+; use the \"priorityClassName\" field instead"},
            new String[] {"security.alpha.kubernetes.io/sysctls",
                "non-functional in v1.11+; use the \"sysctls\" field instead"},
            new String[] {"security.alpha.kubernetes.io/unsafe-sysctls",
                "non-functional in v1.11+; use the \"sysctls\" field instead"});

    private PodWarnings() {
    }

    /** {@code GetWarningsForPod}: a pod's own warnings (no field path prefix). */
    public static List<String> pod(JsonNode pod) {
        return warnings("", pod.path("metadata"), pod.path("spec"));
    }

    /**
     * {@code GetWarningsForPodTemplate} as the workload strategies call it: the template's path is
     * {@code spec.template} (Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, ReplicationController),
     * {@code spec.jobTemplate.spec.template} (CronJob) or {@code template} (PodTemplate). Nothing for other kinds.
     */
    public static List<String> template(String group, String resource, JsonNode object) {
        if (!PodSecurity.hasPodTemplate(group, resource)) {
            return List.of();
        }
        String path = switch (resource) {
            case "podtemplates" -> "template";
            case "cronjobs" -> "spec.jobTemplate.spec.template";
            default -> "spec.template";
        };
        JsonNode template = object;
        for (String child : path.split("\\.")) {
            template = template.path(child);
        }
        if (!template.isObject()) {
            return List.of();
        }
        return warnings(path + ".", template.path("metadata"), template.path("spec"));
    }

    private static List<String> warnings(String prefix, JsonNode meta, JsonNode spec) {
        JsonNode annotations = meta.path("annotations");
        String annotationPath = prefix + "metadata.annotations";
        List<String> warnings = new ArrayList<>();
        for (String[] deprecated : DEPRECATED) {
            if (annotations.has(deprecated[0])) {
                warnings.add(annotationPath + "[" + deprecated[0] + "]: " + deprecated[1]);
            }
        }
        if (spec.path("securityContext").path("seccompProfile").isMissingNode()
                || spec.path("securityContext").path("seccompProfile").isNull()) {
            if (annotations.has(SECCOMP_POD)) {
                warnings.add(annotationPath + "[" + SECCOMP_POD + "]: " + USE_SECCOMP_FIELD);
            }
        }
        // pods.VisitContainersWithPath: init containers, containers, ephemeral containers
        for (String list : List.of("initContainers", "containers", "ephemeralContainers")) {
            for (JsonNode container : spec.path(list)) {
                JsonNode profile = container.path("securityContext").path("seccompProfile");
                String key = SECCOMP_CONTAINER + container.path("name").asText("");
                if ((profile.isMissingNode() || profile.isNull()) && annotations.has(key)) {
                    warnings.add(annotationPath + "[" + key + "]: " + USE_SECCOMP_FIELD);
                }
            }
        }
        return warnings;
    }
}
