package io.jenkins.plugins.kubeplatform.engine.edgevm;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import io.fabric8.kubernetes.client.dsl.Listable;
import io.fabric8.kubernetes.client.dsl.Watchable;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.kube.ApiRetry;
import io.jenkins.plugins.kubeplatform.engine.kube.WatchedObjects;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Waits for one object through the engine's resumable watch ({@link WatchedObjects}): a dropped watch is resumed at
 * once, and the object is listed again before a timeout is declared.
 */
final class Await {

    private Await() {
    }

    /**
     * Returns once {@code condition} holds for the object named {@code name} ({@code null} while it does not exist);
     * throws {@link KubernetesClientTimeoutException} at the timeout.
     */
    static <T extends HasMetadata, S extends Listable<? extends KubernetesResourceList<T>> & Watchable<T>>
            void until(String what, String namespace, String name, S source, Predicate<T> condition, Duration timeout,
            ApiRetry retry, Progress progress) {
        Optional<Boolean> met = WatchedObjects.await(what, source, (List<T> items) -> {
            T object = items.stream().filter(o -> name.equals(o.getMetadata().getName())).findFirst().orElse(null);
            return condition.test(object) ? Optional.of(true) : Optional.empty();
        }, timeout, retry, progress);
        if (met.isEmpty()) {
            throw new KubernetesClientTimeoutException(what, name, namespace, timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
