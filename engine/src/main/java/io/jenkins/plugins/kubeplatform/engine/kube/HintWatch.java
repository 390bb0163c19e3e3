package io.jenkins.plugins.kubeplatform.engine.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.Watchable;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
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
    private final ExecutorService opener;
    private final Duration openTimeout;
    private String resourceVersion;
    private WatchAttempt<T> attempt;
    private boolean closed;
    private final RewatchBackoff backoff = new RewatchBackoff();

    private HintWatch(Watchable<T> source, Consumer<T> onEvent, Runnable onGap, Duration openTimeout) {
        this.source = source;
        this.onEvent = onEvent;
        this.onGap = onGap;
        this.reconnector = RewatchBackoff.reconnector("kubeplatform-hint-watch-", THREADS);
        this.opener = WatchAttempt.opener("kubeplatform-hint-watch-open-", THREADS);
        this.openTimeout = openTimeout;
    }

    /**
     * Opens the watch; {@code onEvent} gets every changed object, {@code onGap} runs after the watch broke.
     *
     * @throws KubernetesClientException when the first watch cannot be opened (e.g. the resource does not exist)
     */
    public static <T extends HasMetadata> HintWatch<T> open(Watchable<T> source, Consumer<T> onEvent, Runnable onGap) {
        return open(source, onEvent, onGap, WatchAttempt.OPEN_TIMEOUT);
    }

    /** {@link #open}, giving up a watch that did not open within {@code openTimeout} (tests). */
    static <T extends HasMetadata> HintWatch<T> open(Watchable<T> source, Consumer<T> onEvent, Runnable onGap,
                                                     Duration openTimeout) {
        HintWatch<T> hint = new HintWatch<>(source, onEvent, onGap, openTimeout);
        try {
            hint.openWatch();
        } catch (RuntimeException e) {
            hint.close();
            throw e;
        }
        return hint;
    }

    /** Opens the watch from the last resourceVersion seen, waiting at most the open timeout. */
    private void openWatch() {
        WatchAttempt<T> a;
        ListOptions options;
        synchronized (lock) {
            if (closed) {
                return;
            }
            options = new ListOptionsBuilder().withResourceVersion(resourceVersion).build();
            a = new WatchAttempt<>(new Events());
            attempt = a;
        }
        a.start(source, options, opener).awaitOpen(openTimeout);
        synchronized (lock) {
            if (!closed && attempt == a && a.open()) {
                backoff.opened();
            }
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
        WatchAttempt<T> current;
        synchronized (lock) {
            closed = true;
            current = attempt;
            attempt = null;
        }
        if (current != null) {
            current.end();
        }
        reconnector.shutdownNow();
        opener.shutdownNow(); // an open still waiting in fabric8 gives up
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
