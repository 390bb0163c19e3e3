package io.jenkins.plugins.kubeplatform.sim;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
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
    /** The informers of the process this controller belongs to, if it shares them. */
    private final Optional<SharedInformers> shared;
    /** The controller's own feeds (when it does not share). */
    private final List<Feed<?, ?>> feeds = new CopyOnWriteArrayList<>();
    private final ExecutorService opener;
    private volatile boolean closed;

    SimContext(String name, KubernetesClient client, SimOptions options, Clock clock) {
        this(name, client, options, clock, Optional.empty());
    }

    SimContext(String name, KubernetesClient client, SimOptions options, Clock clock,
               Optional<SharedInformers> shared) {
        this.name = name;
        this.shared = shared;
        this.client = client;
        this.options = options;
        this.clock = clock;
        this.events = new SimEvents(client, clock, name);
        this.executor = Executors.newSingleThreadScheduledExecutor(daemon("sim-" + name));
        this.opener = Executors.newCachedThreadPool(daemon("sim-" + name + "-watch-open"));
    }

    /** Daemon threads of that name: the simulation never keeps a JVM alive. */
    static java.util.concurrent.ThreadFactory daemon(String threadName) {
        return r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        };
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
     * thread (see {@link Feed}). A controller of a process that shares informers ({@code kube-controller-manager})
     * gets the process's one list and watch of the resource; the objects handed to the handler are then shared with
     * the process's other controllers, and must not be changed.
     */
    public <T extends HasMetadata, L extends KubernetesResourceList<T>> Observed<T> observe(
            FilterWatchListDeletable<T, L, ?> source, ChangeHandler<T> handler) {
        return observe(source, handler, RESYNC);
    }

    /** As {@link #observe(FilterWatchListDeletable, ChangeHandler)}, relisting at least every {@code resync}. */
    public <T extends HasMetadata, L extends KubernetesResourceList<T>> Observed<T> observe(
            FilterWatchListDeletable<T, L, ?> source, ChangeHandler<T> handler, Duration resync) {
        Feed<T, L> feed = shared.flatMap(s -> s.feed(source)).orElseGet(() -> {
            Feed<T, L> own = new Feed<>("sim-" + name, source, executor, opener, false);
            feeds.add(own);
            return own;
        });
        return feed.subscribe(this, handler, resync);
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
        feeds.forEach(Feed::close);
        executor.shutdownNow();
        opener.shutdownNow(); // a watch still opening gives up
    }
}
