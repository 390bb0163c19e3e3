package io.jenkins.plugins.kubeplatform.sim;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What a {@link SimController} gets from the cluster: an API client whose requests are marked as the simulation's
 * own, the options, the clock and speed, an event recorder, and one thread of its own on which all its callbacks
 * and delayed actions run (so a controller needs no locking).
 */
public final class SimContext implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SimContext.class.getName());
    /** How often observed objects are relisted to catch events a reconnecting watch missed. */
    private static final Duration RESYNC = Duration.ofSeconds(5);
    /** How long {@link #observe} waits for its watch to open before it lists anyway. */
    static final Duration WATCH_OPEN_WAIT = Duration.ofSeconds(2);

    private final String name;
    private final KubernetesClient client;
    private final SimOptions options;
    private final Clock clock;
    private final SimEvents events;
    private final ScheduledExecutorService executor;
    private final List<Watch> watches = new CopyOnWriteArrayList<>();
    private final ExecutorService opener;
    private volatile boolean closed;

    SimContext(String name, KubernetesClient client, SimOptions options, Clock clock) {
        this.name = name;
        this.client = client;
        this.options = options;
        this.clock = clock;
        this.events = new SimEvents(client, clock, name);
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sim-" + name);
            t.setDaemon(true);
            return t;
        });
        this.opener = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "sim-" + name + "-watch-open");
            t.setDaemon(true);
            return t;
        });
    }

    /** Client for the simulated API server; its requests are logged as internal and never get injected faults. */
    public KubernetesClient client() {
        return client;
    }

    public SimOptions options() {
        return options;
    }

    public Clock clock() {
        return clock;
    }

    public double speed() {
        return options.speed();
    }

    /** Wall-clock time of a simulated delay ({@code simulated / speed}). */
    public Duration scaled(Duration simulated) {
        return options.scaled(simulated);
    }

    public SimEvents events() {
        return events;
    }

    /** This controller's own thread. */
    public ScheduledExecutorService executor() {
        return executor;
    }

    /** Runs the action on the controller's thread. */
    public void run(Runnable action) {
        if (!closed) {
            executor.execute(safe(action));
        }
    }

    /** Runs the action on the controller's thread after a simulated delay (scaled by speed). */
    public ScheduledFuture<?> after(Duration simulated, Runnable action) {
        return executor.schedule(safe(action), scaled(simulated).toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Keeps a cache of the objects the source selects and calls the handler for each change, on the controller's
     * thread. The watch is opened before the initial list, so no change between the two is lost (the mock server
     * does not replay history from a resourceVersion); a listed object already seen through the watch is not
     * reported twice. If the watch closes with an error it is reopened and the objects relisted. The watch opens on
     * a thread of its own, and the list waits for it at most {@link #WATCH_OPEN_WAIT}: a watch that never starts
     * (fabric8 would wait for it forever) never stops this controller, whose resync then keeps the cache current.
     */
    public <T extends HasMetadata, L extends KubernetesResourceList<T>> Observed<T> observe(
            FilterWatchListDeletable<T, L, ?> source, ChangeHandler<T> handler) {
        return observe(source, handler, RESYNC);
    }

    /** As {@link #observe(FilterWatchListDeletable, ChangeHandler)}, relisting every {@code resync}. */
    public <T extends HasMetadata, L extends KubernetesResourceList<T>> Observed<T> observe(
            FilterWatchListDeletable<T, L, ?> source, ChangeHandler<T> handler, Duration resync) {
        Observed<T> cache = new Observed<>();
        connect(source, handler, cache, false);
        executor.scheduleWithFixedDelay(safe(() -> resync(source, handler, cache)), resync.toMillis(),
                resync.toMillis(), TimeUnit.MILLISECONDS);
        return cache;
    }

    /**
     * Relists and reports what the watch did not: a watch that fabric8 silently reconnects can miss events, because
     * the mock server does not replay history from a resourceVersion.
     */
    private <T extends HasMetadata, L extends KubernetesResourceList<T>> void resync(
            FilterWatchListDeletable<T, L, ?> source, ChangeHandler<T> handler, Observed<T> cache) {
        L listed = source.list();
        long listVersion = -1;
        if (listed.getMetadata() != null && listed.getMetadata().getResourceVersion() != null) {
            try {
                listVersion = Long.parseLong(listed.getMetadata().getResourceVersion());
            } catch (NumberFormatException e) {
                listVersion = -1;
            }
        }
        for (T item : listed.getItems()) {
            if (cache.observe(item)) {
                handler.changed(cache.freshest(item));
            }
        }
        if (listVersion >= 0) {
            for (T gone : cache.missingFrom(listed.getItems(), listVersion)) {
                handler.deleted(gone);
            }
        }
    }

    private <T extends HasMetadata, L extends KubernetesResourceList<T>> void connect(
            FilterWatchListDeletable<T, L, ?> source, ChangeHandler<T> handler, Observed<T> cache, boolean relist) {
        if (closed) {
            return;
        }
        try {
            // the watch opens on a thread of its own: fabric8 waits for a watch to start without a bound (against
            // a server that closes it as it opens it, forever), and this controller's thread must keep running
            AtomicBoolean live = new AtomicBoolean(true);
            Future<?> opening = opener.submit(() -> open(source, handler, cache, live));
            try {
                opening.get(WATCH_OPEN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException notYet) {
                // list anyway: the resync below covers what a late watch misses, and the watch is used once open
            } catch (ExecutionException e) {
                return; // the opener scheduled the retry
            }
            List<T> items = source.list().getItems();
            run(() -> {
                if (relist) {
                    for (T gone : cache.retainOnly(items)) {
                        handler.deleted(gone);
                    }
                }
                for (T item : items) {
                    if (cache.observe(item)) {
                        handler.changed(cache.freshest(item));
                    }
                }
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            retry(source, handler, cache, e);
        }
    }

    /** Opens the watch (on an opener thread); a failure, or a close while {@code live}, schedules a new connect. */
    private <T extends HasMetadata, L extends KubernetesResourceList<T>> void open(
            FilterWatchListDeletable<T, L, ?> source, ChangeHandler<T> handler, Observed<T> cache, AtomicBoolean live) {
        try {
            Watch watch = source.watch(new Watcher<T>() {
                @Override
                public void eventReceived(Action action, T object) {
                    if (!live.get()) {
                        return;
                    }
                    run(() -> {
                        if (action == Action.DELETED) {
                            if (cache.observeDeleted(object)) {
                                handler.deleted(object);
                            }
                        } else if (action != Action.ERROR && cache.observe(object)) {
                            handler.changed(cache.freshest(object));
                        }
                    });
                }

                @Override
                public void onClose(WatcherException cause) {
                    if (live.compareAndSet(true, false) && !closed) {
                        executor.schedule(() -> connect(source, handler, cache, true), 100, TimeUnit.MILLISECONDS);
                    }
                }
            });
            if (closed || !live.get()) {
                watch.close();
            } else {
                watches.add(watch);
            }
        } catch (RuntimeException e) {
            if (live.compareAndSet(true, false)) {
                retry(source, handler, cache, e);
            }
            throw e;
        }
    }

    private <T extends HasMetadata, L extends KubernetesResourceList<T>> void retry(
            FilterWatchListDeletable<T, L, ?> source, ChangeHandler<T> handler, Observed<T> cache, RuntimeException e) {
        if (!closed) {
            LOG.log(Level.FINE, "sim-" + name + ": watch failed, retrying", e);
            try {
                executor.schedule(() -> connect(source, handler, cache, true), 200, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException closedMeanwhile) {
                // closed: nothing to retry
            }
        }
    }

    private Runnable safe(Runnable action) {
        return () -> {
            if (closed) {
                return;
            }
            try {
                action.run();
            } catch (RuntimeException e) {
                if (!closed) {
                    LOG.log(Level.WARNING, "sim-" + name + ": " + e.getMessage(), e);
                }
            }
        };
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
        for (Watch w : watches) {
            try {
                w.close();
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "closing watch", e);
            }
        }
        executor.shutdownNow();
        opener.shutdownNow(); // a watch still opening gives up
    }
}
