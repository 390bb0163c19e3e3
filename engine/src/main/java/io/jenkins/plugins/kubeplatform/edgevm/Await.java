package io.jenkins.plugins.kubeplatform.edgevm;

import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Waits for one object with a watch, re-reading it at least every {@link #RELIST} in case a watch event was lost
 * (a watch that reconnects does not get the events of the gap from every server, the test server among them).
 */
final class Await {

    static final Duration RELIST = Duration.ofSeconds(5);

    private Await() {
    }

    /** Returns the object once the condition holds; throws {@link KubernetesClientTimeoutException} at the timeout. */
    static <T> T until(Resource<T> resource, Predicate<T> condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            long window = Math.max(1, Math.min(left, RELIST.toNanos()));
            try {
                return resource.waitUntilCondition(condition, window, TimeUnit.NANOSECONDS);
            } catch (KubernetesClientTimeoutException e) {
                T now = resource.get();
                if (condition.test(now)) {
                    return now;
                }
                if (System.nanoTime() >= deadline) {
                    throw e;
                }
            }
        }
    }
}
