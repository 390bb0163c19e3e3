package io.jenkins.plugins.kubeplatform.sim.controllers;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The retry delays of the controllers' work queues. Expected values are client-go's: DefaultTypedControllerRateLimiter
 * = max(ItemExponentialFailureRateLimiter(5 ms, 1000 s), BucketRateLimiter(rate 10/s, burst 100)) in
 * util/workqueue/default_rate_limiters.go; the Job queue's ItemExponentialFailureRateLimiter(1 s, 1 min).
 */
class RetryBackoffTest {

    @Test
    void doublesAnItemsDelayFromFiveMillisecondsOnEachFailure() {
        RetryBackoff backoff = RetryBackoff.controllerDefault();
        assertThat(backoff.when("ns/a", 0)).isEqualTo(Duration.ofMillis(5));
        assertThat(backoff.when("ns/a", 0)).isEqualTo(Duration.ofMillis(10));
        assertThat(backoff.when("ns/a", 0)).isEqualTo(Duration.ofMillis(20));
        assertThat(backoff.when("ns/a", 0)).isEqualTo(Duration.ofMillis(40));
        assertThat(backoff.when("ns/b", 0)).isEqualTo(Duration.ofMillis(5));
    }

    @Test
    void startsOverAfterTheItemIsForgotten() {
        RetryBackoff backoff = RetryBackoff.controllerDefault();
        backoff.when("ns/a", 0);
        backoff.when("ns/a", 0);
        backoff.forget("ns/a");
        assertThat(backoff.when("ns/a", 1)).isEqualTo(Duration.ofMillis(5));
    }

    @Test
    void capsAnItemsDelayAtOneThousandSeconds() {
        RetryBackoff backoff = RetryBackoff.controllerDefault();
        Duration last = Duration.ZERO;
        for (int i = 0; i < 80; i++) {
            // spaced out so that the bucket is always full again
            last = backoff.when("ns/a", i * 100.0);
        }
        // 5 ms * 2^18 = 1310.72 s is the first step past the cap
        assertThat(last).isEqualTo(Duration.ofSeconds(1000));
    }

    @Test
    void holdsTheWholeQueueToTenRetriesASecondOnceTheBurstOfAHundredIsSpent() {
        RetryBackoff backoff = RetryBackoff.controllerDefault();
        for (int i = 0; i < 100; i++) {
            assertThat(backoff.when("ns/item-" + i, 0)).isEqualTo(Duration.ofMillis(5));
        }
        assertThat(backoff.when("ns/item-100", 0)).isEqualTo(Duration.ofMillis(100));
        assertThat(backoff.when("ns/item-101", 0)).isEqualTo(Duration.ofMillis(200));
        // a second later ten tokens have accrued: two repay the reservations made ahead of time, eight are left
        assertThat(backoff.when("ns/item-102", 1)).isEqualTo(Duration.ofMillis(5));
    }

    @Test
    void jobQueueWaitsOneSecondDoublingToOneMinute() {
        RetryBackoff backoff = RetryBackoff.exponential(JobController.DEFAULT_JOB_API_BACKOFF,
                JobController.MAX_JOB_API_BACKOFF);
        assertThat(backoff.when("ns/job", 0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.when("ns/job", 0)).isEqualTo(Duration.ofSeconds(2));
        for (int i = 0; i < 4; i++) {
            backoff.when("ns/job", 0);
        }
        // the seventh failure would wait 64 s
        assertThat(backoff.when("ns/job", 0)).isEqualTo(Duration.ofMinutes(1));
    }
}
