package io.jenkins.plugins.kubeplatform.sim.controllers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.jenkins.plugins.kubeplatform.sim.SimContext;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Coalesced reconcile requests, as a controller work queue does: at most one pending run per namespace/name, and the
 * run reconciles the latest cached state of the object (or nothing, if it is gone by then). A run that throws is
 * tried again after the queue's {@link RetryBackoff} delay ({@code processNextWorkItem}: {@code AddRateLimited} on
 * error, {@code Forget} on success); a watch event still runs the object at once, as {@code Add} does, without
 * resetting its backoff.
 */
final class ReconcileQueue<T extends HasMetadata> {

    private static final Logger LOG = Logger.getLogger(ReconcileQueue.class.getName());

    private final SimContext ctx;
    private final BiFunction<String, String, Optional<T>> latest;
    private final Consumer<T> reconcile;
    private final RetryBackoff backoff;
    private final long started = System.nanoTime();
    private final Set<String> pending = ConcurrentHashMap.newKeySet();

    ReconcileQueue(SimContext ctx, BiFunction<String, String, Optional<T>> latest, Consumer<T> reconcile) {
        this(ctx, latest, reconcile, RetryBackoff.controllerDefault());
    }

    ReconcileQueue(SimContext ctx, BiFunction<String, String, Optional<T>> latest, Consumer<T> reconcile,
            RetryBackoff backoff) {
        this.ctx = ctx;
        this.latest = latest;
        this.reconcile = reconcile;
        this.backoff = backoff;
    }

    void add(T object) {
        add(object.getMetadata().getNamespace(), object.getMetadata().getName());
    }

    private void add(String namespace, String name) {
        String key = namespace + "/" + name;
        if (pending.add(key)) {
            ctx.run(() -> {
                pending.remove(key);
                run(namespace, name, key);
            });
        }
    }

    private void run(String namespace, String name, String key) {
        Optional<T> object = latest.apply(namespace, name);
        if (object.isEmpty()) {
            backoff.forget(key);
            return;
        }
        try {
            reconcile.accept(object.get());
            backoff.forget(key);
        } catch (RuntimeException e) {
            double now = (System.nanoTime() - started) / 1e9 * ctx.speed();
            ctx.after(backoff.when(key, now), () -> add(namespace, name));
            if (!(e instanceof SyncError)) {
                throw e;
            }
            LOG.log(Level.FINE, "sync {0} failed: {1}", new Object[] {key, e.getMessage()});
        }
    }
}
