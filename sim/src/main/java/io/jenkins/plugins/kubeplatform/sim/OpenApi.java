package io.jenkins.plugins.kubeplatform.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.MockResponse;
import io.jenkins.plugins.kubeplatform.sim.openapi.ModelSchemas;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code /version}, {@code /openapi/v3} (root and one document per group/version) and {@code /openapi/v2} for the
 * kinds this server serves: every operation with its group/version/kind, the {@code fieldValidation},
 * {@code dryRun} and {@code fieldManager} parameters (so kubectl validates on the server) and the patch types it
 * accepts (strategic merge patch for built-in kinds only, so kubectl computes it from these schemas), and a schema
 * per kind with every definition it references: generated from the fabric8 model ({@link ModelSchemas}) for
 * built-in kinds and Gateway API, a CRD's own {@code openAPIV3Schema} otherwise (top-level fields when it has none).
 */
final class OpenApi {

    static final String GIT_VERSION = SimulatedCluster.KUBERNETES_VERSION;
    private static final String PATCH = "io.k8s.apimachinery.pkg.apis.meta.v1.Patch";

    private final Discovery discovery;
    private final Map<String, JsonNode> crdSchemas;

    OpenApi(Discovery discovery, Map<String, JsonNode> crdSchemas) {
        this.discovery = discovery;
        this.crdSchemas = crdSchemas;
    }

    static MockResponse version() {
        ObjectNode v = ApiSemantics.JSON.createObjectNode().put("major", "1").put("minor", "32")
                .put("gitVersion", GIT_VERSION).put("gitCommit", "0000000000000000000000000000000000000000")
                .put("gitTreeState", "clean").put("buildDate", "2025-04-22T16:03:48Z").put("goVersion", "go1.23.6")
                .put("compiler", "gc").put("platform", "linux/amd64");
        return StatusResponses.json(200, v.toString());
    }

    Optional<MockResponse> answer(String path) {
        if (path.equals("/openapi/v3")) {
            ObjectNode root = ApiSemantics.JSON.createObjectNode();
            ObjectNode paths = root.putObject("paths");
            for (String gv : groupVersions()) {
                String p = gv.contains("/") ? "apis/" + gv : "api/" + gv;
                paths.putObject(p).put("serverRelativeURL", "/openapi/v3/" + p + "?hash=" + hash(gv));
            }
            return Optional.of(StatusResponses.json(200, root.toString()));
        }
        if (path.startsWith("/openapi/v3/")) {
            String rest = path.substring("/openapi/v3/".length());
            String gv = rest.startsWith("apis/") ? rest.substring(5) : rest.startsWith("api/") ? rest.substring(4)
                    : "";
            if (!groupVersions().contains(gv)) {
                return Optional.of(StatusResponses.status(404, "NotFound",
                        "the server could not find the requested resource", null));
            }
            return Optional.of(StatusResponses.json(200, document(gv, true).toString()));
        }
        if (path.equals("/openapi/v2")) {
            ObjectNode doc = ApiSemantics.JSON.createObjectNode().put("swagger", "2.0");
            doc.putObject("info").put("title", "Kubernetes").put("version", GIT_VERSION);
            ObjectNode paths = doc.putObject("paths");
            ObjectNode definitions = doc.putObject("definitions");
            for (String gv : groupVersions()) {
                ObjectNode d = document(gv, false);
                d.path("paths").fields().forEachRemaining(e -> paths.set(e.getKey(), e.getValue()));
                d.path("components").path("schemas").fields().forEachRemaining(e -> definitions.set(e.getKey(),
                        e.getValue()));
            }
            return Optional.of(StatusResponses.json(200, doc.toString()));
        }
        return Optional.empty();
    }

    private List<String> groupVersions() {
        return discovery.kinds().stream().map(k -> k.group().isEmpty() ? k.version() : k.group() + "/" + k.version())
                .distinct().toList();
    }

    private static String hash(String gv) {
        return String.format("%016X", (long) gv.hashCode() * 2654435761L);
    }

    private ObjectNode document(String gv, boolean v3) {
        ObjectNode doc = ApiSemantics.JSON.createObjectNode();
        if (v3) {
            doc.put("openapi", "3.0.0");
            doc.putObject("info").put("title", "Kubernetes").put("version", GIT_VERSION);
        }
        ObjectNode paths = doc.putObject("paths");
        ObjectNode schemas = doc.putObject("components").putObject("schemas");
        String ref = v3 ? "#/components/schemas/" : "#/definitions/";
        schemas.putObject(PATCH).put("type", "object").put("description", "Patch is provided to give a concrete "
                + "name and type to the Kubernetes PATCH request body.");
        for (Discovery.Kind k : discovery.kinds()) {
            String kgv = k.group().isEmpty() ? k.version() : k.group() + "/" + k.version();
            if (!kgv.equals(gv)) {
                continue;
            }
            Optional<String> model = ModelSchemas.get().kindDefinition(k.group(), k.version(), k.kind());
            String schemaName = model.orElseGet(() -> schemaName(k));
            if (model.isPresent()) {
                ModelSchemas.get().closure(model.get(), ref).forEach(schemas::set);
            } else {
                schemas.set(schemaName, schema(k));
            }
            String prefix = (k.group().isEmpty() ? "/api/" : "/apis/") + gv
                    + (k.namespaced() ? "/namespaces/{namespace}/" : "/") + k.plural();
            ObjectNode collection = paths.putObject(prefix);
            operation(collection, "get", "list", k, ref + schemaName, v3);
            operation(collection, "post", "post", k, ref + schemaName, v3);
            ObjectNode item = paths.putObject(prefix + "/{name}");
            operation(item, "get", "get", k, ref + schemaName, v3);
            operation(item, "put", "put", k, ref + schemaName, v3);
            operation(item, "patch", "patch", k, ref + schemaName, v3);
            operation(item, "delete", "delete", k, ref + schemaName, v3);
        }
        return doc;
    }

