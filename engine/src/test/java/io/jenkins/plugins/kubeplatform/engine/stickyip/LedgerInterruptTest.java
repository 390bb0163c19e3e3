package io.jenkins.plugins.kubeplatform.engine.stickyip;

import static io.jenkins.plugins.kubeplatform.engine.stickyip.JournaledLedgerStoreTest.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jenkins.plugins.kubeplatform.engine.store.StoreException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jenkins aborts a build by interrupting its thread, and many builds share one ledger. A FileChannel used by an
 * interrupted thread is closed by the JDK, so these tests interrupt one caller (A) before its call, while its record
 * is being forced, and while it waits for the ledger's locks, with another caller (B) allocating at the same time: B
 * never fails, everything acknowledged is on disk (a new store reads it back), A either completes with its interrupt
 * flag still set or fails saying nothing was written, and the store goes on.
 */
class LedgerInterruptTest {

    private static final long WAIT_SECONDS = 30;

    @TempDir
    Path dir;

    /** A caller on a thread of its own, so the test can interrupt exactly that thread. */
    private record Caller<T>(FutureTask<T> task, Thread thread) {
        T get() throws Exception {
            return task.get(WAIT_SECONDS, TimeUnit.SECONDS);
        }
    }

    private static <T> Caller<T> start(String name, Callable<T> body) {
        FutureTask<T> task = new FutureTask<>(body);
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
        return new Caller<>(task, thread);
    }

    /** A's call: "written", or the error it failed with, and whether its interrupt flag was still set. */
    private static Callable<String> allocation(LedgerStore store, String identity, String ip) {
        return () -> {
            try {
                put(store, identity, ip);
                return "written, interrupted: " + Thread.currentThread().isInterrupted();
            } catch (StoreException e) {
                return e.getMessage() + " / interrupted: " + Thread.currentThread().isInterrupted();
            }
        };
    }

    /** B: {@code n} allocations of its own, each acknowledged before the next. */
    private static Callable<Integer> allocations(LedgerStore store, String prefix, int octet, int n) {
        return () -> {
            for (int i = 1; i <= n; i++) {
                put(store, "ns/" + prefix + "-" + i, "10.0." + octet + "." + i);
            }
            return n;
        };
    }

    private static Set<String> identitiesOnDisk(Path ledger) {
        Set<String> found = new TreeSet<>();
        try (JournaledLedgerStore reopened = new JournaledLedgerStore(ledger)) {
            reopened.scan(1000, page -> page.forEach(r -> found.add(r.identity())));
        }
        return found;
    }

