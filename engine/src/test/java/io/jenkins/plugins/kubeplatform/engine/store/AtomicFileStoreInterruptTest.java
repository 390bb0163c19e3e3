package io.jenkins.plugins.kubeplatform.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jenkins.plugins.kubeplatform.engine.store.AtomicFileStoreTest.Items;
import io.jenkins.plugins.kubeplatform.engine.store.StateStore.Update;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A state file written by a thread that is interrupted (an aborted Jenkins build) is either written completely, the
 * caller keeping its interrupt flag, or not at all with an error saying so; never "nothing was changed" for a file
 * that did change.
 */
class AtomicFileStoreInterruptTest {

    private static final long WAIT_SECONDS = 30;

    @TempDir
    Path dir;

    private AtomicFileStore<Items> store(Path file) {
        return AtomicFileStore.of(file, "items", Items.class, () -> new Items(List.of()));
    }

    @Test
    void writesTheChangeAndKeepsTheFlagWhenTheCallerWasInterruptedBeforeTheCall() {
        Path file = dir.resolve("items.json");
        AtomicFileStore<Items> store = store(file);
        store.update(s -> Update.to(s.with("first"), null));

        Thread.currentThread().interrupt();
        try {
            store.update(s -> Update.to(s.with("during cleanup"), null));
            assertThat(Thread.currentThread().isInterrupted()).as("flag kept").isTrue();
            assertThat(store.read().items()).containsExactly("first", "during cleanup");
            assertThat(Thread.currentThread().isInterrupted()).as("flag kept").isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(store(file).read().items()).containsExactly("first", "during cleanup");
    }

    @Test
    void failsSayingNothingChangedWhenInterruptedWhileAnotherWriterHoldsTheFile() throws Exception {
        Path file = dir.resolve("items.json");
        Path lockFile = dir.resolve("items.json.lock");
        AtomicFileStore<Items> store = store(file);
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch letGo = new CountDownLatch(1);
        FutureTask<Object> holder = new FutureTask<>(() -> store(file).update(s -> {
            holding.countDown();
            try {
                return Update.to(s.with("holder " + letGo.await(WAIT_SECONDS, TimeUnit.SECONDS)), null);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }));
        new Thread(holder, "holder").start();
        try {
            assertThat(holding.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
            FutureTask<String> waiting = new FutureTask<>(() -> {
                try {
                    store.update(s -> Update.to(s.with("waiting"), null));
                    return "written";
                } catch (StoreException e) {
                    return e.getMessage() + " / interrupted: " + Thread.currentThread().isInterrupted();
                }
            });
            Thread waiter = new Thread(waiting, "waiter");
            waiter.start();
            await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> waiter.getState() == Thread.State.WAITING);

            waiter.interrupt();

            assertThat(waiting.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("Interrupted while waiting to read or "
                    + "write state file " + file + "; nothing was changed / interrupted: true");
            // the caller has returned (and might remove the directory): its call, still queued, must create nothing
            java.nio.file.Files.delete(lockFile);
        } finally {
            letGo.countDown();
        }
        holder.get(WAIT_SECONDS, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> workerIdle("waiter"));
        assertThat(lockFile).as("not created again by the cancelled call").doesNotExist();
        assertThat(store(file).read().items()).containsExactly("holder true");
    }

    /** Whether the store worker of the thread named {@code caller} is idle again (parked, waiting for its next call). */
    private static boolean workerIdle(String caller) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("file-store-call-" + caller))
                .allMatch(t -> !t.isAlive() || t.getState() == Thread.State.TIMED_WAITING);
    }
}
