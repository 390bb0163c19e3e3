package io.jenkins.plugins.kubeplatform.engine.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.Listable;
import io.fabric8.kubernetes.client.dsl.Watchable;
import io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The engine's one way to wait on cluster objects: a list, then a watch from the list's resourceVersion, kept
 * current across the network's failures. When the watch closes or errors it is opened again at once from the last
 * resourceVersion seen (bounded backoff while it keeps failing); when the server answers 410 Gone the objects are
 * listed again. Lists go through {@link ApiRetry}. Waiting threads are woken on every change, and
 * {@link #await} looks at a fresh list before it concludes that a condition was not met in time, so a dropped watch
 * can delay a wait by at most the re-watch backoff but never turns into a wrong timeout. A watch is opened without
 * waiting for it ({@link WatchAttempt}): while it has not opened the objects are listed again every
 * {@link #MAX_REWATCH_BACKOFF} from its first second on, and an open that did not complete within
 * {@link WatchAttempt#OPEN_TIMEOUT} is given up and tried again, so a watch that never starts (fabric8 would wait
 * for it forever) cannot stall a wait either.
 *
 * <p>Clients built by {@link KubernetesClients} leave reconnecting to this class (fabric8's own reconnect backs off
 * up to 32 s); with other clients fabric8 reconnects first and this class takes over when it gives up.
 */
public final class WatchedObjects<T extends HasMetadata> implements AutoCloseable {

    /** Longest pause between two attempts to watch again while watches keep failing. */
    static final Duration MAX_REWATCH_BACKOFF = Duration.ofMillis(500);
    /** A watch that lasted this long before it ended counts as healthy: the next one opens without backoff. */
    static final Duration HEALTHY_WATCH = Duration.ofSeconds(1);
    /** Watches ending this many times in a row without a healthy one: each reopen lists first. */
    static final int FLAPPING = 3;
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final String what;
    private final Listable<? extends KubernetesResourceList<T>> lister;
    private final Watchable<T> watcher;
    private final ApiRetry retry;
    private final Progress progress;
    private final Object lock = new Object();
    private final Object listing = new Object();
    private final Map<String, T> objects = new LinkedHashMap<>();
    private final ScheduledExecutorService reconnector;
    private final ExecutorService opener;
    private final Duration openTimeout;
    private long changes;
    private String resourceVersion;
    private WatchAttempt<T> attempt;
    private boolean closed;
    private final RewatchBackoff backoff = new RewatchBackoff();
    private int rewatches;
    private int relists;
    private Optional<String> lastProblem = Optional.empty();

    private WatchedObjects(String what, Listable<? extends KubernetesResourceList<T>> lister,
            Watchable<T> watcher, ApiRetry retry, Progress progress, Duration openTimeout) {
        this.what = what;
        this.lister = lister;
        this.watcher = watcher;
        this.retry = retry;
        this.progress = progress;
        this.reconnector = RewatchBackoff.reconnector("kubeplatform-watch-", THREADS);
        this.opener = WatchAttempt.opener("kubeplatform-watch-open-", THREADS);
        this.openTimeout = openTimeout;
    }

    /**
     * Lists {@code source} (with retries) and starts watching it; {@code what} names the objects in messages
     * ("pods of shop/web").
     *
     * @throws OperationFailedException when the objects cannot be listed even after retries
     */
    public static <T extends HasMetadata, S extends Listable<? extends KubernetesResourceList<T>> & Watchable<T>>
            WatchedObjects<T> start(String what, S source, ApiRetry retry, Progress progress) {
        return start(what, source, retry, progress, WatchAttempt.OPEN_TIMEOUT);
    }

    /** {@link #start}, giving up a watch that did not open within {@code openTimeout} (tests). */
    static <T extends HasMetadata, S extends Listable<? extends KubernetesResourceList<T>> & Watchable<T>>
            WatchedObjects<T> start(String what, S source, ApiRetry retry, Progress progress, Duration openTimeout) {
        WatchedObjects<T> watched = new WatchedObjects<>(what, source, source, retry, progress, openTimeout);
        try {
            watched.relist();
            watched.openWatch();
        } catch (RuntimeException e) {
            watched.close();
            throw e;
        }
        return watched;
    }

    /**
     * Waits until the objects of {@code source} (typically one object, selected with a {@code metadata.name} field
     * selector) satisfy {@code condition}, through a resumable watch; empty when they still do not after a fresh
     * list at the timeout. Reports progress every 10 s.
     */
    public static <T extends HasMetadata, S extends Listable<? extends KubernetesResourceList<T>> & Watchable<T>, R>
            Optional<R> await(String what, S source, Function<List<T>, Optional<R>> condition, Duration timeout,
            ApiRetry retry, Progress progress) {
        try (WatchedObjects<T> watched = start(what, source, retry, progress)) {
            return watched.await(condition, timeout, REPORT_EVERY, "waiting for " + what);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationFailedException("Interrupted while waiting for " + what, e);
        }
    }

    /** How often a long wait reports that it is still waiting. */
    public static final Duration REPORT_EVERY = Duration.ofSeconds(10);

    /** A counter that moves on every change; pass it to {@link #awaitChange}. */
    public long changes() {
        synchronized (lock) {
            return changes;
        }
    }

    /** Waits until something changed after {@code seen}, or {@code max} passed. */
    public void awaitChange(long seen, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (lock) {
            while (changes == seen && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
        }
    }

    /** The objects as currently known. */
    public List<T> list() {
        synchronized (lock) {
            return new ArrayList<>(objects.values());
        }
    }

    /** Lists again now (with retries), so that what follows looks at the server's current state. */
    public void refresh() {
        relist();
    }

    /**
     * Waits until {@code condition} answers something for the current objects, at most {@code timeout}; before it
     * gives up it lists again and asks once more. While waiting it reports {@code describe} every
     * {@code reportEvery} (with how long it has waited).
     */
    public <R> Optional<R> await(Function<List<T>, Optional<R>> condition, Duration timeout, Duration reportEvery,
            String describe) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        long nextReport = start + reportEvery.toNanos();
        while (true) {
            long seen = changes();
            Optional<R> answer = condition.apply(list());
            if (answer.isPresent()) {
                return answer;
            }
            long now = System.nanoTime();
            if (now - deadline >= 0) {
                try {
                    relist();
                } catch (OperationFailedException | KubernetesClientException e) {
                    return Optional.empty();
                }
                return condition.apply(list());
            }
            if (now - nextReport >= 0) {
                progress.waiting(describe + " (" + Duration.ofNanos(now - start).toSeconds() + "s of "
                        + timeout.toSeconds() + "s" + problemNote() + ")");
                nextReport = now + reportEvery.toNanos();
            }
            awaitChange(seen, Duration.ofNanos(Math.max(1, Math.min(deadline - now, nextReport - now))));
        }
    }

    /** The last failure to list or watch, if the watch is not healthy now ("watch of pods of x/y: HTTP 503 ..."). */
    public Optional<String> problem() {
        synchronized (lock) {
            return lastProblem;
        }
    }

    private String problemNote() {
        return problem().map(p -> "; " + p).orElse("");
    }

    /** How often the watch was opened again after it closed or failed. */
    public int rewatches() {
        synchronized (lock) {
            return rewatches;
        }
    }

    /** How often the objects were listed again after the first list (410 Gone, or before a timeout). */
    public int relists() {
        synchronized (lock) {
            return relists;
        }
    }

    /**
     * Lists and replaces the objects with the answer. One list at a time ({@link #listing}): the waiting thread's
     * {@link #refresh} and the reconnector's lists never overlap, so an older answer is never applied after a newer.
     */
    private void relist() {
        synchronized (listing) {
            KubernetesResourceList<T> listed = retry.call("list " + what, lister::list);
            synchronized (lock) {
                if (resourceVersion != null) {
                    relists++;
                }
                objects.clear();
                for (T item : listed.getItems()) {
                    objects.put(key(item), item);
                }
                resourceVersion = listed.getMetadata() == null ? null : listed.getMetadata().getResourceVersion();
                changed();
            }
        }
    }

    /**
     * Starts opening the watch from the last resourceVersion seen, without waiting for it: while it has not opened,
     * the objects are listed again every {@link #MAX_REWATCH_BACKOFF} from the first second on (waits keep seeing
     * changes), and after the open timeout the attempt is given up and the watch resumed like one that ended.
     */
    private void openWatch() {
        WatchAttempt<T> a;
        ListOptions options;
        synchronized (lock) {
            if (closed) {
                return;
            }
            options = new ListOptionsBuilder().withResourceVersion(resourceVersion).withAllowWatchBookmarks(true)
                    .build();
            a = new WatchAttempt<>(new Events());
            attempt = a;
        }
        long started = System.nanoTime();
        a.start(watcher, options, opener).opened().whenComplete((w, e) -> {
            if (e != null) {
                KubernetesClientException failure = WatchAttempt.failure(e);
                if (a.end()) {
                    resume(failure.getCode() == 410, ApiRetry.serverMessage(failure));
                }
                return;
            }
            synchronized (lock) {
                if (attempt == a && a.open()) {
                    backoff.opened();
                }
            }
        });
        scheduleOpenCheck(a, started, HEALTHY_WATCH);
    }

    /**
     * While attempt {@code a} has not opened: after {@code delay}, lists again (and checks again every
     * {@link #MAX_REWATCH_BACKOFF}), and gives it up after the open timeout. The first check waits
     * {@link #HEALTHY_WATCH}: an open normally takes milliseconds, and one list per wait is the common case.
     */
    private void scheduleOpenCheck(WatchAttempt<T> a, long started, Duration delay) {
        try {
            reconnector.schedule(() -> {
                synchronized (lock) {
                    if (closed || attempt != a) {
                        return;
                    }
                }
                if (a.opened().isDone()) {
                    return; // opened, or failed and resumed
                }
                if (System.nanoTime() - started >= openTimeout.toNanos()) {
                    if (a.end()) {
                        resume(false, "it did not open within " + openTimeout.toMillis() + " ms");
                    }
                    return;
                }
                try {
                    relist();
                } catch (RuntimeException e) {
                    synchronized (lock) {
                        lastProblem = Optional.of("list of " + what + " failed: " + e.getMessage());
                    }
                }
                scheduleOpenCheck(a, started, MAX_REWATCH_BACKOFF);
            }, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closedMeanwhile) {
            // closed while the watch opened: nothing to check
        }
    }

    /** Opens the watch again after it ended: from the last resourceVersion, or from a new list after 410 Gone. */
    private void resume(boolean gone, String cause) {
        long delay;
        boolean listFirst;
        synchronized (lock) {
            if (closed) {
                return;
            }
            lastProblem = Optional.of("watch of " + what + " ended: " + cause);
            delay = backoff.nextDelayMillis();
            rewatches++;
            // watches that keep ending at once (a proxy cutting every stream) may never deliver an event: list again
            // so that the wait still sees changes, at most once per backoff
            listFirst = gone || backoff.failuresInARow() >= FLAPPING;
        }
        try {
            reconnector.schedule(() -> {
                try {
                    if (listFirst) {
                        relist();
                    }
                } catch (KubernetesClientException e) {
                    resume(e.getCode() == 410, ApiRetry.serverMessage(e));
                    return;
                } catch (RuntimeException e) {
                    resume(false, String.valueOf(e.getMessage()));
                    return;
                }
                openWatch();
            }, delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closedMeanwhile) {
            // closed while the watch ended: nothing to resume
        }
    }

    private void changed() {
        changes++;
        lock.notifyAll();
    }

    private static String key(HasMetadata o) {
        return o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
    }

    @Override
    public void close() {
        WatchAttempt<T> current;
        synchronized (lock) {
            closed = true;
            current = attempt;
            attempt = null;
            lock.notifyAll();
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
            synchronized (lock) {
                if (closed || resource == null || resource.getMetadata() == null) {
                    return;
                }
                String rv = resource.getMetadata().getResourceVersion();
                if (rv != null) {
                    resourceVersion = rv;
                }
                lastProblem = Optional.empty();
                switch (action) {
                    case ADDED, MODIFIED -> objects.put(key(resource), resource);
                    case DELETED -> objects.remove(key(resource));
                    default -> {
                        return; // a bookmark only moves the resourceVersion
                    }
                }
                changed();
            }
        }

        @Override
        public boolean reconnecting() {
            return false;
        }

        @Override
        public void onClose(WatcherException cause) {
            resume(cause.isHttpGone(), String.valueOf(cause.getMessage()));
        }

        @Override
        public void onClose() {
            // closed by us
        }
    }
}
