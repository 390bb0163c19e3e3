package io.jenkins.plugins.kubeplatform.sim.openapi;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * OpenAPI schemas of the built-in Kubernetes kinds (and Gateway API) generated from fabric8's model classes: each
 * class becomes a definition under its Kubernetes name ({@code io.k8s.api.apps.v1.DeploymentSpec}), each Jackson
 * property a field with its JSON name and type ({@code $ref} to other definitions, arrays, maps), with the strategic
 * merge patch extensions of the lists that have them and {@code x-kubernetes-group-version-kind} on the kinds. The
 * same schemas serve {@code /openapi/v2} and {@code /openapi/v3} (only the {@code $ref} prefix differs) and the
 * server's {@code fieldValidation}.
 */
public final class ModelSchemas {

    /** The Kubernetes definition of a model class, and its fields. */
    public record Definition(String name, ObjectNode schema) {
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String MODEL = "io.fabric8.kubernetes.api.model";
    private static final String META = "io.k8s.apimachinery.pkg.apis.meta.v1.";
    private static final Set<String> META_TYPES = Set.of("ObjectMeta", "ListMeta", "LabelSelector",
            "LabelSelectorRequirement", "OwnerReference", "ManagedFieldsEntry", "FieldsV1", "Condition", "Status",
            "StatusDetails", "StatusCause", "Time", "MicroTime", "DeleteOptions", "Preconditions", "Duration");
    /** Java packages of the model classes by API group (the core group is the model's root package). */
    private static final Map<String, String> PACKAGES = Map.ofEntries(
            Map.entry("", MODEL),
            Map.entry("apps", MODEL + ".apps"),
            Map.entry("batch", MODEL + ".batch.v1"),
            Map.entry("policy", MODEL + ".policy.v1"),
            Map.entry("autoscaling", MODEL + ".autoscaling.v2"),
            Map.entry("discovery.k8s.io", MODEL + ".discovery.v1"),
            Map.entry("networking.k8s.io", MODEL + ".networking.v1"),
            Map.entry("coordination.k8s.io", MODEL + ".coordination.v1"),
            Map.entry("rbac.authorization.k8s.io", MODEL + ".rbac"),
            Map.entry("authorization.k8s.io", MODEL + ".authorization.v1"),
            Map.entry("authentication.k8s.io", MODEL + ".authentication"),
            Map.entry("storage.k8s.io", MODEL + ".storage"),
            Map.entry("scheduling.k8s.io", MODEL + ".scheduling.v1"),
            Map.entry("events.k8s.io", MODEL + ".events.v1"),
            Map.entry("apiextensions.k8s.io", MODEL + ".apiextensions.v1"),
            Map.entry("gateway.networking.k8s.io", MODEL + ".gatewayapi.v1"));
    /**
     * The lists with a strategic merge patch strategy in the Kubernetes types ({@code +patchStrategy} and
     * {@code +patchMergeKey} of their Go fields), by {@code DefinitionSimpleName.field}: strategy, merge key.
     */
    private static final Map<String, String[]> PATCH_STRATEGIES = Map.ofEntries(
            Map.entry("PodSpec.containers", new String[] {"merge", "name"}),
            Map.entry("PodSpec.initContainers", new String[] {"merge", "name"}),
            Map.entry("PodSpec.ephemeralContainers", new String[] {"merge", "name"}),
            Map.entry("PodSpec.volumes", new String[] {"merge,retainKeys", "name"}),
            Map.entry("PodSpec.imagePullSecrets", new String[] {"merge", "name"}),
            Map.entry("PodSpec.hostAliases", new String[] {"merge", "ip"}),
            Map.entry("PodSpec.topologySpreadConstraints", new String[] {"merge", "topologyKey"}),
            Map.entry("PodSpec.resourceClaims", new String[] {"merge,retainKeys", "name"}),
            Map.entry("PodSpec.schedulingGates", new String[] {"merge", "name"}),
            Map.entry("Container.env", new String[] {"merge", "name"}),
            Map.entry("Container.ports", new String[] {"merge", "containerPort"}),
            Map.entry("Container.volumeMounts", new String[] {"merge", "mountPath"}),
            Map.entry("Container.volumeDevices", new String[] {"merge", "devicePath"}),
            Map.entry("EphemeralContainer.env", new String[] {"merge", "name"}),
            Map.entry("EphemeralContainer.volumeMounts", new String[] {"merge", "mountPath"}),
            Map.entry("EphemeralContainer.volumeDevices", new String[] {"merge", "devicePath"}),
            Map.entry("ServiceSpec.ports", new String[] {"merge", "port"}),
            Map.entry("ServiceAccount.secrets", new String[] {"merge", "name"}),
            Map.entry("ObjectMeta.finalizers", new String[] {"merge", null}),
            Map.entry("ObjectMeta.ownerReferences", new String[] {"merge", "uid"}),
            Map.entry("PodStatus.conditions", new String[] {"merge", "type"}),
            Map.entry("PodStatus.podIPs", new String[] {"merge", "ip"}),
            Map.entry("PodStatus.hostIPs", new String[] {"merge", "ip"}),
            Map.entry("NodeStatus.conditions", new String[] {"merge", "type"}),
            Map.entry("NodeStatus.addresses", new String[] {"merge", "type"}),
            Map.entry("NamespaceStatus.conditions", new String[] {"merge", "type"}),
            Map.entry("DeploymentStatus.conditions", new String[] {"merge", "type"}),
            Map.entry("ReplicaSetStatus.conditions", new String[] {"merge", "type"}),
            Map.entry("StatefulSetStatus.conditions", new String[] {"merge", "type"}),
            Map.entry("DaemonSetStatus.conditions", new String[] {"merge", "type"}),
            Map.entry("DeploymentSpec.strategy", new String[] {"retainKeys", null}),
            Map.entry("DaemonSetSpec.updateStrategy", new String[] {"retainKeys", null}));
    private static final Map<String, String> TOP_LEVEL = Map.of(
            "apiVersion", "APIVersion defines the versioned schema of this representation of an object. Servers "
                    + "should convert recognized schemas to the latest internal value, and may reject unrecognized "
                    + "values.",
            "kind", "Kind is a string value representing the REST resource this object represents. In CamelCase.",
            "metadata", "Standard object's metadata.",
            "spec", "Specification of the desired behavior of the object.",
            "status", "Most recently observed status of the object. Populated by the system. Read-only.");

