package io.jenkins.plugins.kubeplatform.sim;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.MockResponse;
import java.util.Map;

/**
 * The mock's CRUD dispatcher over an {@link IndexedStore}: every lookup it makes by scanning its store (a get, a
 * list, a delete, the existing object of a create, update or patch) is limited to the key range of the request.
 * Updates keep an object whose graceful deletion is still running ({@link GracefulPutHandler}).
 */
final class IndexedCrudDispatcher extends KubernetesCrudDispatcher {

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
}
