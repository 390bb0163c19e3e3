package io.jenkins.plugins.kubeplatform.engine.kube;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ConfigMapList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.kubeplatform.engine.store.StoreException;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Records kept as ConfigMaps of one namespace, told apart from other objects by one label: the paged list, the
 * guarded writes of optimistic concurrency and the bounded re-decide loop that the cluster stores share. Every write
 * is guarded: a create fails with AlreadyExists when another writer holds the name, an update carries the
 * resourceVersion it was decided on (409 Conflict when the object changed), a delete has a resourceVersion
 * precondition. A guarded write that meets another writer answers "conflict" (empty/false), never throws: the
 * caller decides again on a fresh read ({@link #decide}).
 */
public final class ConfigMapRecords {

    /**
     * The create that made an object (random per create): a create retried after a lost response recognises its own
     * object by it, never another writer's object with the same content.
     */
    public static final String WRITE_ANNOTATION = "kubeplatform.io/write-id";
    public static final int PAGE_SIZE = 500;

    /** Turns a failed request (not a conflict) into the store's error naming what was being done. */
    @FunctionalInterface
    public interface Failure {
        StoreException of(String what, KubernetesClientException e);
    }

    /** One round of a decision: done with a result (which may be null), or met another writer. */
    public record Round<R>(boolean done, R result) {
        public static <R> Round<R> done(R result) {
            return new Round<>(true, result);
        }

        public static <R> Round<R> conflict() {
            return new Round<>(false, null);
        }
    }

    private final KubernetesClient client;
    private final String namespace;
    private final String labelKey;
    private final String labelValue;
    private final ApiRetry retry;
    private final RandomGenerator jitter;
    private final Failure failure;
    private final int pageSize;

    public ConfigMapRecords(KubernetesClient client, String namespace, String labelKey, String labelValue,
                            ApiRetry retry, RandomGenerator jitter, Failure failure) {
        this(client, namespace, labelKey, labelValue, retry, jitter, failure, PAGE_SIZE);
    }

    ConfigMapRecords(KubernetesClient client, String namespace, String labelKey, String labelValue,
                     ApiRetry retry, RandomGenerator jitter, Failure failure, int pageSize) {
        this.client = Objects.requireNonNull(client, "client");
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.labelKey = Objects.requireNonNull(labelKey, "labelKey");
        this.labelValue = Objects.requireNonNull(labelValue, "labelValue");
        this.retry = Objects.requireNonNull(retry, "retry");
        this.jitter = Objects.requireNonNull(jitter, "jitter");
        this.failure = Objects.requireNonNull(failure, "failure");
        this.pageSize = pageSize;
    }

    public String namespace() {
        return namespace;
    }

    /** Every record, read page by page ({@value #PAGE_SIZE} at a time by default). */
    public List<ConfigMap> list() {
        return list(null, null);
    }

    /** The records that also carry {@code label}={@code value} (all records when {@code label} is null). */
    public List<ConfigMap> list(String label, String value) {
        List<ConfigMap> all = new ArrayList<>();
        String cont = null;
        do {
            String page = cont;
            ConfigMapList list = call("list the " + labelValue + " objects", () -> {
                var selected = client.configMaps().inNamespace(namespace).withLabel(labelKey, labelValue);
                if (label != null) {
                    selected = selected.withLabel(label, value);
                }
                return selected.list(new ListOptionsBuilder().withLimit((long) pageSize).withContinue(page).build());
            });
            all.addAll(list.getItems());
            cont = list.getMetadata() == null ? null : list.getMetadata().getContinue();
        } while (cont != null && !cont.isEmpty());
        return all;
    }

    /**
     * Creates {@code object} stamped with a fresh write-id; empty when another writer holds the name. A create whose
     * answer was lost and that was retried finds its own object by the write-id and returns it.
     */
    public Optional<ConfigMap> create(ConfigMap object, String what) {
        String writeId = Long.toHexString(jitter.nextLong()) + Long.toHexString(jitter.nextLong());
        ConfigMap stamped = new ConfigMapBuilder(object).editMetadata().withNamespace(namespace)
                .withResourceVersion(null).addToAnnotations(WRITE_ANNOTATION, writeId).endMetadata().build();
        try {
            return Optional.of(retry.call(what,
                    () -> client.configMaps().inNamespace(namespace).resource(stamped).create()));
        } catch (KubernetesClientException e) {
            if (!Conflicts.isAlreadyExists(e)) {
                throw failure.of(what, e);
            }
            String name = stamped.getMetadata().getName();
            ConfigMap there = call("read back " + name, () -> client.configMaps().inNamespace(namespace)
                    .withName(name).get());
            return Optional.ofNullable(there).filter(cm -> writeId.equals(writeIdOf(cm)));
        }
    }

    /** Updates {@code object}, which carries the resourceVersion it was decided on; empty when it changed or vanished. */
    public Optional<ConfigMap> update(ConfigMap object, String what) {
        if (object.getMetadata().getResourceVersion() == null) {
            throw new IllegalArgumentException("an unguarded update of " + object.getMetadata().getName());
        }
        try {
            return Optional.of(retry.call(what,
                    () -> client.configMaps().inNamespace(namespace).resource(object).update()));
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_CONFLICT || Conflicts.isNotFound(e)) {
                return Optional.empty();
            }
            throw failure.of(what, e);
        }
    }

    /** Deletes the object if unchanged since {@code resourceVersion}; true when it is gone, false when it changed. */
    public boolean delete(String name, String resourceVersion, String what) {
        try {
            retry.run(what, () -> client.configMaps().inNamespace(namespace).withName(name)
                    .lockResourceVersion(resourceVersion).delete());
            return true;
        } catch (KubernetesClientException e) {
            if (Conflicts.isNotFound(e)) {
                return true;
            }
            if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
                return false;
            }
            throw failure.of(what, e);
        }
    }

    /**
     * Runs {@code round} until it is done, at most {@code maxRounds} times with a jittered back-off between rounds
     * (writers that met stay apart); then throws {@code gaveUp}'s exception.
     */
    public <R> R decide(int maxRounds, Supplier<Round<R>> round, Supplier<StoreException> gaveUp) {
        for (int i = 1; i <= maxRounds; i++) {
            Round<R> outcome = round.get();
            if (outcome.done()) {
                return outcome.result();
            }
            long maxMillis = Math.min(200, 5L << Math.min(i, 6));
            LockSupport.parkNanos(Duration.ofMillis(1 + jitter.nextLong(maxMillis)).toNanos());
        }
        throw gaveUp.get();
    }

    public static String writeIdOf(ConfigMap cm) {
        return cm.getMetadata().getAnnotations() == null ? null
                : cm.getMetadata().getAnnotations().get(WRITE_ANNOTATION);
    }

    private <T> T call(String what, Supplier<T> action) {
        try {
            return retry.call(what, action);
        } catch (KubernetesClientException e) {
            throw failure.of(what, e);
        }
    }
}
