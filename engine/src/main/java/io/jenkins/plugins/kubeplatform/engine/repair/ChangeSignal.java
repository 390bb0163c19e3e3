package io.jenkins.plugins.kubeplatform.engine.repair;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.engine.kube.HintWatch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Wakes a waiting driver when a node or a pod on it changes (watches), so waits end as soon as there is something
 * to look at instead of after a fixed sleep. Events are hints: the driver always observes again before deciding,
 * and waits are bounded. A watch that drops is resumed at once ({@link HintWatch}) and counts as a signal, since
 * events may have been missed.
 */
public final class ChangeSignal implements AutoCloseable {

    private final Runnable listener;
    private final List<HintWatch<?>> watches = new ArrayList<>();
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
        watches.add(HintWatch.open(client.nodes().withField("metadata.name", node), n -> signal(), this::signal));
        watches.add(HintWatch.open(client.pods().inAnyNamespace().withField("spec.nodeName", node), p -> {
            if (p.getSpec() == null || node.equals(p.getSpec().getNodeName())) {
                signal();
            }
        }, this::signal));
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
        watches.forEach(HintWatch::close);
        watches.clear();
    }
}
