package io.jenkins.plugins.kubeplatform.engine.kube;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The pause before a broken watch opens again, on a hand-moved monotonic clock. */
class RewatchBackoffTest {

    private final AtomicLong nanos = new AtomicLong(Duration.ofHours(1).toNanos());
    private final RewatchBackoff backoff = new RewatchBackoff(nanos::get);

    private void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    @Test
    void reopensAtOnceThenDoublesFrom100MsUpTo500MsWhenWatchesKeepEndingAtOnce() {
        backoff.opened();
        advance(Duration.ofSeconds(5));

        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            delays.add(backoff.nextDelayMillis());
            advance(Duration.ofMillis(10));
        }

        assertThat(delays).containsExactly(0L, 100L, 200L, 400L, 500L, 500L);
        assertThat(backoff.failuresInARow()).isEqualTo(6);
    }

    @Test
    void reopensAtOnceAgainWhenTheLastWatchLivedLongerThanASecond() {
        backoff.opened();
        backoff.nextDelayMillis();
        backoff.nextDelayMillis();
        backoff.opened();
        advance(Duration.ofMillis(1500));

        assertThat(backoff.nextDelayMillis()).isZero();
        assertThat(backoff.failuresInARow()).isEqualTo(1);
    }

    @Test
    void keepsBackingOffWhenAReopenedWatchEndsWithinASecond() {
        backoff.opened();
        backoff.nextDelayMillis();
        backoff.opened();
        advance(Duration.ofMillis(900));

        assertThat(backoff.nextDelayMillis()).isEqualTo(100L);
    }
}