    private static final ModelSchemas INSTANCE = new ModelSchemas();

    /** Definitions by name, generated on first use of a kind; {@code $ref}s point to {@code #/definitions/}. */
    private final Map<String, ObjectNode> definitions = new ConcurrentHashMap<>();
    private final Map<String, Optional<String>> kinds = new ConcurrentHashMap<>();

    private ModelSchemas() {
    }

    public static ModelSchemas get() {
        return INSTANCE;
    }

    /** Whether model classes may serve kinds of this API group. */
    public static boolean hasModels(String group) {
        return PACKAGES.containsKey(group);
    }

    /** The fabric8 model class of a kind, if there is one for this group and version. */
    static Optional<Class<?>> modelClass(String group, String version, String kind) {
        String pkg = PACKAGES.get(group);
        if (pkg == null) {
            return Optional.empty();
        }
        for (String candidate : new String[] {pkg + "." + kind, pkg + "." + version + "." + kind}) {
            try {
                Class<?> c = Class.forName(candidate);
                if (HasMetadata.class.isAssignableFrom(c)) {
                    @SuppressWarnings("unchecked")
                    Class<? extends HasMetadata> typed = (Class<? extends HasMetadata>) c;
                    if (HasMetadata.getGroup(typed).equals(group) && HasMetadata.getVersion(typed).equals(version)) {
                        return Optional.of(c);
                    }
                }
            } catch (ClassNotFoundException | LinkageError e) {
                // not this package layout
            }
        }
        return Optional.empty();
    }

