package io.jenkins.plugins.kubeplatform.sim;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * A client-side limit on requests per second, as client-go's token bucket ({@code --kube-api-qps},
 * {@code --kube-api-burst} of kube-controller-manager and kube-scheduler) applies it: a bucket of {@code burst}
 * tokens refilled at {@code qps} per second; a request takes a token, and waits for one when the bucket is empty.
 *
 * @param qps   requests per second once the burst is used up
 * @param burst how many requests may go at once after a quiet period
 */
public record ClientRateLimit(double qps, int burst) {

    /** kube-controller-manager's defaults: {@code --kube-api-qps 20}, {@code --kube-api-burst 30}. */
    public static final ClientRateLimit CONTROLLER_MANAGER_DEFAULTS = new ClientRateLimit(20, 30);

    /** kube-scheduler's defaults: {@code --kube-api-qps 50}, {@code --kube-api-burst 100}. */
    public static final ClientRateLimit SCHEDULER_DEFAULTS = new ClientRateLimit(50, 100);

    public ClientRateLimit {
        if (!(qps > 0) || burst < 1) {
            throw new IllegalArgumentException("qps must be positive and burst at least 1; got " + qps + ", " + burst);
        }
    }

    /** A bucket of this limit on {@code nanoTime}; {@link Bucket#acquire()} blocks the calling thread until a token. */
    public Bucket bucket(LongSupplier nanoTime) {
        return new Bucket(this, nanoTime);
    }

    /** One client's bucket. */
    public static final class Bucket {

        private final ClientRateLimit limit;
        private final LongSupplier nanoTime;
        private double tokens;
        private long last;

        private Bucket(ClientRateLimit limit, LongSupplier nanoTime) {
            this.limit = limit;
            this.nanoTime = nanoTime;
            this.tokens = limit.burst();
            this.last = nanoTime.getAsLong();
        }

        /**
         * Takes a token and returns how long the caller must wait before it may send (0 when a token was there).
         * Tokens taken ahead are owed, so concurrent callers are spaced 1/qps apart.
         */
        public synchronized long reserveNanos() {
            long now = nanoTime.getAsLong();
            tokens = Math.min(limit.burst(), tokens + (now - last) * limit.qps() / TimeUnit.SECONDS.toNanos(1));
            last = now;
            tokens -= 1;
            return tokens >= 0 ? 0 : (long) (-tokens * TimeUnit.SECONDS.toNanos(1) / limit.qps());
        }

        /** Waits until the caller may send one request. */
        public void acquire() {
            long deadline = nanoTime.getAsLong() + reserveNanos();
            for (long left = deadline - nanoTime.getAsLong(); left > 0; left = deadline - nanoTime.getAsLong()) {
                LockSupport.parkNanos(left);
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
            }
        }
    }
}
