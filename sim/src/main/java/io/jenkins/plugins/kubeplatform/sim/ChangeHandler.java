package io.jenkins.plugins.kubeplatform.sim;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** Receives objects observed through {@link SimContext#observe}; called on the controller's thread. */
public interface ChangeHandler<T extends HasMetadata> {

    /** The object was added or modified (or listed at start or after a reconnect). */
    void changed(T object);

    /** The object is gone. */
    default void deleted(T object) {
    }
}