    /**
     * The definition name of a kind generated from its model class, e.g. {@code io.k8s.api.apps.v1.Deployment};
     * empty when no model class serves this group/version/kind.
     */
    public Optional<String> kindDefinition(String group, String version, String kind) {
        return kinds.computeIfAbsent(group + "/" + version + "/" + kind, key -> modelClass(group, version, kind)
                .map(c -> {
                    String name = generate(c);
                    ObjectNode schema = definitions.get(name);
                    synchronized (schema) {
                        schema.putArray("x-kubernetes-group-version-kind").addObject().put("group", group)
                                .put("version", version).put("kind", kind);
                        JsonNode props = schema.path("properties");
                        TOP_LEVEL.forEach((field, description) -> {
                            if (props.path(field).isObject()) {
                                ((ObjectNode) props.get(field)).put("description", description);
                            }
                        });
                    }
                    return name;
                }));
    }

    /**
     * The definition {@code root} and every definition it references, as served in an OpenAPI document whose
     * definitions live under {@code refPrefix} ({@code #/definitions/} or {@code #/components/schemas/}).
     */
    public synchronized Map<String, ObjectNode> closure(String root, String refPrefix) {
        Map<String, ObjectNode> out = new TreeMap<>();
        Deque<String> todo = new ArrayDeque<>();
        todo.add(root);
        while (!todo.isEmpty()) {
            String name = todo.poll();
            if (out.containsKey(name) || !definitions.containsKey(name)) {
                continue;
            }
            ObjectNode copy = definitions.get(name).deepCopy();
            rewriteRefs(copy, refPrefix, todo);
            out.put(name, copy);
        }
        return out;
    }

    /** A definition by name with {@code #/definitions/} references, for validation. */
    public Optional<ObjectNode> definition(String name) {
        return Optional.ofNullable(definitions.get(name));
    }

    private static void rewriteRefs(JsonNode node, String prefix, Deque<String> referenced) {
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            JsonNode ref = object.get("$ref");
            if (ref != null && ref.isTextual() && ref.asText().startsWith("#/definitions/")) {
                String name = ref.asText().substring("#/definitions/".length());
                referenced.add(name);
                object.put("$ref", prefix + name);
            }
            object.elements().forEachRemaining(child -> rewriteRefs(child, prefix, referenced));
        } else if (node.isArray()) {
            node.elements().forEachRemaining(child -> rewriteRefs(child, prefix, referenced));
        }
    }

    /** Generates the definition of {@code type} and those it references; returns its name. */
    private synchronized String generate(Class<?> type) {
        String name = definitionName(type);
        if (definitions.containsKey(name)) {
            return name;
        }
        ObjectNode schema = MAPPER.createObjectNode();
        definitions.put(name, schema);
        if (!special(type, schema)) {
            schema.put("description", type.getSimpleName() + " (" + name.substring(0, name.lastIndexOf('.'))
                    + ").").put("type", "object");
            ObjectNode properties = schema.putObject("properties");
            JavaType javaType = MAPPER.constructType(type);
            BeanDescription bean = MAPPER.getDeserializationConfig().introspect(javaType);
            Map<String, ObjectNode> fields = new LinkedHashMap<>();
            for (BeanPropertyDefinition p : bean.findProperties()) {
                if (!p.couldDeserialize() || p.getPrimaryType() == null) {
                    continue;
                }
                ObjectNode field = fieldSchema(p.getPrimaryType());
                String[] strategy = PATCH_STRATEGIES.get(type.getSimpleName() + "." + p.getName());
                if (strategy != null) {
                    field.put("x-kubernetes-patch-strategy", strategy[0]);
                    if (strategy[1] != null) {
                        field.put("x-kubernetes-patch-merge-key", strategy[1]);
                    }
                }
                fields.put(p.getName(), field);
            }
            new TreeMap<>(fields).forEach(properties::set);
        }
        return name;
    }

