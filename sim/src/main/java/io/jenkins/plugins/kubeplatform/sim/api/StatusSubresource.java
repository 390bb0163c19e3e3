package io.jenkins.plugins.kubeplatform.sim.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The status subresource of the built-in kinds that have one, as kube-apiserver v1.32's registry strategies enforce
 * it: a write of the object itself (PUT, any patch, apply) keeps the stored {@code .status} (the strategies'
 * {@code PrepareForUpdate} copies the old status); a write of {@code .../status} keeps everything but
 * {@code .status} and the metadata labels and annotations (the status strategies copy the old spec; a deployment's
 * also its labels; a pod keeps its QoS class when the written status has none); a create replaces the status given
 * with the one the strategy starts from ({@code PrepareForCreate}): {@code phase: Pending} and the QoS class for a
 * pod, {@code phase: Active} for a namespace, the empty status (with its non-optional counters at 0) for the workload
 * kinds, an empty load balancer for services and ingresses. Nodes keep the status they are created with, as a kubelet
 * registers them. Custom resources whose CRD declares {@code subresources.status} are handled by the store
 * underneath.
 */
public final class StatusSubresource {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** {@code group/resource} of the built-in kinds with a status subresource, with the status they are created with. */
    private static final Map<String, String> CREATED_STATUS = Map.ofEntries(
            Map.entry("/pods", ""),
            Map.entry("/nodes", ""),
            Map.entry("/namespaces", "{\"phase\":\"Active\"}"),
            Map.entry("/services", "{\"loadBalancer\":{}}"),
            Map.entry("/replicationcontrollers", "{\"replicas\":0}"),
            Map.entry("/resourcequotas", "{}"),
            Map.entry("apps/deployments", "{}"),
            Map.entry("apps/replicasets", "{\"replicas\":0}"),
            Map.entry("apps/statefulsets", "{\"replicas\":0,\"availableReplicas\":0}"),
            Map.entry("apps/daemonsets", "{\"currentNumberScheduled\":0,\"numberMisscheduled\":0,"
                    + "\"desiredNumberScheduled\":0,\"numberReady\":0}"),
            Map.entry("batch/jobs", "{}"),
            Map.entry("batch/cronjobs", "{}"),
            Map.entry("policy/poddisruptionbudgets", "{\"disruptionsAllowed\":0,\"currentHealthy\":0,"
                    + "\"desiredHealthy\":0,\"expectedPods\":0}"),
            Map.entry("networking.k8s.io/ingresses", "{\"loadBalancer\":{}}"),
            Map.entry("autoscaling/horizontalpodautoscalers", "{}"));
    /** Kinds whose status strategy also resets the labels (a deployment's {@code PrepareForUpdate} of status). */
    private static final Set<String> STATUS_RESETS_LABELS = Set.of("apps/deployments");
    private static final List<String> RESOURCES = List.of("cpu", "memory");

    private StatusSubresource() {
    }

    /** Whether this built-in resource has a status subresource that the rules here enforce. */
    public static boolean has(String group, String resource) {
        return CREATED_STATUS.containsKey(group + "/" + resource);
    }

    /**
     * The object a write of the object itself stores: {@code updated} with the stored status of {@code current}
     * (none when it has none).
     */
    public static JsonNode objectWrite(String group, String resource, JsonNode current, JsonNode updated) {
        if (!has(group, resource) || !(updated instanceof ObjectNode object)) {
            return updated;
        }
        ObjectNode out = object.deepCopy();
        JsonNode status = current.get("status");
        if (status == null) {
            out.remove("status");
        } else {
            out.set("status", status.deepCopy());
        }
        return out;
    }

    /**
     * The object a write of the status subresource stores: {@code current} with the status, labels, annotations and
     * managed fields of {@code updated} (a deployment keeps its labels).
     */
    public static JsonNode statusWrite(String group, String resource, JsonNode current, JsonNode updated) {
        if (!has(group, resource) || !(current instanceof ObjectNode stored)) {
            return updated;
        }
        ObjectNode out = stored.deepCopy();
        JsonNode status = updated.get("status");
        if (status == null || status.isNull()) {
            out.remove("status");
        } else {
            out.set("status", status.deepCopy());
        }
        if (group.isEmpty() && resource.equals("pods")) {
            keepQosClass(stored, out);
        }
        ObjectNode meta = out.with("metadata");
        JsonNode written = updated.path("metadata");
        List<String> writable = STATUS_RESETS_LABELS.contains(group + "/" + resource)
                ? List.of("annotations", "managedFields") : List.of("labels", "annotations", "managedFields");
        for (String field : writable) {
            if (written.hasNonNull(field)) {
                meta.set(field, written.get(field).deepCopy());
            } else {
                meta.remove(field);
            }
        }
        return out;
    }

