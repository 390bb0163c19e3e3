package io.jenkins.plugins.kubeplatform.kube;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.kubeplatform.core.OperationFailedException;
import java.io.IOException;
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

    public ApiRetry(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Sleeper sleeper) {
        this(maxAttempts, initialBackoff, maxBackoff, sleeper, line -> { });
    }

    private ApiRetry(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Sleeper sleeper,
            Consumer<String> observer) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        this.maxAttempts = maxAttempts;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.sleeper = sleeper;
        this.observer = observer;
    }

    /** The same policy, telling {@code observer} about every retry (what failed, the attempt count, the wait). */
    public ApiRetry observed(Consumer<String> observer) {
        return new ApiRetry(maxAttempts, initialBackoff, maxBackoff, sleeper, observer);
    }

    /** Six attempts, 200 ms doubling up to 5 s: rides out a rolling API server restart without hanging a build. */
    public static ApiRetry defaults() {
        return new ApiRetry(6, Duration.ofMillis(200), Duration.ofSeconds(5), d -> Thread.sleep(d.toMillis()));
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

    /** Whether a failure is worth retrying unchanged. */
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
            }
            for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
                if (t instanceof IOException && !(t instanceof InterruptedIOException && Thread.currentThread().isInterrupted())) {
                    return true;
                }
            }
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
        Duration wait = exponential.compareTo(maxBackoff) > 0 ? maxBackoff : exponential;
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
