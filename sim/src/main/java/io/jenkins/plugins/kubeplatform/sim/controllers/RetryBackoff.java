package io.jenkins.plugins.kubeplatform.sim.controllers;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * When a failed sync runs again: the rate limiter of a controller's work queue ({@code AddRateLimited} after an
 * error, {@code Forget} after a success). client-go's {@code DefaultTypedControllerRateLimiter}
 * (util/workqueue/default_rate_limiters.go) is the larger of a per-item exponential backoff (5 ms doubled on each
 * failure of that item, at most 1000 s) and one token bucket for the whole queue (10 per second, burst 100); the Job
 * controller uses the exponential part alone, from 1 s to 1 min (job_controller.go DefaultJobApiBackOff,
 * MaxJobApiBackOff). Times are simulated: the caller gives the simulated clock in seconds.
 */
final class RetryBackoff {

    private final Duration base;
    private final Duration max;
    private final Optional<Bucket> bucket;
    private final Map<String, Integer> failures = new HashMap<>();

    private RetryBackoff(Duration base, Duration max, Optional<Bucket> bucket) {
        this.base = base;
        this.max = max;
        this.bucket = bucket;
    }

    /** {@code workqueue.DefaultTypedControllerRateLimiter}: ReplicaSet, Deployment, StatefulSet, DaemonSet, ... */
    static RetryBackoff controllerDefault() {
        return new RetryBackoff(Duration.ofMillis(5), Duration.ofSeconds(1000), Optional.of(new Bucket(10, 100)));
    }

    /** {@code NewTypedItemExponentialFailureRateLimiter(base, max)} alone, as the Job controller's queue. */
    static RetryBackoff exponential(Duration base, Duration max) {
        return new RetryBackoff(base, max, Optional.empty());
    }

    /** The delay before the item's next try after one more failure, {@code now} being simulated seconds. */
    synchronized Duration when(String item, double now) {
        int exp = failures.merge(item, 1, Integer::sum) - 1;
        // base * 2^exp, saturating: past 2^40 any base is beyond every max used here
        Duration backoff = exp >= 40 ? max : base.multipliedBy(1L << exp);
        if (backoff.compareTo(max) > 0) {
            backoff = max;
        }
        Duration overall = bucket.map(b -> b.reserve(now)).orElse(Duration.ZERO);
        return backoff.compareTo(overall) >= 0 ? backoff : overall;
    }

    /** The item synced: its next failure starts from the base delay again. */
    synchronized void forget(String item) {
        failures.remove(item);
    }

    /** golang.org/x/time/rate {@code Limiter.Reserve}: a token now, or the wait until one has accrued. */
    private static final class Bucket {
        private final double perSecond;
        private final double burst;
        private double tokens;
        private double last = Double.NaN;

        Bucket(double perSecond, int burst) {
            this.perSecond = perSecond;
            this.burst = burst;
            this.tokens = burst;
        }

        Duration reserve(double now) {
            if (!Double.isNaN(last) && now > last) {
                tokens = Math.min(burst, tokens + (now - last) * perSecond);
            }
            last = Double.isNaN(last) ? now : Math.max(last, now);
            tokens -= 1;
            return tokens >= 0 ? Duration.ZERO : Duration.ofNanos((long) (-tokens / perSecond * 1e9));
        }
    }
}
