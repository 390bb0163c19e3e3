package io.jenkins.plugins.kubeplatform.sim.controllers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Read-modify-write with optimistic concurrency, as controllers do it: change a copy, {@code update} with the
 * resourceVersion it was read at, and on 409 re-read and try again. Several simulated controllers write the same
 * pods, so blind patches could undo each other.
 *
 * <p>Like a real API server, the simulated one ignores {@code .status} in a write of the object itself and everything
 * but {@code .status} and the metadata labels and annotations (a deployment's labels excepted) in a write of its
 * {@code status} subresource, so status goes through {@link #updateStatus} and spec through {@link #update}; a change
 * of both is two writes.
 *
 * <p>After a conflict {@link #update} and {@link #updateStatus} apply {@code change} again to the newer object, so
 * {@code change} must decide on the object it is given (a real controller decides on its latest copy). A decision
 * made outside it, from the copy the caller read (counts, scale targets, conditions), goes through
 * {@link #updateOnce} or {@link #updateStatusOnce}: one write at the version read, nothing after a conflict, as the
 * real controllers return the conflict and are requeued, to decide again on the newer object its watch event brings.
 */
public final class Writes {

    private static final int ATTEMPTS = 8;

    private Writes() {
    }

    /**
     * Applies {@code change} (which mutates its argument and returns whether it changed anything) to a copy of
     * {@code current} and writes it. Returns the written object, or empty if nothing needed changing or the object
     * is gone.
     */
    public static <T extends HasMetadata> Optional<T> update(KubernetesClient client, T current, Predicate<T> change) {
        return write(client, current, change, false, ATTEMPTS);
    }

    /**
     * Applies {@code change} to a copy of {@code decidedOn} and writes it at the resourceVersion it was read at, once.
     * Empty if nothing needed changing, the object is gone, or it changed since (409): the decision was made on a copy
     * that is no longer the latest.
     */
    public static <T extends HasMetadata> Optional<T> updateOnce(KubernetesClient client, T decidedOn,
            Predicate<T> change) {
        return write(client, decidedOn, change, false, 1);
    }

    /** As {@link #updateOnce}, through the {@code status} subresource. */
    public static <T extends HasMetadata> Optional<T> updateStatusOnce(KubernetesClient client, T decidedOn,
            Predicate<T> change) {
        return write(client, decidedOn, change, true, 1);
    }

    /**
     * As {@link #update}, through the {@code status} subresource ({@code PUT .../status}): for changes of
     * {@code .status}, which a write of the object itself would not persist.
     */
    public static <T extends HasMetadata> Optional<T> updateStatus(KubernetesClient client, T current,
            Predicate<T> change) {
        return write(client, current, change, true, ATTEMPTS);
    }

    private static <T extends HasMetadata> Optional<T> write(KubernetesClient client, T current, Predicate<T> change,
            boolean status, int attempts) {
        T base = current;
        for (int attempt = 0; attempt < attempts && base != null; attempt++) {
            T copy = client.getKubernetesSerialization().clone(base);
            if (!change.test(copy)) {
                return Optional.empty();
            }
            try {
                return Optional.of(status ? client.resource(copy).updateStatus() : client.resource(copy).update());
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404) {
                    return Optional.empty();
                }
                if (e.getCode() != 409) {
                    throw e;
                }
                if (attempt + 1 < attempts) {
                    base = client.resource(base).get();
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Deletes with default options, as the controllers' {@code DeleteOptions{}} (a pod gets its own grace period);
     * NotFound counts as done.
     */
    public static void delete(KubernetesClient client, HasMetadata object) {
        try {
            client.resource(object).delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }

    /** Deletes with grace 0, as the pod garbage collector force-deletes; NotFound counts as done. */
    public static void forceDelete(KubernetesClient client, HasMetadata object) {
        try {
            client.resource(object).withGracePeriod(0).delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }
}