    private static void operation(ObjectNode pathItem, String method, String action, Discovery.Kind k, String ref,
            boolean v3) {
        ObjectNode op = pathItem.putObject(method).put("operationId", action + k.kind())
                .put("x-kubernetes-action", action);
        op.putObject("x-kubernetes-group-version-kind").put("group", k.group()).put("version", k.version())
                .put("kind", k.kind());
        ArrayNode params = op.putArray("parameters");
        if (!method.equals("get")) {
            for (String p : List.of("dryRun", "fieldManager", "fieldValidation")) {
                ObjectNode param = params.addObject().put("name", p).put("in", "query").put("uniqueItems", true);
                if (v3) {
                    param.putObject("schema").put("type", "string");
                } else {
                    param.put("type", "string");
                }
            }
        }
        if (method.equals("patch")) {
            params.addObject().put("name", "force").put("in", "query").put("uniqueItems", true);
        }
        if (!method.equals("get") && !method.equals("delete")) {
            List<String> types = !method.equals("patch") ? List.of("*/*")
                    : io.jenkins.plugins.kubeplatform.sim.api.Patches.BUILT_IN_GROUPS.contains(k.group())
                    ? List.of("application/apply-patch+yaml", "application/json-patch+json",
                            "application/merge-patch+json", "application/strategic-merge-patch+json")
                    : List.of("application/apply-patch+yaml", "application/json-patch+json",
                            "application/merge-patch+json");
            String body = method.equals("patch") ? ref.substring(0, ref.lastIndexOf('/') + 1) + PATCH : ref;
            if (v3) {
                ObjectNode content = op.putObject("requestBody").put("required", true).putObject("content");
                types.forEach(t -> content.putObject(t).putObject("schema").put("$ref", body));
            } else {
                ArrayNode consumes = op.putArray("consumes");
                types.forEach(consumes::add);
                params.addObject().put("name", "body").put("in", "body").put("required", true)
                        .putObject("schema").put("$ref", body);
            }
        }
        ObjectNode ok = op.putObject("responses").putObject("200").put("description", "OK");
        if (v3) {
            ok.putObject("content").putObject("application/json").putObject("schema").put("$ref", ref);
        } else {
            ok.putObject("schema").put("$ref", ref);
        }
    }

    static String schemaName(Discovery.Kind k) {
        if (Patches().contains(k.group())) {
            String g = k.group().isEmpty() ? "core" : k.group().replace(".k8s.io", "").replace(".", "_");
            String prefix = k.group().equals("apiextensions.k8s.io")
                    ? "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions" : "io.k8s.api." + g;
            return prefix + "." + k.version() + "." + k.kind();
        }
        String[] parts = k.group().split("\\.");
        StringBuilder reversed = new StringBuilder();
        for (int i = parts.length - 1; i >= 0; i--) {
            reversed.append(parts[i]).append('.');
        }
        return reversed + k.version() + "." + k.kind();
    }

    private static java.util.Set<String> Patches() {
        return io.jenkins.plugins.kubeplatform.sim.api.Patches.BUILT_IN_GROUPS;
    }

    private ObjectNode schema(Discovery.Kind k) {
        JsonNode crd = crdSchemas.get(k.group() + "/" + k.version() + "/" + k.plural());
        ObjectNode s;
        if (crd != null && crd.isObject()) {
            s = ((ObjectNode) crd).deepCopy();
        } else {
            s = ApiSemantics.JSON.createObjectNode().put("type", "object").put("description", k.kind()
                    + " (" + (k.group().isEmpty() ? "" : k.group() + "/") + k.version() + "), as served by the "
                    + "simulated cluster; its fields are those of Kubernetes v1.32.");
            ObjectNode props = s.putObject("properties");
            props.putObject("apiVersion").put("type", "string").put("description", "APIVersion defines the "
                    + "versioned schema of this representation of an object.");
            props.putObject("kind").put("type", "string").put("description", "Kind is a string value representing "
                    + "the REST resource this object represents.");
            props.putObject("metadata").put("type", "object").put("description", "Standard object's metadata.");
            props.putObject("spec").put("type", "object").put("description", "Specification of the desired "
                    + "behavior of the " + k.kind() + ".");
            props.putObject("status").put("type", "object").put("description", "Most recently observed status of "
                    + "the " + k.kind() + ". Read-only.");
        }
        s.putArray("x-kubernetes-group-version-kind").addObject().put("group", k.group()).put("version", k.version())
                .put("kind", k.kind());
        return s;
    }

    /** The openAPIV3Schema of every served CRD version, by {@code group/version/plural}. */
    static Map<String, JsonNode> crdSchemas(JsonNode crdList) {
        Map<String, JsonNode> out = new TreeMap<>();
        for (JsonNode crd : crdList.path("items")) {
            JsonNode spec = crd.path("spec");
            for (JsonNode v : spec.path("versions")) {
                JsonNode schema = v.path("schema").path("openAPIV3Schema");
                if (schema.isObject()) {
                    out.put(spec.path("group").asText() + "/" + v.path("name").asText() + "/"
                            + spec.path("names").path("plural").asText(), schema);
                }
            }
        }
        return out;
    }
}
