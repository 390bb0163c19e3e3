package io.jenkins.plugins.kubeplatform.engine.kube;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;

/**
 * Bounded retry with exponential backoff for transient API errors (5xx, 429, I/O errors and timeouts).
 * Permanent errors (other 4xx, including 409 Conflict which callers resolve by re-reading) are rethrown at once,
 * and so are failures that a retry cannot cure: connection refused, unknown host, no route, TLS errors.
 */
public final class ApiRetry {

    /** Waits between attempts; replaced in tests. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Sleeper sleeper;
    private final Consumer<String> observer;
    private final java.util.function.DoubleSupplier jitter;
    private final java.util.concurrent.atomic.AtomicLong retries;

    /** A policy without jitter (the waits are exactly the exponential backoff); for tests. */
    public ApiRetry(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Sleeper sleeper) {
        this(maxAttempts, initialBackoff, maxBackoff, sleeper, line -> { }, () -> 1.0,
                new java.util.concurrent.atomic.AtomicLong());
    }

    private ApiRetry(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Sleeper sleeper,
            Consumer<String> observer, java.util.function.DoubleSupplier jitter,
            java.util.concurrent.atomic.AtomicLong retries) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        this.maxAttempts = maxAttempts;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.sleeper = sleeper;
        this.observer = observer;
        this.jitter = jitter;
        this.retries = retries;
    }

    /** The same policy (and retry count), telling {@code observer} about every retry (what failed, the attempt, the wait). */
    public ApiRetry observed(Consumer<String> observer) {
        return new ApiRetry(maxAttempts, initialBackoff, maxBackoff, sleeper, observer, jitter, retries);
    }

    /**
     * The same policy with "equal jitter": each wait is drawn between half and all of its exponential backoff, so
     * that clients failing together do not retry together. A server's Retry-After is still waited in full.
     */
    public ApiRetry jittered(java.util.Random random) {
        return new ApiRetry(maxAttempts, initialBackoff, maxBackoff, sleeper, observer, () -> {
            synchronized (random) {
                return 0.5 + random.nextDouble() * 0.5;
            }
        }, retries);
    }

    /**
     * The project's one retry policy, built once by the CLI and once by the plugin: six attempts, 200 ms doubling up
     * to 5 s with jitter; rides out a rolling API server restart without hanging a build.
     */
    public static ApiRetry defaults() {
        return new ApiRetry(6, Duration.ofMillis(200), Duration.ofSeconds(5), d -> Thread.sleep(d.toMillis()))
                .jittered(new java.util.Random());
    }

    /** How many retries this policy (and the policies derived from it) made so far. */
    public long retries() {
        return retries.get();
    }

    /**
     * Creates an object, which is not idempotent: when an attempt failed without a clear answer (a 5xx, a broken
     * connection), it may have been applied, and the retry then meets AlreadyExists. That counts as success when the
     * object that exists is {@code ours} (read back with {@code existing}); otherwise the AlreadyExists is thrown.
     */
    public <T> T create(String what, Supplier<T> create, Supplier<T> existing, java.util.function.Predicate<T> ours) {
        int[] attempts = {0};
        try {
            return call(what, () -> {
                attempts[0]++;
                return create.get();
            });
        } catch (KubernetesClientException e) {
            if (attempts[0] > 1 && Conflicts.isAlreadyExists(e)) {
                T live = call("read back " + what, existing);
                if (live != null && ours.test(live)) {
                    observer.accept(what + ": already created by an earlier attempt whose answer was lost");
                    return live;
                }
            }
            throw e;
        }
    }

    public <T> T call(String what, Supplier<T> action) {
        for (int attempt = 1; ; attempt++) {
            try {
                return action.get();
            } catch (KubernetesClientException e) {
                if (!isTransient(e)) {
                    throw e;
                }
                if (attempt >= maxAttempts) {
                    throw new OperationFailedException(what + " failed after " + attempt + " attempts: "
                            + serverMessage(e), e);
                }
                Duration wait = backoff(attempt, e);
                retries.incrementAndGet();
                observer.accept(what + ": " + serverMessage(e) + "; retry " + attempt + " of " + (maxAttempts - 1)
                        + " in " + wait.toMillis() + " ms");
                pause(what, wait);
            }
        }
    }

    public void run(String what, Runnable action) {
        call(what, () -> {
            action.run();
            return null;
        });
    }

    /**
     * Whether a failure is worth retrying unchanged: 429, 5xx, and a request that got no answer (connection reset or
     * closed, an unreadable answer, a timeout) unless the connection could not be made at all
     * ({@link #isPermanentConnectionFailure}) or the caller was interrupted.
     */
    public static boolean isTransient(KubernetesClientException e) {
        int code = e.getCode();
        if (code == 429 || code >= 500) {
            return true;
        }
        if (code <= 0) {
            for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
                if (isPermanentConnectionFailure(t)) {
                    return false;
                }
                if (t instanceof InterruptedException
                        || (t instanceof InterruptedIOException && Thread.currentThread().isInterrupted())) {
                    return false;
                }
            }
            return e.getCause() != null;
        }
        return false;
    }

    /** Refused, unknown host, no route or TLS failure: the same request fails the same way at once. */
    public static boolean isPermanentConnectionFailure(Throwable t) {
        return t instanceof ConnectException || t instanceof UnknownHostException || t instanceof NoRouteToHostException
                || t instanceof SSLException;
    }

    /** The server's own explanation when it sent one, else the client's. */
    public static String serverMessage(KubernetesClientException e) {
        if (e.getStatus() != null && e.getStatus().getMessage() != null) {
            return "HTTP " + e.getCode() + " " + e.getStatus().getMessage();
        }
        return e.getCode() > 0 ? "HTTP " + e.getCode() + " " + e.getMessage() : String.valueOf(e.getMessage());
    }

    Duration backoff(int attempt, KubernetesClientException e) {
        Duration exponential = initialBackoff.multipliedBy(1L << Math.min(attempt - 1, 20));
        Duration capped = exponential.compareTo(maxBackoff) > 0 ? maxBackoff : exponential;
        Duration wait = Duration.ofNanos((long) (capped.toNanos() * jitter.getAsDouble()));
        if (e.getStatus() != null && e.getStatus().getDetails() != null
                && e.getStatus().getDetails().getRetryAfterSeconds() != null) {
            Duration asked = Duration.ofSeconds(e.getStatus().getDetails().getRetryAfterSeconds());
            if (asked.compareTo(wait) > 0) {
                wait = asked.compareTo(maxBackoff) > 0 ? maxBackoff : asked;
            }
        }
        return wait;
    }

    private void pause(String what, Duration wait) {
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new OperationFailedException(what + " was interrupted while waiting to retry", interrupted);
        }
    }
}
