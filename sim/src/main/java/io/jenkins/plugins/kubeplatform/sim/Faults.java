package io.jenkins.plugins.kubeplatform.sim;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * Injected API faults. They apply to requests from outside the simulation only, so the simulated controllers keep
 * running while the code under test sees the errors.
 */
public final class Faults {

    private static final Set<Integer> STATUSES = Set.of(409, 429, 500, 503);

    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final List<Interleave> interleaves = new CopyOnWriteArrayList<>();
    private volatile Duration latency = Duration.ZERO;
    private volatile FaultProfile profile = FaultProfile.none();
    private volatile Duration maxWatchLife = Duration.ofSeconds(2);
    private volatile Optional<Duration> dropEveryWatch = Optional.empty();
    private volatile boolean stallEveryWatch;
    private java.util.Random random = new java.util.Random(0);
    private final java.util.Map<String, java.util.concurrent.atomic.AtomicLong> injected =
            new java.util.concurrent.ConcurrentHashMap<>();
    private java.util.concurrent.ScheduledExecutorService closer;

    /**
     * Fails the next {@code n} requests whose verb and path match. {@code verb} is an HTTP method (GET, POST, ...) or
     * an RBAC verb (get, list, create, patch, ...), or {@code *}; {@code pathRegex} is searched in the path without
     * the query string. {@code status} is 409, 429, 500 or 503; 429 and 503 carry {@code Retry-After: 1}.
     */
    public Faults failNext(int n, String verb, String pathRegex, int status) {
        if (n <= 0) {
            throw new IllegalArgumentException("n must be > 0");
        }
        if (!STATUSES.contains(status)) {
            throw new IllegalArgumentException("status must be one of " + STATUSES);
        }
        rules.add(new Rule(verb, Pattern.compile(pathRegex), status, n));
        return this;
    }

    /**
     * Before the next request from a simulated controller whose verb and path match (as for {@link #failNext}), the
     * server first handles {@code call} as if another client had sent it at that moment: a write that lands between
     * the controller's read and its own write, so the controller's write meets a newer object (a 409 Conflict when it
     * is version-checked). Happens once; the call is not faulted and is logged as internal.
     */
    public Faults interleave(String verb, String pathRegex, ApiCall call) {
        interleaves.add(new Interleave(new Rule(verb, Pattern.compile(pathRegex), 0, 1), call));
        return this;
    }

    /** A request to the API, as {@link #interleave} sends it: method, path with query, body and its content type. */
    public record ApiCall(String method, String path, String contentType, String body) {
    }

    /** How many {@link #interleave} calls have not happened yet. */
    public int pendingInterleaves() {
        return interleaves.size();
    }

    /** The call to handle first, before this request from a simulated controller, consuming it. */
    synchronized Optional<ApiCall> interleaved(String method, String verb, String path) {
        for (Interleave i : interleaves) {
            if (i.when().matches(method, verb, path)) {
                interleaves.remove(i);
                return Optional.of(i.call());
            }
        }
        return Optional.empty();
    }

    private record Interleave(Rule when, ApiCall call) {
    }

    /** Adds this delay to every response from now on ({@link Duration#ZERO} turns it off). */
    public Faults latency(Duration latency) {
        if (latency.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative");
        }
        this.latency = latency;
        return this;
    }

    public Duration latency() {
        return latency;
    }

    /** How many injected failures are still pending. */
    public int pending() {
        int total = 0;
        for (Rule r : rules) {
            total += r.remaining;
        }
        return total;
    }

    /**
     * Injects faults at random from now on, drawn from a generator seeded with {@code seed}: the same sequence of
     * requests meets the same faults. Watches picked for {@code drop-watch} are closed by the server after a random
     * time between 0 and {@code maxWatchLife}.
     */
    public synchronized Faults random(FaultProfile profile, long seed, Duration maxWatchLife) {
        if (maxWatchLife.isNegative()) {
            throw new IllegalArgumentException("maxWatchLife must not be negative");
        }
        this.profile = profile;
        this.random = new java.util.Random(seed);
        this.maxWatchLife = maxWatchLife;
        return this;
    }

    /** The random faults in force ({@link FaultProfile#none()} when off). */
    public FaultProfile profile() {
        return profile;
    }

    /** Closes every watch opened from now on after {@code after} ({@link Duration#ZERO}: right after it opens). */
    public Faults dropEveryWatch(Duration after) {
        if (after.isNegative()) {
            throw new IllegalArgumentException("after must not be negative");
        }
        this.dropEveryWatch = Optional.of(after);
        return this;
    }

    /**
     * Serves every watch opened from now on without ever sending it an event or closing it: a half-open connection,
     * or a proxy that holds the stream. Lists and other requests are answered as usual.
     */
    public Faults stallEveryWatch() {
        this.stallEveryWatch = true;
        return this;
    }

