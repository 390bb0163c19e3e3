package io.jenkins.plugins.kubeplatform.sim.model;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** What the workload controllers share: owner references, pods from templates, generated names, template hashes. */
public final class Workloads {

    private static final KubernetesSerialization JSON = new KubernetesSerialization();
    private static final String SUFFIX_CHARS = "bcdfghjklmnpqrstvwxz2456789";

    private Workloads() {
    }

    public static OwnerReference controllerRef(HasMetadata owner) {
        return new OwnerReferenceBuilder().withApiVersion(owner.getApiVersion()).withKind(owner.getKind())
                .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid()).withController(true)
                .withBlockOwnerDeletion(true).build();
    }

    /** The uid of the object's controller, if it has one. */
    public static Optional<String> controllerUid(HasMetadata o) {
        if (o.getMetadata().getOwnerReferences() == null) {
            return Optional.empty();
        }
        return o.getMetadata().getOwnerReferences().stream().filter(r -> Boolean.TRUE.equals(r.getController()))
                .map(OwnerReference::getUid).findFirst();
    }

    public static boolean ownedBy(HasMetadata child, HasMetadata owner) {
        return controllerUid(child).map(owner.getMetadata().getUid()::equals).orElse(false);
    }

    /** A stable short hash of a pod template, like {@code pod-template-hash}. */
    public static String templateHash(PodTemplateSpec template) {
        return hash(JSON.asJson(template));
    }

    /** The hash after {@code collisionCount} name collisions: the count is hashed with the template, as upstream. */
    public static String templateHash(PodTemplateSpec template, int collisionCount) {
        return hash(JSON.asJson(template) + collisionCount);
    }

    private static String hash(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int h = 0x811c9dc5;
        for (byte b : bytes) {
            h ^= (b & 0xff);
            h *= 0x01000193;
        }
        String hex = Integer.toHexString(h);
        StringBuilder safe = new StringBuilder();
        for (char c : hex.toCharArray()) {
            safe.append(SUFFIX_CHARS.charAt(Character.digit(c, 16) % SUFFIX_CHARS.length()));
        }
        return safe.toString();
    }

    /** A pod for a template, owned by {@code owner}; the caller adds labels/fields specific to its kind. */
    public static Pod podFromTemplate(HasMetadata owner, PodTemplateSpec template, String name,
            Map<String, String> extraLabels) {
        ObjectMeta tm = template.getMetadata() == null ? new ObjectMeta() : template.getMetadata();
        Map<String, String> labels = new LinkedHashMap<>(tm.getLabels() == null ? Map.of() : tm.getLabels());
        labels.putAll(extraLabels);
        Map<String, String> annotations = new LinkedHashMap<>(tm.getAnnotations() == null ? Map.of()
                : tm.getAnnotations());
        return new PodBuilder()
                .withMetadata(new ObjectMetaBuilder().withName(name).withNamespace(owner.getMetadata().getNamespace())
                        .withLabels(labels).withAnnotations(annotations).withOwnerReferences(controllerRef(owner))
                        .build())
                .withSpec(JSON.clone(template.getSpec()))
                .build();
    }

    /**
     * A pod for a template that the API server names: {@code generateName} "OWNER-", as {@code GetPodFromTemplate}
     * (pkg/controller/controller_utils.go, getPodsPrefix) gives the pods of ReplicaSets, DaemonSets and Jobs.
     */
    public static Pod podWithGeneratedName(HasMetadata owner, PodTemplateSpec template,
            Map<String, String> extraLabels) {
        Pod pod = podFromTemplate(owner, template, null, extraLabels);
        pod.getMetadata().setGenerateName(owner.getMetadata().getName() + "-");
        return pod;
    }

    public static <T> T clone(T object) {
        return JSON.clone(object);
    }

    public static Pod create(KubernetesClient client, Pod pod) {
        return client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod).create();
    }

    /** An int or a percentage of {@code total}; percentages round up or down as asked. */
    public static int scaled(io.fabric8.kubernetes.api.model.IntOrString value, int total, boolean roundUp, int dflt) {
        if (value == null) {
            return dflt;
        }
        if (value.getIntVal() != null) {
            return value.getIntVal();
        }
        String s = value.getStrVal();
        if (s != null && s.endsWith("%")) {
            double v = Integer.parseInt(s.substring(0, s.length() - 1).trim()) * total / 100.0;
            return (int) (roundUp ? Math.ceil(v) : Math.floor(v));
        }
        return s == null ? dflt : Integer.parseInt(s.trim());
    }

    public static long generation(HasMetadata o) {
        return o.getMetadata().getGeneration() == null ? 1L : o.getMetadata().getGeneration();
    }
}
