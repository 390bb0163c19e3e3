package io.jenkins.plugins.kubeplatform.sim.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;

/**
 * The admission plugins of a default kube-apiserver v1.32 that act on a pod create, as far as the simulation runs
 * them. Mutating first: {@code ServiceAccount} (plugin/pkg/admission/serviceaccount) sets
 * {@code spec.serviceAccountName} to {@code default} when empty, refuses a pod whose service account does not exist
 * (403 Forbidden, "error looking up service account NS/NAME: serviceaccount \"NAME\" not found") and copies the
 * account's {@code imagePullSecrets} into a pod that has none; unless the pod or else its account says
 * {@code automountServiceAccountToken: false}, it mounts the {@code kube-api-access-XXXXX} token volume into every
 * container (see {@link #mountServiceAccountToken}). A missing {@code default} account is let through (the real
 * plugin retries that one for about a second while the serviceaccount controller creates it). Then
 * {@code DefaultTolerationSeconds} (plugin/pkg/admission/defaulttolerationseconds): a pod that does not tolerate the {@code not-ready} or
 * {@code unreachable} NoExecute taint (a toleration with that key or an empty key, and effect NoExecute or empty) gets
 * one for 300 s, so that its eviction from a failed node waits five minutes. Between them, in kube-apiserver's
 * order, {@code Priority} (see {@link #priority}).
 */
public final class PodAdmission {

    /** A create refused by an admission plugin: the HTTP code, the Status reason and the message after the name. */
    public record Refusal(int code, String reason, String cause) {
    }

    /** {@code DefaultAPITokenMountPath}. */
    public static final String TOKEN_MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";
    /** {@code ServiceAccountVolumeName}: the prefix of the token volume's generated name. */
    public static final String TOKEN_VOLUME_PREFIX = "kube-api-access-";
    /** The ConfigMap the root-ca-cert-publisher writes into every namespace ({@code RootCACertConfigMapName}). */
    public static final String ROOT_CA_CONFIG_MAP = "kube-root-ca.crt";
    /** {@code serviceaccount.WarnOnlyBoundTokenExpirationSeconds}: one hour and seven seconds. */
    static final long TOKEN_EXPIRATION_SECONDS = 3607;
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
        if (automount(spec, account)) {
            mountServiceAccountToken(spec);
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

    /** {@code shouldAutomount}: the pod's {@code automountServiceAccountToken} wins, then the account's, else true. */
    private static boolean automount(ObjectNode spec, JsonNode account) {
        if (spec.path("automountServiceAccountToken").isBoolean()) {
            return spec.get("automountServiceAccountToken").asBoolean();
        }
        if (account != null && account.path("automountServiceAccountToken").isBoolean()) {
            return account.get("automountServiceAccountToken").asBoolean();
        }
        return true;
    }

    /**
     * {@code mountServiceAccountToken}: a read-only mount of the token volume at {@link #TOKEN_MOUNT_PATH} for every
     * init container and container that mounts nothing there yet, and, if one of them got it, the volume: named
     * {@code kube-api-access-} plus five random characters (the name generator's), unless the pod already has a volume
     * with that prefix, which is then reused and not added again.
     */
    private static void mountServiceAccountToken(ObjectNode spec) {
        String volumeName = null;
        for (JsonNode v : spec.path("volumes")) {
            if (v.path("name").asText("").startsWith(TOKEN_VOLUME_PREFIX)) {
                volumeName = v.path("name").asText();
                break;
            }
        }
        boolean hasVolume = volumeName != null;
        if (!hasVolume) {
            volumeName = GeneratedNames.generate(TOKEN_VOLUME_PREFIX);
        }
        boolean needsVolume = false;
        for (String list : List.of("initContainers", "containers")) {
            for (JsonNode c : spec.path(list)) {
                if (c instanceof ObjectNode container && !mountsAt(container, TOKEN_MOUNT_PATH)) {
                    ArrayNode mounts = container.path("volumeMounts").isArray()
                            ? (ArrayNode) container.get("volumeMounts") : container.putArray("volumeMounts");
                    mounts.addObject().put("name", volumeName).put("readOnly", true).put("mountPath", TOKEN_MOUNT_PATH);
                    needsVolume = true;
                }
            }
        }
        if (!hasVolume && needsVolume) {
            ArrayNode volumes = spec.path("volumes").isArray() ? (ArrayNode) spec.get("volumes")
                    : spec.putArray("volumes");
            volumes.add(tokenVolume(volumeName));
        }
    }

    private static boolean mountsAt(JsonNode container, String path) {
        for (JsonNode m : container.path("volumeMounts")) {
            if (path.equals(m.path("mountPath").asText())) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code TokenVolumeSource}: a projected volume of the bound token ({@code token}), the cluster's CA from
     * {@link #ROOT_CA_CONFIG_MAP} ({@code ca.crt}) and the pod's namespace ({@code namespace}), mode 0644 set
     * explicitly.
     */
    private static ObjectNode tokenVolume(String name) {
        ObjectNode volume = JsonNodeFactory.instance.objectNode().put("name", name);
        ObjectNode projected = volume.putObject("projected");
        projected.put("defaultMode", 420);
        ArrayNode sources = projected.putArray("sources");
        sources.addObject().putObject("serviceAccountToken").put("expirationSeconds", TOKEN_EXPIRATION_SECONDS)
                .put("path", "token");
        ObjectNode configMap = sources.addObject().putObject("configMap");
        configMap.putArray("items").addObject().put("key", "ca.crt").put("path", "ca.crt");
        configMap.put("name", ROOT_CA_CONFIG_MAP);
        sources.addObject().putObject("downwardAPI").putArray("items").addObject()
                .<ObjectNode>set("fieldRef", JsonNodeFactory.instance.objectNode().put("apiVersion", "v1")
                        .put("fieldPath", "metadata.namespace"))
                .put("path", "namespace");
        return volume;
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
