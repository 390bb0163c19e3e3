package io.jenkins.plugins.kubeplatform.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.jenkins.plugins.kubeplatform.sim.api.GoFields;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.kubernetes.client.proto.Runtime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Request bodies in {@code application/vnd.kubernetes.protobuf} (kubectl sends built-in objects that way), decoded
 * with the official Kubernetes v1.32 message definitions into the JSON the rest of the server works on: the
 * {@code k8s\0} envelope ({@code runtime.Unknown}) gives apiVersion and kind, the message is read by its
 * descriptor, and the types with a special JSON form (Time, MicroTime, IntOrString, Quantity, RawExtension,
 * FieldsV1) get it. Go writes every non-pointer scalar to protobuf even when zero; the JSON keeps a zero only where
 * the API server's would ({@link GoFields}: pointer fields and fields without {@code omitempty}), and the embedded
 * structs JSON inlines (a volume's source, a probe's handler) are written in place.
 */
final class ProtobufBodies {

    static final String MEDIA_TYPE = "application/vnd.kubernetes.protobuf";
    private static final byte[] MAGIC = {0x6b, 0x38, 0x73, 0x00};

    /** Loaded on the first protobuf body only: building the descriptors takes a while. */
    private static final class Files {
        static final Map<String, List<Descriptors.FileDescriptor>> BY_GROUP = Map.ofEntries(
            Map.entry("", List.of(io.kubernetes.client.proto.V1.getDescriptor())),
            Map.entry("apps", List.of(io.kubernetes.client.proto.V1Apps.getDescriptor())),
            Map.entry("batch", List.of(io.kubernetes.client.proto.V1Batch.getDescriptor())),
            Map.entry("policy", List.of(io.kubernetes.client.proto.V1Policy.getDescriptor())),
            Map.entry("networking.k8s.io", List.of(io.kubernetes.client.proto.V1Networking.getDescriptor())),
            Map.entry("rbac.authorization.k8s.io", List.of(io.kubernetes.client.proto.V1Rbac.getDescriptor())),
            Map.entry("authorization.k8s.io", List.of(io.kubernetes.client.proto.V1Authorization.getDescriptor())),
            Map.entry("autoscaling", List.of(io.kubernetes.client.proto.V1Autoscaling.getDescriptor())),
            Map.entry("storage.k8s.io", List.of(io.kubernetes.client.proto.V1Storage.getDescriptor())),
            Map.entry("scheduling.k8s.io", List.of(io.kubernetes.client.proto.V1Scheduling.getDescriptor())),
            Map.entry("meta.k8s.io", List.of(io.kubernetes.client.proto.Meta.getDescriptor())));
    }

    private ProtobufBodies() {
    }