    /** The schema of a non-bean type this server knows (quantities, times, int-or-string); false for beans. */
    private static boolean special(Class<?> type, ObjectNode schema) {
        switch (type.getSimpleName()) {
            case "Quantity" -> {
                schema.put("description", "Quantity is a fixed-point representation of a number, e.g. 500m or 1Gi.");
                schema.putArray("oneOf").add(MAPPER.createObjectNode().put("type", "string"))
                        .add(MAPPER.createObjectNode().put("type", "number"));
                return true;
            }
            case "IntOrString" -> {
                schema.put("description", "IntOrString is a type that can hold an int32 or a string.")
                        .put("type", "string").put("format", "int-or-string").put("x-kubernetes-int-or-string", true);
                return true;
            }
            case "Time", "MicroTime" -> {
                schema.put("description", type.getSimpleName() + " is a timestamp in RFC 3339 form.")
                        .put("type", "string").put("format", "date-time");
                return true;
            }
            case "Duration" -> {
                schema.put("type", "string");
                return true;
            }
            case "FieldsV1" -> {
                schema.put("description", "FieldsV1 stores a set of fields in a data structure like a Trie.")
                        .put("type", "object").put("x-kubernetes-preserve-unknown-fields", true);
                return true;
            }
            default -> {
                if (!isBean(type)) {
                    schema.put("type", "object").put("x-kubernetes-preserve-unknown-fields", true);
                    return true;
                }
                return false;
            }
        }
    }

    /** A fabric8 model class deserialized field by field (not an interface, not with its own deserializer). */
    private static boolean isBean(Class<?> type) {
        if (type.isInterface() || Modifier.isAbstract(type.getModifiers()) || !type.getName().startsWith(MODEL)) {
            return false;
        }
        JsonDeserialize custom = type.getAnnotation(JsonDeserialize.class);
        return custom == null || custom.using() == JsonDeserializer.None.class;
    }

    private ObjectNode fieldSchema(JavaType t) {
        Class<?> raw = t.getRawClass();
        ObjectNode s = MAPPER.createObjectNode();
        if (raw == String.class || raw == Character.class || raw.isEnum()) {
            return s.put("type", "string");
        }
        if (raw == Integer.class || raw == int.class || raw == Short.class || raw == short.class) {
            return s.put("type", "integer").put("format", "int32");
        }
        if (raw == Long.class || raw == long.class) {
            return s.put("type", "integer").put("format", "int64");
        }
        if (raw == Boolean.class || raw == boolean.class) {
            return s.put("type", "boolean");
        }
        if (Number.class.isAssignableFrom(raw) || raw == double.class || raw == float.class) {
            return s.put("type", "number").put("format", "double");
        }
        if (raw == byte[].class) {
            return s.put("type", "string").put("format", "byte");
        }
        if (Collection.class.isAssignableFrom(raw) || raw.isArray()) {
            s.put("type", "array");
            s.set("items", fieldSchema(t.getContentType()));
            return s;
        }
        if (Map.class.isAssignableFrom(raw)) {
            JavaType value = t.getContentType();
            if (value == null || value.getRawClass() == Object.class) {
                return s.put("type", "object").put("x-kubernetes-preserve-unknown-fields", true);
            }
            s.put("type", "object");
            s.set("additionalProperties", fieldSchema(value));
            return s;
        }
        if (raw.getName().startsWith(MODEL)) {
            return s.put("$ref", "#/definitions/" + generate(raw));
        }
        return s.put("type", "object").put("x-kubernetes-preserve-unknown-fields", true);
    }

    /** The Kubernetes OpenAPI name of a model class. */
    static String definitionName(Class<?> type) {
        String simple = type.getSimpleName();
        String pkg = type.getPackageName();
        if (simple.equals("Quantity")) {
            return "io.k8s.apimachinery.pkg.api.resource.Quantity";
        }
        if (simple.equals("IntOrString")) {
            return "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
        }
        if (pkg.equals(MODEL)) {
            return (META_TYPES.contains(simple) ? META : "io.k8s.api.core.v1.") + simple;
        }
        String rest = pkg.startsWith(MODEL + ".") ? pkg.substring(MODEL.length() + 1) : pkg;
        if (rest.startsWith("gatewayapi.")) {
            return "io.k8s.networking.gateway." + rest.substring("gatewayapi.".length()) + "." + simple;
        }
        if (rest.startsWith("apiextensions.")) {
            return "io.k8s.apiextensions-apiserver.pkg.apis." + rest + "." + simple;
        }
        if (!rest.contains(".")) {
            rest = rest + ".v1"; // apps, rbac, storage: fabric8 keeps their v1 classes without a version package
        }
        return "io.k8s.api." + rest + "." + simple;
    }
}
