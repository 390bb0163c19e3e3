package io.jenkins.plugins.kubeplatform.engine.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.Watchable;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A watch whose events are only hints to look again (the receiver always re-reads before deciding), kept open across
 * the network's failures: when it closes or errors, {@code onGap} runs (the receiver may have missed events, so it
 * should look again) and the watch is opened again from the last resourceVersion seen, or from now after 410 Gone,
 * at once and then with a bounded backoff while it keeps failing. The companion of {@link WatchedObjects} for
 * long-lived watchers that keep no copy of the objects.
 */
public final class HintWatch<T extends HasMetadata> implements AutoCloseable {

    private static final AtomicInteger THREADS = new AtomicInteger();

    private final Watchable<T> source;
    private final Consumer<T> onEvent;
    private final Runnable onGap;
    private final ScheduledExecutorService reconnector;
    private final Object lock = new Object();
    private String resourceVersion;
    private Watch watch;
    private boolean closed;
    private final RewatchBackoff backoff = new RewatchBackoff();

    private HintWatch(Watchable<T> source, Consumer<T> onEvent, Runnable onGap) {
        this.source = source;
        this.onEvent = onEvent;
        this.onGap = onGap;
        this.reconnector = RewatchBackoff.reconnector("kubeplatform-hint-watch-", THREADS);
    }

    /**
     * Opens the watch; {@code onEvent} gets every changed object, {@code onGap} runs after the watch broke.
     *
     * @throws KubernetesClientException when the first watch cannot be opened (e.g. the resource does not exist)
     */
    public static <T extends HasMetadata> HintWatch<T> open(Watchable<T> source, Consumer<T> onEvent, Runnable onGap) {
        HintWatch<T> hint = new HintWatch<>(source, onEvent, onGap);
        try {
            hint.openWatch();
        } catch (RuntimeException e) {
            hint.close();
            throw e;
        }
        return hint;
    }

    private void openWatch() {
        String from;
        synchronized (lock) {
            if (closed) {
                return;
            }
            from = resourceVersion;
        }
        Watch opened = source.watch(new ListOptionsBuilder().withResourceVersion(from).build(), new Events());
        synchronized (lock) {
            if (closed) {
                opened.close();
                return;
            }
            watch = opened;
            backoff.opened();
        }
    }

    private void resume(boolean gone) {
        long delay;
        synchronized (lock) {
            if (closed) {
                return;
            }
            if (gone) {
                resourceVersion = null;
            }
            delay = backoff.nextDelayMillis();
        }
        onGap.run();
        try {
            reconnector.schedule(() -> {
                try {
                    openWatch();
                } catch (KubernetesClientException e) {
                    resume(e.getCode() == 410);
                } catch (RuntimeException e) {
                    resume(false);
                }
            }, delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closedMeanwhile) {
            // closed while the watch ended: nothing to resume
        }
    }

    @Override
    public void close() {
        Watch current;
        synchronized (lock) {
            closed = true;
            current = watch;
            watch = null;
        }
        if (current != null) {
            current.close();
        }
        reconnector.shutdownNow();
    }

    private final class Events implements Watcher<T> {
        @Override
        public void eventReceived(Action action, T resource) {
            if (resource == null || resource.getMetadata() == null) {
                return;
            }
            synchronized (lock) {
                if (closed) {
                    return;
                }
                if (resource.getMetadata().getResourceVersion() != null) {
                    resourceVersion = resource.getMetadata().getResourceVersion();
                }
            }
            if (action != Action.BOOKMARK) {
                onEvent.accept(resource);
            }
        }

        @Override
        public boolean reconnecting() {
            return false;
        }

        @Override
        public void onClose(WatcherException cause) {
            resume(cause.isHttpGone());
        }

        @Override
        public void onClose() {
            // closed by us
        }
    }
}
