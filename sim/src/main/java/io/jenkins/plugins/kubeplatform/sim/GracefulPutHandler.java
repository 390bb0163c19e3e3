package io.jenkins.plugins.kubeplatform.sim;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.crud.KubernetesCrudDispatcherException;
import io.fabric8.kubernetes.client.server.mock.crud.KubernetesCrudDispatcherHandler;
import io.fabric8.kubernetes.client.server.mock.crud.KubernetesCrudPersistence;
import io.fabric8.kubernetes.client.server.mock.crud.PutHandler;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.MockResponse;
import java.util.Map;

/**
 * The mock's update handler with the API server's rule for writes of an object being deleted
 * ({@code ShouldDeleteDuringUpdate}, k8s.io/apiserver pkg/registry/generic/registry/store.go): an update removes it
 * only when it has no finalizers left and its {@code deletionGracePeriodSeconds} is 0. The mock removes every object
 * with a {@code deletionTimestamp} and no finalizers, which would end a pod's graceful deletion at the first status
 * write of its kubelet; such a write of an object whose grace period is still running is stored as any other.
 */
final class GracefulPutHandler extends PutHandler {

    private final KubernetesCrudPersistence persistence;

    private GracefulPutHandler(KubernetesCrudPersistence persistence) {
        super(persistence);
        this.persistence = persistence;
    }

    /** Puts this handler in place of the dispatcher's own update handler. */
    static void install(KubernetesCrudDispatcher dispatcher) {
        try {
            java.lang.reflect.Field field = KubernetesCrudDispatcher.class.getDeclaredField("putHandler");
            field.setAccessible(true);
            field.set(dispatcher, new GracefulPutHandler(dispatcher));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot replace the mock's update handler", e);
        }
    }

    @Override
    public MockResponse handle(String path, String contentType, String requestBody)
            throws KubernetesCrudDispatcherException {
        GenericKubernetesResource resource = validateRequestBody(requestBody);
        Long grace = resource.getMetadata().getDeletionGracePeriodSeconds();
        if (!resource.isMarkedForDeletion() || grace == null || grace == 0) {
            return super.handle(path, contentType, requestBody);
        }
        // the mock's own write path, without its removal of a marked object that has no finalizers
        AttributeSet key = persistence.getKey(path);
        Map.Entry<AttributeSet, String> existing = persistence.findResource(key);
        if (existing == null) {
            return new MockResponse().setResponseCode(404);
        }
        JsonNode current = persistence.asNode(existing);
        JsonNode updated;
        if (KubernetesCrudDispatcherHandler.isStatusPath(path)) {
            updated = current.deepCopy();
            KubernetesCrudDispatcherHandler.setStatus(updated, persistence.asNode(requestBody).get("status"));
        } else {
            updated = persistence.asNode(requestBody);
            if (persistence.isStatusSubresourceEnabledForResource(path)) {
                KubernetesCrudDispatcherHandler.setStatus(updated, current.get("status"));
            }
        }
        validatePath(key, updated);
        validateResourceVersion(current, updated);
        persistence.preserveMetadata(current, updated);
        if (!KubernetesCrudDispatcherHandler.isStatusPath(path)) {
            persistence.touchGeneration(current, updated);
        }
        persistence.touchResourceVersion(current, updated);
        String stored = Serialization.asJson(updated);
        persistence.processEvent(path, key, existing.getKey(), null, stored);
        return new MockResponse().setResponseCode(200).setBody(stored);
    }
}
