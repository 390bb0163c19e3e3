package io.jenkins.plugins.kubeplatform.engine.kube;

import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.Watchable;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One attempt to open a fabric8 watch, made on an opener thread so that its owner decides how long to wait.
 * fabric8's {@code watch()} waits without a bound for the watch to start, and the Vert.x client can leave that wait
 * unanswered for good when the server ends the stream as it opens it (as a proxy cutting streams does, or an API
 * server that answers a watch with an error event and closes it): measured with the simulated server closing every
 * watch at once, two runs of 400 opens stopped for good at the 24th and at the 357th. The owner ends an attempt
 * that took too long, or that ended on its own; an ended attempt passes no more events on and closes its watch, now
 * or when it opens later.
 */
final class WatchAttempt<T> {

    /**
     * Longest wait for a watch to open. A real API server may hold a watch up to about 3 s before it starts (a
     * resourceVersion newer than its watch cache), plus queueing under load.
     */
    static final Duration OPEN_TIMEOUT = Duration.ofSeconds(10);

    private final Watcher<T> target;
    private final CompletableFuture<Watch> opened = new CompletableFuture<>();
    private Watch watch;
    private boolean ended;

    /**
     * An attempt whose events go to {@code target}; {@code target.onClose(cause)} is called at most once, when the
     * watch ended on its own while the attempt was live (the attempt is ended by then).
     */
    WatchAttempt(Watcher<T> target) {
        this.target = target;
    }

    /** Starts opening the watch of {@code source} on one of {@code opener}'s threads; see {@link #opened()}. */
    WatchAttempt<T> start(Watchable<T> source, ListOptions options, ExecutorService opener) {
        try {
            opener.execute(() -> {
                try {
                    Watch w = source.watch(options, new Gate());
                    boolean late;
                    synchronized (this) {
                        watch = w;
                        late = ended;
                    }
                    if (late) {
                        w.close();
                    }
                    opened.complete(w);
                } catch (RuntimeException e) {
                    opened.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException closedMeanwhile) {
            opened.completeExceptionally(new KubernetesClientException("the watch was closed while it opened"));
        }
        return this;
    }

    /** Completes when fabric8 returned the watch, or exceptionally with its failure to open it. */
    CompletableFuture<Watch> opened() {
        return opened;
    }

    /**
     * Waits for the watch to open, at most {@code timeout}; an attempt that did not open in time, failed, or
     * was interrupted is ended and reported as a {@link KubernetesClientException} (its cause's, when it failed).
     */
    void awaitOpen(Duration timeout) {
        try {
            opened.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            end();
            throw new KubernetesClientException("the watch did not open within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            end();
            throw failure(e);
        } catch (InterruptedException e) {
            end();
            Thread.currentThread().interrupt();
            throw new KubernetesClientException("Interrupted while opening a watch");
        }
    }

    /** The exception a failed open reports, as fabric8 raised it when it is one of its own. */
    static KubernetesClientException failure(Throwable e) {
        Throwable cause = (e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null
                ? e.getCause() : e;
        return cause instanceof KubernetesClientException k ? k
                : new KubernetesClientException(String.valueOf(cause.getMessage()), cause);
    }

    /** Whether the watch is open and the attempt not ended. */
    synchronized boolean open() {
        return watch != null && !ended;
    }

    /**
     * Ends the attempt: no more events pass, and its watch is closed (now, or when it opens). Returns whether this
     * call ended it (false when it had ended already), so that exactly one caller acts on an attempt's end.
     */
    boolean end() {
        return end(true);
    }

    private boolean end(boolean closeWatch) {
        Watch toClose;
        synchronized (this) {
            if (ended) {
                return false;
            }
            ended = true;
            toClose = closeWatch ? watch : null;
        }
        if (toClose != null) {
            toClose.close();
        }
        return true;
    }

    private synchronized boolean live() {
        return !ended;
    }

    /** Threads that open watches: daemon threads named {@code prefix} and a number, created as needed. */
    static ExecutorService opener(String prefix, AtomicInteger threads) {
        return Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, prefix + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Passes events on while the attempt is live. */
    private final class Gate implements Watcher<T> {
        @Override
        public void eventReceived(Action action, T resource) {
            if (live()) {
                target.eventReceived(action, resource);
            }
        }

        @Override
        public boolean reconnecting() {
            return false;
        }

        @Override
        public void onClose(WatcherException cause) {
            if (end(false)) { // fabric8 closed it already
                target.onClose(cause);
            }
        }

        @Override
        public void onClose() {
            // closed by its owner
        }
    }
}
