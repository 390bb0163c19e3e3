package io.jenkins.plugins.kubeplatform.engine.kube;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * When a broken watch opens again, for {@link WatchedObjects} and {@link HintWatch}: at once after a watch that lived
 * {@link WatchedObjects#HEALTHY_WATCH}, else after 50 ms doubling up to {@link WatchedObjects#MAX_REWATCH_BACKOFF}
 * while watches keep failing. Not thread-safe: its watch calls it under its own lock.
 */
final class RewatchBackoff {

    private final LongSupplier nanoTime;
    private int failuresInARow;
    /** When the current watch was opened (System.nanoTime); a watch that lived a while resets the backoff. */
    private long openedAt;

    RewatchBackoff() {
        this(System::nanoTime);
    }

    /** With {@code nanoTime} as the monotonic clock (tests). */
    RewatchBackoff(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** The watch is open. */
    void opened() {
        openedAt = nanoTime.getAsLong();
    }

    /** The watch ended: how long to wait before opening it again; counts the failure. */
    long nextDelayMillis() {
        long now = nanoTime.getAsLong();
        if (now - openedAt > WatchedObjects.HEALTHY_WATCH.toNanos()) {
            failuresInARow = 0; // it worked for a while: resume at once
        }
        openedAt = now; // a reopen that fails soon after does not count as healthy
        long delay = failuresInARow == 0 ? 0 : Math.min(WatchedObjects.MAX_REWATCH_BACKOFF.toMillis(),
                50L << Math.min(failuresInARow, 10));
        failuresInARow++;
        return delay;
    }

    /** Watches ended in a row without a healthy one, this end included. */
    int failuresInARow() {
        return failuresInARow;
    }

    /** The one daemon thread that reopens a watch, named {@code prefix} and a number. */
    static ScheduledExecutorService reconnector(String prefix, AtomicInteger threads) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, prefix + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }
}
