package io.jenkins.plugins.kubeplatform.engine.expose;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.kubeplatform.engine.kube.ApiRetry;
import io.jenkins.plugins.kubeplatform.engine.kube.Conflicts;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A route object exposeApp created for an owner, as a release finds it: what it deletes. {@code uid} and
 * {@code resourceVersion} are the object's as the release read it, so the delete removes that object and no other.
 */
record CreatedRoute(RouteKind kind, String namespace, String name, List<String> hosts, String uid,
                    String resourceVersion) {

    private static final int ATTEMPTS = 5;

    CreatedRoute(RouteKind kind, ObjectMeta meta, List<String> hosts) {
        this(kind, meta.getNamespace(), meta.getName(), hosts, meta.getUid(), meta.getResourceVersion());
    }

    String describe() {
        return kind.objectKind() + " " + namespace + "/" + name;
    }

    /**
     * Deletes the object with a resourceVersion precondition. A {@code 409} means it changed since it was read: the
     * same object (same uid, e.g. a controller wrote its status) is deleted at its new version; another object that
     * took the name meanwhile is left alone.
     *
     * @param read     the object's metadata now, null when it is gone
     * @param deleteAt deletes the object if its resourceVersion is the given one
     * @return true when the object is gone, false when another object now has the name (left in place)
     */
    boolean deleteGuarded(ApiRetry retry, Supplier<ObjectMeta> read, Consumer<String> deleteAt) {
        String version = resourceVersion;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            String at = version;
            try {
                retry.run("delete " + describe(), () -> deleteAt.accept(at));
                return true;
            } catch (KubernetesClientException e) {
                if (Conflicts.isNotFound(e)) {
                    return true;
                }
                if (e.getCode() != 409) {
                    throw e;
                }
            }
            Optional<ObjectMeta> now = Optional.ofNullable(retry.call("read " + describe(), read::get));
            if (now.isEmpty()) {
                return true;
            }
            if (uid == null || !uid.equals(now.get().getUid())) {
                return false;
            }
            version = now.get().getResourceVersion();
        }
        throw new io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException("could not delete " + describe()
                + ": it changed " + ATTEMPTS + " times while being deleted; retry the release");
    }
}