    /**
     * The pod status strategy's backfill ({@code podStatusStrategy.PrepareForUpdate}): a status written without a QoS
     * class keeps the stored one, since kubelets before v1.32 dropped it when they rejected a pod.
     */
    private static void keepQosClass(JsonNode stored, ObjectNode out) {
        JsonNode qos = stored.path("status").get("qosClass");
        if (qos == null || qos.asText("").isEmpty() || !out.path("status").path("qosClass").asText("").isEmpty()) {
            return;
        }
        (out.get("status") instanceof ObjectNode status ? status : out.putObject("status")).set("qosClass", qos);
    }

    /** The object a create stores: {@code body} with the status the kind starts from (see the class comment). */
    public static JsonNode create(String group, String resource, JsonNode body) {
        String key = group + "/" + resource;
        if (!has(group, resource) || !(body instanceof ObjectNode object) || key.equals("/nodes")) {
            return body;
        }
        ObjectNode out = object.deepCopy();
        if (key.equals("/pods")) {
            out.set("status", podStatus(out));
        } else {
            out.set("status", ApiJson.read(CREATED_STATUS.get(key)));
        }
        return out;
    }

    /** {@code PrepareForCreate} of a pod: Pending, its QoS class, and PodScheduled=False while it has gates. */
    private static ObjectNode podStatus(JsonNode pod) {
        ObjectNode status = NODES.objectNode().put("phase", "Pending").put("qosClass", qosClass(pod.path("spec")));
        if (pod.path("spec").path("schedulingGates").size() > 0) {
            status.putArray("conditions").addObject().put("type", "PodScheduled").put("status", "False")
                    .putNull("lastProbeTime").putNull("lastTransitionTime").put("reason", "SchedulingGated")
                    .put("message", "Scheduling is blocked due to non-empty scheduling gates");
        }
        return status;
    }

    /**
     * The pod's QoS class as {@code qos.GetPodQOS} computes it from its containers and init containers (cpu and
     * memory only; a limit without a request requests the limit, as defaulting does): {@code BestEffort} with no
     * requests or limits, {@code Guaranteed} when every container limits both and the requests equal the limits,
     * else {@code Burstable}.
     */
    static String qosClass(JsonNode spec) {
        BigDecimal[] requests = {BigDecimal.ZERO, BigDecimal.ZERO};
        BigDecimal[] limits = {BigDecimal.ZERO, BigDecimal.ZERO};
        boolean any = false;
        boolean guaranteed = true;
        for (String list : List.of("containers", "initContainers")) {
            for (JsonNode c : spec.path(list)) {
                JsonNode limit = c.path("resources").path("limits");
                JsonNode request = c.path("resources").path("requests");
                for (int i = 0; i < RESOURCES.size(); i++) {
                    String name = RESOURCES.get(i);
                    Optional<BigDecimal> l = amount(limit.get(name));
                    Optional<BigDecimal> r = amount(request.get(name)).or(() -> l);
                    any |= l.isPresent() || r.isPresent();
                    guaranteed &= l.isPresent();
                    limits[i] = limits[i].add(l.orElse(BigDecimal.ZERO));
                    requests[i] = requests[i].add(r.orElse(BigDecimal.ZERO));
                }
            }
        }
        if (!any) {
            return "BestEffort";
        }
        for (int i = 0; i < RESOURCES.size() && guaranteed; i++) {
            guaranteed = requests[i].compareTo(limits[i]) == 0;
        }
        return guaranteed ? "Guaranteed" : "Burstable";
    }

    /** A non-zero quantity's amount; zero or unparseable counts as not set. */
    private static Optional<BigDecimal> amount(JsonNode quantity) {
        if (quantity == null || quantity.isNull() || quantity.asText().isBlank()) {
            return Optional.empty();
        }
        try {
            BigDecimal value = io.fabric8.kubernetes.api.model.Quantity.getAmountInBytes(
                    new io.fabric8.kubernetes.api.model.Quantity(quantity.asText()));
            return value.signum() == 0 ? Optional.empty() : Optional.of(value);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** JSON text to a tree, for the constants above. */
    private static final class ApiJson {
        private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER =
                new com.fasterxml.jackson.databind.ObjectMapper();

        static JsonNode read(String text) {
            try {
                return MAPPER.readTree(text);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
