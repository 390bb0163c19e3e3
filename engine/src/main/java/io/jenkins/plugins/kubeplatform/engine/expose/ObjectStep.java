package io.jenkins.plugins.kubeplatform.engine.expose;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.function.Consumer;

/** A decided write of one object: {@code create}, {@code update} or {@code add port} (the object to send) or {@code unchanged} (live). */
record ObjectStep<T extends HasMetadata>(String action, T object) {

    /** Sends the decided write through {@code create} or {@code update}; nothing for {@code unchanged}. */
    void send(Consumer<T> create, Consumer<T> update) {
        if (action.equals("create")) {
            create.accept(object);
        } else if (action.equals("update") || action.equals("add port")) {
            update.accept(object);
        }
    }
}