    /**
     * How many faults of each kind were injected so far (kinds: 409, 429, 500, 503, reset, drop-watch,
     * stall-watch).
     */
    public java.util.Map<String, Long> injected() {
        java.util.Map<String, Long> counts = new java.util.TreeMap<>();
        injected.forEach((k, v) -> counts.put(k, v.get()));
        return counts;
    }

    /** Sum of {@link #injected()}. */
    public long injectedTotal() {
        return injected.values().stream().mapToLong(java.util.concurrent.atomic.AtomicLong::get).sum();
    }

    /** Removes pending failures, random faults, watch drops and latency (the counts stay). */
    public synchronized void clear() {
        rules.clear();
        interleaves.clear();
        latency = Duration.ZERO;
        profile = FaultProfile.none();
        dropEveryWatch = Optional.empty();
        stallEveryWatch = false;
    }

    /** What happens to one request from outside the simulation. */
    sealed interface Injected {
        /** Answered with this status (a Kubernetes Status body). */
        record Status(int code) implements Injected {
        }

        /** The connection is closed without a complete answer. */
        record Reset() implements Injected {
        }

        /** Served, but the watch is closed by the server after {@code after}. */
        record DropWatch(Duration after) implements Injected {
        }

        /** Served, but the watch never gets an event and is never closed. */
        record StallWatch() implements Injected {
        }
    }

    /** The fault for this request, if any: a pending {@link #failNext} rule first, then the random profile. */
    synchronized Optional<Injected> draw(String method, String verb, String path, boolean watch) {
        Optional<Integer> planned = take(method, verb, path);
        if (planned.isPresent()) {
            count(Integer.toString(planned.get()));
            return Optional.of(new Injected.Status(planned.get()));
        }
        FaultProfile p = profile;
        if (!p.isEmpty()) {
            double x = random.nextDouble();
            double edge = p.p500();
            Optional<Injected> hit = Optional.empty();
            if (x < edge) {
                hit = Optional.of(new Injected.Status(500));
            } else if (x < (edge += p.p503())) {
                hit = Optional.of(new Injected.Status(503));
            } else if (x < (edge += p.p429())) {
                hit = Optional.of(new Injected.Status(429));
            } else if (x < edge + p.reset()) {
                hit = Optional.of(watch ? new Injected.DropWatch(Duration.ZERO) : new Injected.Reset());
            }
            double y = random.nextDouble();
            long life = (long) (random.nextDouble() * maxWatchLife.toMillis());
            if (hit.isEmpty() && watch && y < p.dropWatch()) {
                hit = Optional.of(new Injected.DropWatch(Duration.ofMillis(life)));
            }
            if (hit.isPresent()) {
                count(kind(hit.get()));
                return hit;
            }
        }
        if (watch && dropEveryWatch.isPresent()) {
            count("drop-watch");
            return Optional.of(new Injected.DropWatch(dropEveryWatch.get()));
        }
        if (watch && stallEveryWatch) {
            count("stall-watch");
            return Optional.of(new Injected.StallWatch());
        }
        return Optional.empty();
    }

    private static String kind(Injected i) {
        if (i instanceof Injected.Status s) {
            return Integer.toString(s.code());
        }
        return i instanceof Injected.Reset ? "reset" : i instanceof Injected.StallWatch ? "stall-watch" : "drop-watch";
    }

    private void count(String kind) {
        injected.computeIfAbsent(kind, k -> new java.util.concurrent.atomic.AtomicLong()).incrementAndGet();
    }

    /** Runs {@code close} after {@code after} on the fault layer's own daemon thread. */
    synchronized void schedule(Runnable close, Duration after) {
        if (closer == null) {
            closer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "sim-fault-watch-dropper");
                t.setDaemon(true);
                return t;
            });
        }
        closer.schedule(close, after.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Stops the thread that closes dropped watches. */
    synchronized void shutdown() {
        if (closer != null) {
            closer.shutdownNow();
            closer = null;
        }
    }

    /** The status to fail this request with, consuming one pending failure. */
    synchronized Optional<Integer> take(String method, String verb, String path) {
        for (Iterator<Rule> it = rules.iterator(); it.hasNext(); ) {
            Rule r = it.next();
            if (r.matches(method, verb, path)) {
                r.remaining--;
                if (r.remaining <= 0) {
                    rules.remove(r);
                }
                return Optional.of(r.status);
            }
        }
        return Optional.empty();
    }

    private static final class Rule {
        final String verb;
        final Pattern path;
        final int status;
        int remaining;

        Rule(String verb, Pattern path, int status, int remaining) {
            this.verb = verb.toLowerCase(Locale.ROOT);
            this.path = path;
            this.status = status;
            this.remaining = remaining;
        }

        boolean matches(String method, String rbacVerb, String p) {
            boolean verbOk = verb.equals("*") || verb.equals(method.toLowerCase(Locale.ROOT)) || verb.equals(rbacVerb);
            return verbOk && path.matcher(p).find();
        }
    }
}
