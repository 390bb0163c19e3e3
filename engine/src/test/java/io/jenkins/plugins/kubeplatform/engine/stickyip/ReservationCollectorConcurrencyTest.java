package io.jenkins.plugins.kubeplatform.engine.stickyip;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kubeplatform.engine.stickyip.LedgerStore.Decision;
import io.jenkins.plugins.kubeplatform.engine.stickyip.address.Ipv4;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReservationCollectorConcurrencyTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    @TempDir
    Path dir;

    @Test
    void allocationsInTheSameAndOtherPoolsCompleteBetweenTheBatchesOfASweep() throws Exception {
        IpPool swept = Pools.pool("swept", "10.50.0.0/16");
        IpPool other = Pools.pool("other", "10.60.0.0/24");
        JournaledLedgerStore store = new JournaledLedgerStore(dir);
        int count = 6000;
        long base = Ipv4.parse("10.50.0.1").orElseThrow();
        List<LedgerChange> fill = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            fill.add(new LedgerChange.Put(new Reservation("keep/app" + i + "-0", "swept", Ipv4.format(base + i),
                    Reservation.Kind.MANAGED, Reservation.State.IDLE, null, NOW.minus(Duration.ofDays(1)), "j",
                    NOW.minus(Duration.ofDays(2)), 1)));
        }
        store.update(v -> new Decision<>(fill, null));
        IpReservationLedger ledger = new IpReservationLedger(store, Clock.fixed(NOW, ZoneOffset.UTC), new Random(1));

        // between two batches the sweep waits until the allocator has completed one allocation: a sweep that held
        // the ledger for its whole run would wait in vain (bounded) and the test would fail
        Semaphore allocated = new Semaphore(0);
        Semaphore mayAllocate = new Semaphore(0);
        List<Reservation> duringSweep = new ArrayList<>();
        ExecutorService allocator = Executors.newSingleThreadExecutor();
        CompletableFuture<Void> allocations = CompletableFuture.runAsync(() -> {
            for (int i = 0; ; i++) {
                try {
                    if (!mayAllocate.tryAcquire(30, TimeUnit.SECONDS)) {
                        throw new AssertionError("the sweep never let the allocator in");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (i < 0) {
                    return;
                }
                IpPool pool = i % 2 == 0 ? other : swept;
                duringSweep.addAll(ledger.reserve(pool, List.of(new ReplicaIdentity("live", "new", i)), Set.of(),
                        Set.of(), "during-gc"));
                allocated.release();
            }
        }, allocator);
        int[] pauses = {0};
        ReservationCollector.Report report = ReservationCollector.sweep(ledger, Map.of("swept", swept, "other", other),
                NOW, new ReservationCollector.Guard(Set.of(), Set.of(), Set.of(), Map.of()), 500, () -> {
                    mayAllocate.release();
                    try {
                        assertThat(allocated.tryAcquire(30, TimeUnit.SECONDS)).as("an allocation completed while "
                                + "the sweep was between batches").isTrue();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    pauses[0]++;
                });
        allocator.shutdownNow();

        // 6000 expired reservations, released 500 per lock hold (each hold decides on the slots it visits and
        // releases them at once): 12 holds, one more if the allocations meanwhile took slots past the last one; one
        // allocation completed in every pause
        assertThat(pauses[0]).isBetween(12, 13);
        assertThat(duringSweep).hasSize(pauses[0]);
        assertThat(report.released()).hasSize(count);
        Set<String> ips = new HashSet<>();
        for (Reservation r : ledger.list()) {
            assertThat(ips.add(r.ip())).as("address %s held twice", r.ip()).isTrue();
        }
        assertThat(ledger.list()).hasSize(pauses[0]).allMatch(r -> r.owner().equals("during-gc"));
    }
}
