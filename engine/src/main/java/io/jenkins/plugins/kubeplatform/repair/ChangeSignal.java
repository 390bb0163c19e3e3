package io.jenkins.plugins.kubeplatform.repair;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Wakes a waiting driver when a node or a pod on it changes (watches), so waits end as soon as there is something
 * to look at instead of after a fixed sleep. Events are hints: the driver always observes again before deciding,
 * and waits are bounded, so a lost watch only delays.
 */
public final class ChangeSignal implements AutoCloseable {

    private final Runnable listener;
    private final List<Watch> watches = new ArrayList<>();
    private boolean signalled;

    public ChangeSignal() {
        this(() -> { });
    }

    /** {@code listener} runs on the watch thread for every change (the Jenkins step reschedules itself from it). */
    public ChangeSignal(Runnable listener) {
        this.listener = listener;
    }

    /** Watches the node and the pods bound to it. */
    public void watchNode(KubernetesClient client, String node) {
        watches.add(client.nodes().withName(node).watch(new Hint<>(n -> true)));
        watches.add(client.pods().inAnyNamespace().withField("spec.nodeName", node)
                .watch(new Hint<>(p -> p.getSpec() == null || node.equals(p.getSpec().getNodeName()))));
    }

    public synchronized void signal() {
        signalled = true;
        notifyAll();
        listener.run();
    }

    /** Waits until signalled or {@code atMost} passed; returns whether a signal came. Clears the signal. */
    public synchronized boolean await(Duration atMost) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (!signalled) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        signalled = false;
        return true;
    }

    @Override
    public void close() {
        watches.forEach(Watch::close);
        watches.clear();
    }

    private final class Hint<T> implements Watcher<T> {
        private final Predicate<T> relevant;

        Hint(Predicate<T> relevant) {
            this.relevant = relevant;
        }

        @Override
        public void eventReceived(Action action, T resource) {
            if (relevant.test(resource)) {
                signal();
            }
        }

        @Override
        public void onClose(WatcherException cause) {
            // waits are bounded by the recheck interval; a closed watch only makes the next look later
        }
    }

}