    /** The request with its protobuf body rewritten as JSON; empty when the body cannot be decoded. */
    static Optional<RecordedRequest> asJson(RecordedRequest request) {
        byte[] bytes = request.getBody() == null ? new byte[0] : request.getBody().getBytes();
        try {
            JsonNode json = decode(bytes);
            Headers.Builder headers = new Headers.Builder();
            request.getHeaders().toMultimap().forEach((k, vs) -> {
                if (!k.equalsIgnoreCase("Content-Type") && !k.equalsIgnoreCase("Content-Length")) {
                    vs.forEach(v -> headers.add(k, v));
                }
            });
            headers.add("Content-Type", "application/json");
            return Optional.of(new RecordedRequest(request.getHttpVersion(), request.method(), request.getPath(),
                    headers.build(), new Buffer(json.toString().getBytes(StandardCharsets.UTF_8))));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static JsonNode decode(byte[] bytes) throws IOException {
        if (bytes.length < 4 || !Arrays.equals(Arrays.copyOf(bytes, 4), MAGIC)) {
            throw new IOException("provided data does not appear to be a protobuf message, expected prefix "
                    + Arrays.toString(MAGIC));
        }
        Runtime.Unknown unknown = Runtime.Unknown.parseFrom(Arrays.copyOfRange(bytes, 4, bytes.length));
        String apiVersion = unknown.getTypeMeta().getApiVersion();
        String kind = unknown.getTypeMeta().getKind();
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        Descriptors.Descriptor type = null;
        for (Descriptors.FileDescriptor file : Files.BY_GROUP.getOrDefault(group, List.of())) {
            type = file.findMessageTypeByName(kind);
            if (type != null) {
                break;
            }
        }
        if (type == null) {
            throw new IOException("no protobuf message for " + apiVersion + " " + kind);
        }
        DynamicMessage message = DynamicMessage.parseFrom(type, unknown.getRaw());
        ObjectNode json = JsonNodeFactory.instance.objectNode().put("apiVersion", apiVersion).put("kind", kind);
        JsonNode body = convert(message);
        body.fields().forEachRemaining(e -> json.set(e.getKey(), e.getValue()));
        return json;
    }

    private static JsonNode convert(Message message) throws InvalidProtocolBufferException {
        JsonNodeFactory f = JsonNodeFactory.instance;
        String type = message.getDescriptorForType().getFullName();
        switch (type) {
            case "k8s.io.apimachinery.pkg.apis.meta.v1.Time" -> {
                long seconds = longField(message, "seconds");
                return seconds == 0 ? null : f.textNode(Instant.ofEpochSecond(seconds).toString());
            }
            case "k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime" -> {
                return f.textNode(Instant.ofEpochSecond(longField(message, "seconds"), longField(message, "nanos"))
                        .toString());
            }
            case "k8s.io.apimachinery.pkg.apis.meta.v1.Duration" -> {
                return f.textNode(java.time.Duration.ofNanos(longField(message, "duration")).getSeconds() + "s");
            }
            case "k8s.io.apimachinery.pkg.util.intstr.IntOrString" -> {
                return longField(message, "type") == 0 ? f.numberNode(longField(message, "intVal"))
                        : f.textNode(String.valueOf(field(message, "strVal")));
            }
            case "k8s.io.apimachinery.pkg.api.resource.Quantity" -> {
                return f.textNode(String.valueOf(field(message, "string")));
            }
            case "k8s.io.apimachinery.pkg.runtime.RawExtension", "k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1" -> {
                Object raw = field(message, "raw");
                try {
                    return raw instanceof ByteString b ? ApiSemantics.JSON.readTree(b.toByteArray())
                            : f.nullNode();
                } catch (IOException e) {
                    return f.nullNode();
                }
            }
            default -> {
                ObjectNode out = f.objectNode();
                String goType = GoFields.typeName(type);
                for (Map.Entry<Descriptors.FieldDescriptor, Object> e : message.getAllFields().entrySet()) {
                    Descriptors.FieldDescriptor fd = e.getKey();
                    if (GoFields.isInline(goType, fd.getName()) && e.getValue() instanceof Message inline) {
                        JsonNode fields = convert(inline);
                        if (fields instanceof ObjectNode o) {
                            out.setAll(o);
                        }
                    } else if (fd.isMapField()) {
                        ObjectNode map = out.putObject(fd.getName());
                        for (Object entry : (List<?>) e.getValue()) {
                            Message m = (Message) entry;
                            Descriptors.FieldDescriptor k = m.getDescriptorForType().findFieldByName("key");
                            Descriptors.FieldDescriptor v = m.getDescriptorForType().findFieldByName("value");
                            map.set(String.valueOf(m.getField(k)), value(v, m.getField(v)));
                        }
                    } else if (fd.isRepeated()) {
                        ArrayNode list = out.putArray(fd.getName());
                        for (Object v : (List<?>) e.getValue()) {
                            list.add(value(fd, v));
                        }
                    } else {
                        JsonNode v = value(fd, e.getValue());
                        if (v != null && (fd.getJavaType() == Descriptors.FieldDescriptor.JavaType.MESSAGE
                                || !isZero(v) || GoFields.keepsZero(goType, fd.getName()))) {
                            out.set(fd.getName(), v);
                        }
                    }
                }
                return out;
            }
        }
    }

    private static JsonNode value(Descriptors.FieldDescriptor fd, Object v) throws InvalidProtocolBufferException {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return switch (fd.getJavaType()) {
            case MESSAGE -> convert((Message) v);
            case BYTE_STRING -> f.textNode(Base64.getEncoder().encodeToString(((ByteString) v).toByteArray()));
            case ENUM -> f.textNode(((Descriptors.EnumValueDescriptor) v).getName());
            case BOOLEAN -> f.booleanNode((Boolean) v);
            case INT -> f.numberNode((Integer) v);
            case LONG -> f.numberNode((Long) v);
            case FLOAT -> f.numberNode((Float) v);
            case DOUBLE -> f.numberNode((Double) v);
            case STRING -> f.textNode((String) v);
        };
    }

    /** The zero value of a scalar: what Go's JSON encoder leaves out of an {@code omitempty} non-pointer field. */
    private static boolean isZero(JsonNode v) {
        return v.isBoolean() ? !v.booleanValue() : v.isNumber() ? v.doubleValue() == 0 : v.isTextual() && v.asText()
                .isEmpty();
    }

    private static Object field(Message m, String name) {
        Descriptors.FieldDescriptor fd = m.getDescriptorForType().findFieldByName(name);
        return fd == null ? null : m.getField(fd);
    }

    private static long longField(Message m, String name) {
        Object v = field(m, name);
        return v instanceof Number n ? n.longValue() : 0L;
    }
}
