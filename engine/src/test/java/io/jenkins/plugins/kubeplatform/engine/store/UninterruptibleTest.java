package io.jenkins.plugins.kubeplatform.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class UninterruptibleTest {

    private static final long WAIT_SECONDS = 30;
    private static final Function<InterruptedException, RuntimeException> CANCELLED =
            e -> new IllegalStateException("cancelled, nothing done", e);

    @Test
    void runsTheBodyOnAnotherThreadReusedForTheCallersNextCallAndRunsNestedCallsInline() {
        Thread caller = Thread.currentThread();
        Thread first = Uninterruptible.call(Thread::currentThread, CANCELLED);
        Thread second = Uninterruptible.call(Thread::currentThread, CANCELLED);
        Thread nested = Uninterruptible.call(() -> Uninterruptible.call(Thread::currentThread, CANCELLED), CANCELLED);

        assertThat(first).isNotSameAs(caller).isSameAs(second).isSameAs(nested);
        assertThat(Uninterruptible.onWorker()).isFalse();
        assertThat(Uninterruptible.call(Uninterruptible::onWorker, CANCELLED)).isTrue();
    }

    @Test
    void rethrowsWhatTheBodyThrewUnchanged() {
        IllegalArgumentException thrown = new IllegalArgumentException("refused");

        assertThatThrownBy(() -> Uninterruptible.call(() -> {
            throw thrown;
        }, CANCELLED)).isSameAs(thrown);
    }

    @Test
    void theBodyNeverSeesTheCallersInterruptAndTheCallerKeepsIt() {
        Thread.currentThread().interrupt();
        try {
            boolean bodySawInterrupt = Uninterruptible.call(() -> Thread.currentThread().isInterrupted(), CANCELLED);

            assertThat(bodySawInterrupt).isFalse();
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void anInterruptAfterTheBodyBeganWaitsForItsResult() throws Exception {
        CountDownLatch began = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        FutureTask<String> task = new FutureTask<>(() -> Uninterruptible.call(() -> {
            Uninterruptible.begin();
            began.countDown();
            released(finish);
            return "finished";
        }, CANCELLED) + ", interrupted: " + Thread.currentThread().isInterrupted());
        Thread caller = new Thread(task, "caller");
        caller.start();
        assertThat(began.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();

        caller.interrupt();
        await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> caller.getState() == Thread.State.WAITING);
        assertThat(task.isDone()).isFalse();
        finish.countDown();

        assertThat(task.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("finished, interrupted: true");
    }

    @Test
    void anInterruptBeforeTheBodyBeganFailsTheCallAndTheCallersNextCallDoesNotWaitForIt() throws Exception {
        CountDownLatch waiting = new CountDownLatch(1);
        CountDownLatch locksFree = new CountDownLatch(1);
        CountDownLatch bodyRan = new CountDownLatch(1);
        CountDownLatch stoppedAtBegin = new CountDownLatch(1);
        FutureTask<String> task = new FutureTask<>(() -> {
            String first;
            try {
                Uninterruptible.call(() -> {
                    waiting.countDown();
                    released(locksFree); // waiting for the store's locks
                    try {
                        Uninterruptible.begin();
                    } catch (RuntimeException e) {
                        stoppedAtBegin.countDown();
                        throw e;
                    }
                    bodyRan.countDown();
                    return "written";
                }, CANCELLED);
                first = "written";
            } catch (IllegalStateException e) {
                first = e.getMessage() + ", interrupted: " + Thread.interrupted();
            }
            return first + "; then " + Uninterruptible.call(() -> "second call", CANCELLED);
        });
        Thread caller = new Thread(task, "caller");
        caller.start();
        assertThat(waiting.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();

        caller.interrupt();

        assertThat(task.get(WAIT_SECONDS, TimeUnit.SECONDS))
                .isEqualTo("cancelled, nothing done, interrupted: true; then second call");
        locksFree.countDown();
        assertThat(stoppedAtBegin.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(bodyRan.getCount()).as("the cancelled body stopped at begin()").isEqualTo(1);
    }

    private static void released(CountDownLatch latch) {
        try {
            if (!latch.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released the latch");
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException("a worker was interrupted", e);
        }
    }
}
