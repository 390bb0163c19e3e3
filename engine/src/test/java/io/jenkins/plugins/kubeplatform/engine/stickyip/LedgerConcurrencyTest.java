package io.jenkins.plugins.kubeplatform.engine.stickyip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerConcurrencyTest {

    @TempDir
    Path dir;

    private final IpPool pool = Pools.pool("default", "10.42.0.0/22");

    @Test
    void concurrentReservationsThroughSeveralStoreInstancesNeverShareAnAddress() throws Exception {
        int threads = 16;
        int perThread = 20;
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        List<Future<List<Reservation>>> futures = new ArrayList<>();
        List<JournaledLedgerStore> stores = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            // every thread has its own store instance on the same directory, as a second controller would
            JournaledLedgerStore store = new JournaledLedgerStore(dir, 50);
            stores.add(store);
            IpReservationLedger ledger = new IpReservationLedger(store, Clock.systemUTC(), new Random(thread));
            futures.add(executor.submit((Callable<List<Reservation>>) () -> {
                List<Reservation> mine = new ArrayList<>();
                for (int i = 0; i < perThread; i++) {
                    mine.addAll(ledger.reserve(pool, List.of(new ReplicaIdentity("ns", "app" + thread, i)), Set.of(),
                            Set.of(), "t" + thread));
                }
                return mine;
            }));
        }
        Set<String> seen = new HashSet<>();
        int total = 0;
        for (Future<List<Reservation>> f : futures) {
            for (Reservation r : f.get()) {
                total++;
                assertThat(seen.add(r.ip())).as("address %s handed out twice", r.ip()).isTrue();
            }
        }
        executor.shutdown();
        for (JournaledLedgerStore store : stores) {
            store.awaitCompaction();
        }

        assertThat(total).isEqualTo(threads * perThread);
        JournaledLedgerStore reopened = new JournaledLedgerStore(dir);
        assertThat(reopened.<Integer>read(LedgerView::size)).isEqualTo(threads * perThread);
        reopened.awaitCompaction();
    }

    @Test
    void twoProcessesAllocatingFromOneLedgerNeverShareAnAddress() throws Exception {
        List<Process> processes = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            processes.add(LedgerWriterProcess.start(dir, "p" + p, 40, 7, "barrier"));
        }
        // both JVMs have the ledger open before either allocates; then both are let go at once
        for (Process process : processes) {
            LedgerWriterProcess.awaitReady(process, 60);
        }
        for (Process process : processes) {
            process.getOutputStream().write('\n');
            process.getOutputStream().flush();
        }
        List<List<String>> lines = new ArrayList<>();
        List<java.util.concurrent.CompletableFuture<List<String>>> reading = new ArrayList<>();
        for (Process process : processes) {
            reading.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return LedgerWriterProcess.acks(process);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }));
        }
        for (int i = 0; i < processes.size(); i++) {
            lines.add(reading.get(i).get(120, java.util.concurrent.TimeUnit.SECONDS));
            assertThat(processes.get(i).waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(processes.get(i).exitValue()).isZero();
        }
        List<String> acked = new ArrayList<>();
        lines.forEach(acked::addAll);

        assertThat(acked).hasSize(80);
        assertThat(acked.stream().map(a -> a.split(" ")[1]).distinct()).hasSize(80);
        // the two really allocated at the same time: each started before the other finished
        java.time.Instant firstOf0 = ackTime(lines.get(0).get(0));
        java.time.Instant lastOf0 = ackTime(lines.get(0).get(39));
        java.time.Instant firstOf1 = ackTime(lines.get(1).get(0));
        java.time.Instant lastOf1 = ackTime(lines.get(1).get(39));
        assertThat(firstOf0).as("p0 started before p1 finished").isBefore(lastOf1);
        assertThat(firstOf1).as("p1 started before p0 finished").isBefore(lastOf0);
        JournaledLedgerStore reopened = new JournaledLedgerStore(dir);
        assertThat(reopened.<Integer>read(LedgerView::size)).isEqualTo(80);
        reopened.awaitCompaction();
    }

    private static java.time.Instant ackTime(String ack) {
        return java.time.Instant.parse(ack.split(" ")[2]);
    }
}