    private static List<String> names(String prefix, int n) {
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            names.add("ns/" + prefix + "-" + i);
        }
        return names;
    }

    @Test
    void completesEveryCallAndKeepsTheFlagWhenTheCallerWasInterruptedBeforeIt() throws Exception {
        Path ledger = dir.resolve("ledger");
        int n = 25;
        try (JournaledLedgerStore store = new JournaledLedgerStore(ledger)) {
            put(store, "ns/first-1", "10.0.9.1");
            Caller<List<Boolean>> a = start("caller-a", () -> {
                List<Boolean> flags = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    Thread.currentThread().interrupt(); // as after an abort, in the build's cleanup
                    put(store, "ns/a-" + i, "10.0.1." + i);
                    flags.add(Thread.interrupted());
                }
                return flags;
            });
            Caller<Integer> b = start("caller-b", allocations(store, "b", 2, n));

            assertThat(a.get()).hasSize(n).containsOnly(true);
            assertThat(b.get()).isEqualTo(n);
            put(store, "ns/after-1", "10.0.3.1");
        }

        Set<String> expected = new TreeSet<>(names("a", n));
        expected.addAll(names("b", n));
        expected.addAll(List.of("ns/first-1", "ns/after-1"));
        assertThat(identitiesOnDisk(ledger)).isEqualTo(expected);
    }

    @Test
    void everyCallOfTheStoreCompletesWithTheCallersFlagSetAndKeepsIt() throws Exception {
        Path ledger = dir.resolve("ledger");
        JournaledLedgerStore store = new JournaledLedgerStore(ledger, 4);
        List<String> flags = new ArrayList<>();
        try {
            for (int i = 1; i <= 6; i++) { // 6 records with rotateAfter 4: a rotation inside an interrupted call
                Thread.currentThread().interrupt();
                put(store, "ns/a-" + i, "10.0.1." + i);
                flags.add("put " + Thread.interrupted());
            }
            Thread.currentThread().interrupt();
            int size = store.read(view -> view.all().size());
            flags.add("read " + Thread.interrupted());
            List<String> scanned = new ArrayList<>();
            Thread.currentThread().interrupt();
            store.scan(2, page -> page.forEach(r -> scanned.add(r.identity())));
            flags.add("scan " + Thread.interrupted());
            Thread.currentThread().interrupt();
            store.checkpoint();
            flags.add("checkpoint " + Thread.interrupted());
            store.awaitCompaction();
            Thread.currentThread().interrupt();
            List<JournaledLedgerStore.FileCheck> checks = store.verify();
            flags.add("verify " + Thread.interrupted());
            Thread.currentThread().interrupt();
            store.close();
            flags.add("close " + Thread.interrupted());

            assertThat(size).isEqualTo(6);
            assertThat(scanned).containsExactlyInAnyOrderElementsOf(names("a", 6));
            assertThat(checks).isNotEmpty().allMatch(JournaledLedgerStore.FileCheck::replays);
        } finally {
            Thread.interrupted();
            store.close();
        }
        assertThat(flags).containsExactly("put true", "put true", "put true", "put true", "put true", "put true",
                "read true", "scan true", "checkpoint true", "verify true", "close true");
        assertThat(identitiesOnDisk(ledger)).containsExactlyElementsOf(new TreeSet<>(names("a", 6)));
    }

    @Test
    void finishesAndKeepsTheFlagWhenInterruptedWhileItsRecordIsForcedAndOtherCallersShareTheForce()
            throws Exception {
        Path ledger = dir.resolve("ledger");
        GatedFileIo io = new GatedFileIo();
        int n = 10;
        try (JournaledLedgerStore store = new JournaledLedgerStore(ledger, 4096, io)) {
            put(store, "ns/first-1", "10.0.9.1");
            GatedFileIo.Gate slowForce = io.arm(GatedFileIo.Op.FORCE, name -> name.startsWith("journal-"));
            Caller<String> a = start("forcing-a", allocation(store, "ns/a-1", "10.0.1.1"));
            assertThat(slowForce.entered.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
            int writesBeforeB = io.journalWrites();
            Callable<Integer> bAllocates = allocations(store, "b", 2, n);
            Caller<String> b = start("caller-b", () -> bAllocates.call() + " written, interrupted: "
                    + Thread.currentThread().isInterrupted());
            // B's first record is appended while A's force runs: B waits for that force or the next one
            await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> io.journalWrites() > writesBeforeB);

            a.thread().interrupt(); // the leader of the force
            b.thread().interrupt(); // a follower of it
            slowForce.open();

            assertThat(a.get()).isEqualTo("written, interrupted: true");
            assertThat(b.get()).isEqualTo(n + " written, interrupted: true");
            put(store, "ns/after-1", "10.0.3.1");
        }

        Set<String> expected = new TreeSet<>(names("b", n));
        expected.addAll(List.of("ns/first-1", "ns/a-1", "ns/after-1"));
        assertThat(identitiesOnDisk(ledger)).isEqualTo(expected);
    }

    @Test
    void failsSayingNothingWasWrittenWhenInterruptedWhileAnotherProcessHoldsTheFileLock() throws Exception {
        Path ledger = dir.resolve("ledger");
        GatedFileIo io = new GatedFileIo();
        int n = 5;
        try (JournaledLedgerStore store = new JournaledLedgerStore(ledger, 4096, io)) {
            put(store, "ns/first-1", "10.0.9.1");
            GatedFileIo.Gate otherProcess = io.arm(GatedFileIo.Op.LOCK, "ledger.lock"::equals);
            Caller<String> a = start("waiting-a", allocation(store, "ns/a-1", "10.0.1.1"));
            Caller<Integer> b;
            try {
                assertThat(otherProcess.entered.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
                b = start("caller-b", allocations(store, "b", 2, n)); // queued behind A's wait

                a.thread().interrupt();
                // A gives up at once, while the lock is still held elsewhere
                assertThat(a.get()).startsWith("Interrupted while waiting for the IP ledger in " + ledger)
                        .contains("nothing was written").endsWith("interrupted: true");
            } finally {
                otherProcess.open();
            }
            assertThat(b.get()).isEqualTo(n);
            put(store, "ns/after-1", "10.0.3.1");
        }

        Set<String> expected = new TreeSet<>(names("b", n));
        expected.addAll(List.of("ns/first-1", "ns/after-1"));
        assertThat(identitiesOnDisk(ledger)).isEqualTo(expected);
    }

    @Test
    void failsSayingNothingWasWrittenWhenInterruptedWhileASecondStoreOnTheDirectoryHoldsTheLedger()
            throws Exception {
        Path ledger = dir.resolve("ledger");
        int n = 5;
        try (JournaledLedgerStore store = new JournaledLedgerStore(ledger);
             JournaledLedgerStore second = new JournaledLedgerStore(ledger)) {
            put(store, "ns/first-1", "10.0.9.1");
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch letGo = new CountDownLatch(1);
            Caller<Object> holder = start("holder", () -> second.update(view -> {
                holding.countDown();
                try {
                    return LedgerStore.Decision.none(letGo.await(WAIT_SECONDS, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }));
            Caller<String> a;
            Caller<Integer> b;
            try {
                assertThat(holding.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
                a = start("waiting-a", allocation(store, "ns/a-1", "10.0.1.1"));
                b = start("caller-b", allocations(store, "b", 2, n));
                Thread waiting = a.thread();
                await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> waiting.getState() == Thread.State.WAITING);

                waiting.interrupt();
                assertThat(a.get()).startsWith("Interrupted while waiting for the IP ledger in " + ledger)
                        .contains("nothing was written").endsWith("interrupted: true");
            } finally {
                letGo.countDown();
            }
            assertThat(holder.get()).isEqualTo(true);
            assertThat(b.get()).isEqualTo(n);
            put(second, "ns/after-1", "10.0.3.1");
        }

        Set<String> expected = new TreeSet<>(names("b", n));
        expected.addAll(List.of("ns/first-1", "ns/after-1"));
        assertThat(identitiesOnDisk(ledger)).isEqualTo(expected);
    }
}
