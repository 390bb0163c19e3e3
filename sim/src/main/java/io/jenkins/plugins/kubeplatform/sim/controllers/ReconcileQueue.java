package io.jenkins.plugins.kubeplatform.sim.controllers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.jenkins.plugins.kubeplatform.sim.SimContext;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * Coalesced reconcile requests, as a controller work queue does: at most one pending run per namespace/name, and the
 * run reconciles the latest cached state of the object (or nothing, if it is gone by then).
 */
final class ReconcileQueue<T extends HasMetadata> {

    private final SimContext ctx;
    private final BiFunction<String, String, Optional<T>> latest;
    private final Consumer<T> reconcile;
    private final Set<String> pending = ConcurrentHashMap.newKeySet();

    ReconcileQueue(SimContext ctx, BiFunction<String, String, Optional<T>> latest, Consumer<T> reconcile) {
        this.ctx = ctx;
        this.latest = latest;
        this.reconcile = reconcile;
    }

    void add(T object) {
        String namespace = object.getMetadata().getNamespace();
        String name = object.getMetadata().getName();
        String key = namespace + "/" + name;
        if (pending.add(key)) {
            ctx.run(() -> {
                pending.remove(key);
                latest.apply(namespace, name).ifPresent(reconcile);
            });
        }
    }
}
