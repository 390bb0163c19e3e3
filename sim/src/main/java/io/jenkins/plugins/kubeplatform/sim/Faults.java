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
    private volatile Duration latency = Duration.ZERO;

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

    /** Removes pending failures and latency. */
    public void clear() {
        rules.clear();
        latency = Duration.ZERO;
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
