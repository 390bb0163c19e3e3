package io.jenkins.plugins.kubeplatform.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The mock's CRUD dispatcher over an {@link IndexedStore}: every lookup it makes by scanning its store (a get, a
 * list, a delete, the existing object of a create, update or patch) is limited to the key range of the request.
 *
 * <p>It stores the {@code metadata.generation} each create or update carries: {@link ApiSemantics} sets it by the
 * kind's registry strategy ({@link io.jenkins.plugins.kubeplatform.sim.api.Generation}). The mock itself would give
 * every created object generation 1 and raise it on any change outside metadata and status, whatever the kind.
 *
 * <p>Updates keep an object whose graceful deletion is still running ({@link GracefulPutHandler}).
 */
final class IndexedCrudDispatcher extends KubernetesCrudDispatcher {

    /** The generation the create being handled on this thread stores (a missing node: none). */
    private final ThreadLocal<JsonNode> creating = new ThreadLocal<>();

    IndexedCrudDispatcher() {
        IndexedStore.install(this);
        GracefulPutHandler.install(this);
    }

    @Override
    public MockResponse handleGet(String path) {
        return IndexedStore.scoped(getAttributeExtractor().fromPath(path), () -> super.handleGet(path));
    }

    @Override
    public MockResponse handleDelete(String path) {
        return IndexedStore.scoped(getAttributeExtractor().fromPath(path), () -> super.handleDelete(path));
    }

    @Override
    public Map.Entry<AttributeSet, String> findResource(AttributeSet query) {
        return IndexedStore.scoped(query, () -> super.findResource(query));
    }

    @Override
    public MockResponse handleCreate(RecordedRequest request) {
        JsonNode requested;
        try {
            requested = ApiSemantics.JSON.readTree(request.getBody().getBytes()).path("metadata").path("generation");
        } catch (IOException | RuntimeException e) {
            return super.handleCreate(request); // the mock answers what it cannot read
        }
        creating.set(requested);
        try {
            MockResponse response = super.handleCreate(request);
            if (response.code() < 300 && response.getBody() != null) {
                response.setBody(withGeneration(new String(response.getBody().getBytes(), StandardCharsets.UTF_8),
                        requested));
            }
            return response;
        } finally {
            creating.remove();
        }
    }

    @Override
    public void processEvent(String path, AttributeSet pathAttributes, AttributeSet oldAttributes,
            GenericKubernetesResource resource, String newResource) {
        JsonNode requested = creating.get();
        if (requested != null && oldAttributes == null && newResource != null) {
            newResource = withGeneration(newResource, requested);
        }
        super.processEvent(path, pathAttributes, oldAttributes, resource, newResource);
    }

    /**
     * What the mock keeps of the stored metadata in an update (namespace, uid, creation timestamp, resource version),
     * without its generation: the update carries the one its kind's strategy gives it.
     */
    @Override
    public void preserveMetadata(JsonNode current, JsonNode updated) {
        ObjectNode stored = (ObjectNode) current.get("metadata");
        ObjectNode meta = (ObjectNode) updated.get("metadata");
        meta.put("namespace", stored.path("namespace").asText(null));
        for (String field : List.of("uid", "creationTimestamp", "resourceVersion")) {
            meta.put(field, stored.get(field).asText());
        }
    }

    /**
     * A write that changes the object gets a new resourceVersion; one that changes nothing keeps it, as the real
     * store's no-op update does. Decided by deep equality of the two trees (linear in their size) rather than the
     * mock's JSON diff, whose longest-common-subsequence over arrays costs the square of their length: an
     * Endpoints or EndpointSlice of 1000 addresses made each write cost a million comparisons.
     */
    @Override
    public void touchResourceVersion(JsonNode current, JsonNode updated) {
        if (!current.equals(updated)) {
            ((ObjectNode) updated.get("metadata")).put("resourceVersion", String.valueOf(requestResourceVersion()));
        }
    }

    @Override
    public void touchGeneration(JsonNode current, JsonNode updated) {
        // the update carries the generation its kind's strategy gives it (ApiSemantics)
    }

    private static String withGeneration(String json, JsonNode generation) {
        JsonNode object = ApiSemantics.read(json);
        if (!(object.get("metadata") instanceof ObjectNode meta)) {
            return json;
        }
        setGeneration(meta, generation);
        return object.toString();
    }

    private static void setGeneration(ObjectNode meta, JsonNode generation) {
        if (generation.isNumber()) {
            meta.set("generation", generation);
        } else {
            meta.remove("generation");
        }
    }
}
