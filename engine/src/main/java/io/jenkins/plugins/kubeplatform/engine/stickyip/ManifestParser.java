package io.jenkins.plugins.kubeplatform.engine.stickyip;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.store.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads the user's pod template or Deployment manifest (SIP-12). The text comes from the repository being built, so it
 * is untrusted: it is parsed with SnakeYAML's {@link SafeConstructor} (only maps, lists, strings, numbers, booleans;
 * a type tag such as {@code !!javax.script.ScriptEngineManager} is an error, never a Java object), with bounded
 * aliases (no "billion laughs"), nesting depth and size, and no duplicate keys. The plain maps are then mapped onto
 * the Kubernetes model like {@code kubectl} would.
 */
public final class ManifestParser {

    /** Largest manifest accepted, in characters: far above any real pod template. */
    public static final int MAX_CHARS = 256 * 1024;
    static final int MAX_ALIASES = 20;
    static final int MAX_DEPTH = 40;

    private ManifestParser() {
    }

    /**
     * Parses {@code yaml}; {@code source} ({@code template} or {@code manifest}) prefixes every field named in errors.
     * Accepts one document: an {@code apps/v1} Deployment, a {@code v1} Pod (as in the Jenkins kubernetes plugin's
     * {@code podTemplate(yaml:)}), a {@code v1} PodTemplate, or a bare pod template ({@code metadata} + {@code spec}).
     */
    public static WorkloadTemplate parse(String source, String yaml) {
        if (yaml == null || yaml.isBlank()) {
            throw new InvalidInputException(source, "is empty; give a Deployment, a Pod or a pod template as YAML");
        }
        if (yaml.length() > MAX_CHARS) {
            throw new InvalidInputException(source, "is " + yaml.length() + " characters; at most " + MAX_CHARS
                    + " are accepted");
        }
        List<Object> documents = new ArrayList<>();
        try {
            for (Object doc : safeYaml().loadAll(yaml)) {
                if (doc != null) {
                    documents.add(doc);
                }
            }
        } catch (YAMLException e) {
            throw new InvalidInputException(source, "is not valid YAML for a manifest: " + firstLine(e.getMessage()));
        }
        if (documents.size() != 1) {
            throw new InvalidInputException(source, "holds " + documents.size() + " YAML documents; give exactly one "
                    + "(a Deployment, a Pod or a pod template); the Service is derived from the container ports");
        }
        if (!(documents.get(0) instanceof Map<?, ?> root)) {
            throw new InvalidInputException(source, "must be a YAML mapping (a Kubernetes object), not a "
                    + documents.get(0).getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT));
        }
        String kind = root.get("kind") == null ? "" : String.valueOf(root.get("kind"));
        String apiVersion = root.get("apiVersion") == null ? "" : String.valueOf(root.get("apiVersion"));
        return switch (kind) {
            case "Deployment" -> deployment(source, apiVersion, root);
            case "Pod" -> fromPod(source, apiVersion, root, "");
            case "PodTemplate" -> {
                Object template = root.get("template");
                if (!(template instanceof Map<?, ?> t)) {
                    throw new InvalidInputException(source + ".template", "is required for kind PodTemplate");
                }
                requireVersion(source, apiVersion, "v1", kind);
                yield wrap(source, convert(source, "template.", t, PodTemplateSpec.class), Optional.empty(),
                        "template.");
            }
            case "" -> {
                if (root.containsKey("spec")) {
                    yield wrap(source, convert(source, "", root, PodTemplateSpec.class), Optional.empty(), "");
                }
                throw new InvalidInputException(source + ".kind", "is missing: give kind Deployment, Pod or PodTemplate, "
                        + "or a pod template with metadata and spec");
            }
            default -> throw new InvalidInputException(source + ".kind", "is " + kind
                    + "; stickyIpDeploy takes a Deployment, a Pod or a PodTemplate (it renders one Deployment per identity)");
        };
    }

    private static WorkloadTemplate deployment(String source, String apiVersion, Map<?, ?> root) {
        requireVersion(source, apiVersion, "apps/v1", "Deployment");
        Deployment d = convert(source, "", root, Deployment.class);
        DeploymentSpec spec = d.getSpec();
        if (spec == null || spec.getTemplate() == null) {
            throw new InvalidInputException(source + ".spec.template", "is required in a Deployment");
        }
        if (spec.getReplicas() != null && (spec.getReplicas() < 0 || spec.getReplicas() > 500)) {
            throw new InvalidInputException(source + ".spec.replicas", "must be between 0 and 500; got " + spec.getReplicas());
        }
        requirePodSpec(source, "spec.template.", spec.getTemplate());
        return new WorkloadTemplate(source, d, Optional.ofNullable(spec.getReplicas()));
    }

    private static WorkloadTemplate fromPod(String source, String apiVersion, Map<?, ?> root, String prefix) {
        requireVersion(source, apiVersion, "v1", "Pod");
        PodTemplateSpec pod = convert(source, prefix, Map.of("metadata", root.get("metadata") == null ? Map.of()
                : root.get("metadata"), "spec", root.get("spec") == null ? Map.of() : root.get("spec")), PodTemplateSpec.class);
        return wrap(source, pod, Optional.empty(), prefix);
    }

    private static WorkloadTemplate wrap(String source, PodTemplateSpec pod, Optional<Integer> replicas, String prefix) {
        requirePodSpec(source, prefix, pod);
        ObjectMeta podMeta = pod.getMetadata() == null ? new ObjectMeta() : pod.getMetadata();
        Deployment d = new Deployment();
        d.setApiVersion("apps/v1");
        d.setKind("Deployment");
        ObjectMeta meta = new ObjectMeta();
        meta.setNamespace(podMeta.getNamespace());
        d.setMetadata(meta);
        // a pod's own name, namespace and generated fields do not belong in a template
        podMeta.setName(null);
        podMeta.setNamespace(null);
        podMeta.setGenerateName(null);
        pod.setMetadata(podMeta);
        DeploymentSpec spec = new DeploymentSpec();
        spec.setTemplate(pod);
        d.setSpec(spec);
        return new WorkloadTemplate(source, d, replicas);
    }

    private static void requirePodSpec(String source, String prefix, PodTemplateSpec template) {
        PodSpec spec = template.getSpec();
        if (spec == null || spec.getContainers() == null || spec.getContainers().isEmpty()) {
            throw new InvalidInputException(source + "." + prefix + "spec.containers", "must list at least one container");
        }
        for (int i = 0; i < spec.getContainers().size(); i++) {
            String name = spec.getContainers().get(i).getName();
            if (name == null || name.isBlank()) {
                throw new InvalidInputException(source + "." + prefix + "spec.containers[" + i + "].name", "is required");
            }
        }
    }

    private static void requireVersion(String source, String apiVersion, String expected, String kind) {
        if (!apiVersion.isEmpty() && !apiVersion.equals(expected)) {
            throw new InvalidInputException(source + ".apiVersion", "must be " + expected + " for kind " + kind
                    + "; got " + apiVersion);
        }
    }

    private static <T> T convert(String source, String prefix, Map<?, ?> value, Class<T> type) {
        try {
            return Json.mapper().convertValue(value, type);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(source + (prefix.isEmpty() ? "" : "." + prefix.substring(0, prefix.length() - 1)),
                    "does not match the Kubernetes schema of " + type.getSimpleName() + ": " + firstLine(e.getMessage()));
        }
    }

    private static Yaml safeYaml() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setNestingDepthLimit(MAX_DEPTH);
        options.setCodePointLimit(MAX_CHARS);
        options.setAllowRecursiveKeys(false);
        options.setTagInspector(tag -> false);
        return new Yaml(new SafeConstructor(options));
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        String line = message.strip().lines().findFirst().orElse("unreadable");
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
