package io.jenkins.plugins.kubeplatform.sim;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One list and watch of a resource, handed to every controller that observes it (an informer). Each subscriber has
 * its own cache and hears every change on its own thread; the objects are decoded once and shared, so a handler
 * must not change them (a controller changes a copy, see {@code Writes}), as with client-go's shared informers.
 *
 * <p>The watch is opened before the initial list, so no change between the two is lost; a listed object already
 * seen through the watch is not reported twice. If the watch closes it is reopened and the objects relisted, and
 * every resync period the objects are relisted to catch what a reconnecting watch missed. The watch opens on a
 * thread of its own and the list waits for it at most {@link SimContext#WATCH_OPEN_WAIT}: fabric8 waits for a watch
 * to start without a bound, and a watch that never starts must not stop the controllers, whose resync then keeps
 * their caches current.
 */
final class Feed<T extends HasMetadata, L extends KubernetesResourceList<T>> implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Feed.class.getName());

    private final String name;
    private final FilterWatchListDeletable<T, L, ?> source;
    /** Where connects and resyncs run: a private feed's controller thread, or the shared informers' own. */
    private final ScheduledExecutorService executor;
    private final ExecutorService opener;
    private final List<Subscriber<T>> subscribers = new CopyOnWriteArrayList<>();
    /**
     * The objects as the feed last saw them, for a subscriber that comes after the first listing; kept only by a
     * shared feed (a controller's own feed has its one subscriber's cache).
     */
    private final Optional<Observed<T>> store;
    private volatile boolean closed;
    /** The watch in use and whether its events still count; guarded by this. */
    private Watch watch;
    private AtomicBoolean live;
    private boolean connected;
    private Duration resync;
    private ScheduledFuture<?> resyncing;

    Feed(String name, FilterWatchListDeletable<T, L, ?> source, ScheduledExecutorService executor,
         ExecutorService opener, boolean shared) {
        this.name = name;
        this.store = shared ? Optional.of(new Observed<>()) : Optional.empty();
        this.source = source;
        this.executor = executor;
        this.opener = opener;
    }

    /**
     * Adds a controller's handler and returns its cache. The first subscriber opens the watch and lists; a later one
     * is handed the objects the feed holds, as a started informer replays its store to a handler added late. The
     * feed relists at the shortest period any subscriber asked for.
     */
    Observed<T> subscribe(SimContext context, ChangeHandler<T> handler, Duration period) {
        Subscriber<T> s = new Subscriber<>(context, handler, new Observed<>());
        subscribers.add(s);
        boolean first;
        synchronized (this) {
            first = !connected;
            connected = true;
            if (resync == null || period.compareTo(resync) < 0) {
                resync = period;
                if (resyncing != null) {
                    resyncing.cancel(false);
                }
                resyncing = executor.scheduleWithFixedDelay(this::resync, period.toMillis(), period.toMillis(),
                        TimeUnit.MILLISECONDS);
            }
        }
        if (first) {
            connect(false);
        } else {
            // a change after this copy reaches the subscriber as an event; one before it is in the copy, and the
            // subscriber's cache keeps whichever version is newer
            s.listed(store.map(Observed::list).orElseGet(() -> source.list().getItems()), -1);
        }
        return s.cache();
    }

    /** The objects the feed holds now. */
    List<T> held() {
        return store.map(Observed::list).orElse(List.of());
    }

    /** Relists and reports what the watch did not: objects changed, and objects gone before the listing. */
    private void resync() {
        if (closed) {
            return;
        }
        try {
            deliver(source.list(), true);
        } catch (RuntimeException e) {
            if (!closed) {
                LOG.log(Level.FINE, name + ": resync failed", e);
            }
        }
    }

    /**
     * Hands a listing to the store and every subscriber. With {@code reportGone}, an object the cache holds at a
     * version no newer than the listing's and that the listing lacks is reported deleted; one created after the
     * listing (its event may come before the listing is handed over) is kept.
     */
    private void deliver(L listed, boolean reportGone) {
        long listVersion = -1;
        if (reportGone && listed.getMetadata() != null && listed.getMetadata().getResourceVersion() != null) {
            try {
                listVersion = Long.parseLong(listed.getMetadata().getResourceVersion());
            } catch (NumberFormatException e) {
                listVersion = -1;
            }
        }
        long version = listVersion;
        store.ifPresent(held -> {
            listed.getItems().forEach(held::observe);
            if (version >= 0) {
                held.missingFrom(listed.getItems(), version);
            }
        });
        for (Subscriber<T> s : subscribers) {
            s.listed(listed.getItems(), listVersion);
        }
    }

    /** Opens a new watch (closing the one before) and lists for every subscriber. */
    private void connect(boolean relist) {
        if (closed) {
            return;
        }
        try {
            AtomicBoolean fresh = replaceWatch();
            Future<?> opening = opener.submit(() -> open(fresh));
            try {
                opening.get(SimContext.WATCH_OPEN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException notYet) {
                // list anyway: the resync covers what a late watch misses, and the watch is used once open
            } catch (ExecutionException e) {
                return; // the opener scheduled the retry
            }
            deliver(source.list(), relist);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            retry(e);
        }
    }

    private synchronized AtomicBoolean replaceWatch() {
        if (live != null) {
            live.set(false);
        }
        if (watch != null) {
            closeQuietly(watch);
            watch = null;
        }
        live = new AtomicBoolean(true);
        return live;
    }

    /** Opens the watch (on an opener thread); a failure, or a close while {@code current}, schedules a reconnect. */
    private void open(AtomicBoolean current) {
        try {
            Watch opened = source.watch(new Watcher<T>() {
                @Override
                public void eventReceived(Action action, T object) {
                    if (current.get()) {
                        store.ifPresent(held -> {
                            if (action == Action.DELETED) {
                                held.observeDeleted(object);
                            } else if (action != Action.ERROR) {
                                held.observe(object);
                            }
                        });
                        for (Subscriber<T> s : subscribers) {
                            s.event(action, object);
                        }
                    }
                }

                @Override
                public void onClose(WatcherException cause) {
                    if (current.compareAndSet(true, false) && !closed) {
                        schedule(() -> connect(true), 100);
                    }
                }
            });
            synchronized (this) {
                if (closed || !current.get()) {
                    closeQuietly(opened);
                } else {
                    watch = opened;
                }
            }
        } catch (RuntimeException e) {
            if (current.compareAndSet(true, false)) {
                retry(e);
            }
            throw e;
        }
    }

    private void retry(RuntimeException e) {
        if (!closed) {
            LOG.log(Level.FINE, name + ": watch failed, retrying", e);
            schedule(() -> connect(true), 200);
        }
    }

    private void schedule(Runnable action, long millis) {
        try {
            executor.schedule(action, millis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closedMeanwhile) {
            // shut down: nothing to retry
        }
    }

    private static void closeQuietly(Watch w) {
        try {
            w.close();
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "closing watch", e);
        }
    }

    @Override
    public void close() {
        closed = true;
        synchronized (this) {
            if (resyncing != null) {
                resyncing.cancel(false);
            }
            if (live != null) {
                live.set(false);
            }
            if (watch != null) {
                closeQuietly(watch);
                watch = null;
            }
        }
    }

    /** A controller observing the feed: its cache and handler, served on its thread. */
    private record Subscriber<T extends HasMetadata>(SimContext context, ChangeHandler<T> handler, Observed<T> cache) {

        /** A listing; objects missing from it are reported deleted when its version is known ({@code >= 0}). */
        void listed(List<T> items, long listVersion) {
            on(() -> {
                report(items);
                if (listVersion >= 0) {
                    for (T gone : cache.missingFrom(items, listVersion)) {
                        handler.deleted(gone);
                    }
                }
            });
        }

        void event(Watcher.Action action, T object) {
            on(() -> {
                if (action == Watcher.Action.DELETED) {
                    if (cache.observeDeleted(object)) {
                        handler.deleted(object);
                    }
                } else if (action != Watcher.Action.ERROR && cache.observe(object)) {
                    handler.changed(cache.freshest(object));
                }
            });
        }

        private void report(List<T> items) {
            for (T item : items) {
                if (cache.observe(item)) {
                    handler.changed(cache.freshest(item));
                }
            }
        }

        private void on(Runnable action) {
            try {
                context.run(action);
            } catch (RejectedExecutionException closed) {
                // the controller stopped: it hears nothing more
            }
        }
    }
}
