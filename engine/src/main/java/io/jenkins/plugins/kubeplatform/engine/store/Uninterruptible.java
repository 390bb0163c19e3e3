package io.jenkins.plugins.kubeplatform.engine.store;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs the file stores' calls on threads that nobody interrupts, so that a caller's interrupt (Jenkins aborts a build
 * by interrupting its thread) can never close a file channel that other callers share.
 *
 * <p>Why: a {@link java.nio.channels.FileChannel} is an interruptible channel. A thread that is interrupted while in
 * (or that enters with its flag set) a {@code lock}, {@code write}, {@code force} or {@code read} CLOSES the channel and
 * gets {@link java.nio.channels.ClosedByInterruptException}; every other thread using it then fails too. Clearing the
 * flag around each call is not enough (an interrupt arriving during the call still closes the channel), and there is
 * no supported way to open an uninterruptible {@code FileChannel}. So the caller's thread never touches a channel: it
 * hands the call to a worker of a cached pool (daemon threads, created on demand, gone after 30 s idle; the pool is
 * never shut down, and a {@link ThreadPoolExecutor} interrupts its workers only on shutdown) and waits.
 *
 * <p>What an interrupted caller sees:
 * <ul>
 *   <li>A flag already set when the call starts does not stop it: cleanup code after an abort (a {@code finally}
 *       releasing or recording something) still runs its store call to the end. The flag is set again on return.</li>
 *   <li>An interrupt while the call still waits for the store's locks (queued behind another caller of this process or
 *       another process holding the file lock) cancels it: the caller fails at once with the store's "interrupted,
 *       nothing was written" error, and the worker, once it gets the locks, releases them without doing anything
 *       (the body calls {@link #begin()} once it holds its locks, before reading or writing anything).</li>
 *   <li>An interrupt after that does not stop the call: the caller waits, uninterruptibly, for the short rest (the
 *       decision, the write and its {@code force}) and returns its result or its own error, with the flag set, so
 *       nothing is ever acknowledged or refused while its durability is unknown.</li>
 * </ul>
 * Threads made by {@link #threads} (the stores' background threads) and the pool's workers run calls inline.
 */
public final class Uninterruptible {

    private static final ThreadLocal<Call<?>> CURRENT = new ThreadLocal<>();
    private static final ExecutorService WORKERS = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
            new SynchronousQueue<>(), threads("file-store-call"));

    private Uninterruptible() {
    }

    /** Daemon threads named {@code name-N} on which {@link #call} runs inline (never interrupt them). */
    public static ThreadFactory threads(String name) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Worker(r, name + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * Runs {@code body} on a thread nobody interrupts and returns its result, or throws what it threw (unchecked
     * exceptions and errors, unchanged). Inline when already on such a thread.
     *
     * @param cancelled the error for a caller interrupted before the body reached {@link #begin()} (nothing done)
     */
    public static <R> R call(Supplier<R> body, Function<InterruptedException, RuntimeException> cancelled) {
        if (Thread.currentThread() instanceof Worker) {
            return body.get();
        }
        Call<R> call = new Call<>(body);
        boolean interrupted = Thread.interrupted(); // set before the call: it still runs (see the class comment)
        WORKERS.execute(call);
        try {
            while (true) {
                try {
                    call.done.await();
                    return call.result();
                } catch (InterruptedException e) {
                    interrupted = true;
                    if (call.cancel()) {
                        throw cancelled.apply(e);
                    }
                    // the body holds its locks and may be writing: let it finish (it is short)
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Marks the point from which the current {@link #call} is no longer cancelled by its caller's interrupt; call it
     * once the body holds its locks, before it reads or writes. Throws (unwinding the body, which must then release
     * what it holds) when the caller already gave up. A no-op outside a call.
     */
    public static void begin() {
        Call<?> call = CURRENT.get();
        if (call != null && !call.begin()) {
            throw new Cancelled();
        }
    }

    /** Whether the current thread runs calls inline (a worker or a store's background thread). */
    public static boolean onWorker() {
        return Thread.currentThread() instanceof Worker;
    }

    private static final class Worker extends Thread {
        Worker(Runnable task, String name) {
            super(task, name);
        }
    }

    /** Unwinds a body whose caller gave up before it began; nobody sees it. */
    private static final class Cancelled extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Cancelled() {
            super("the caller was interrupted before the call began", null, false, false);
        }
    }

    private static final class Call<R> implements Runnable {
        private static final int WAITING = 0;
        private static final int RUNNING = 1;
        private static final int CANCELLED = 2;

        private final Supplier<R> body;
        private final AtomicInteger state = new AtomicInteger(WAITING);
        final CountDownLatch done = new CountDownLatch(1);
        private R value;
        private Throwable failure;

        Call(Supplier<R> body) {
            this.body = body;
        }

        boolean begin() {
            return state.compareAndSet(WAITING, RUNNING) || state.get() == RUNNING;
        }

        boolean cancel() {
            return state.compareAndSet(WAITING, CANCELLED);
        }

        @Override
        public void run() {
            Thread.interrupted(); // a worker is never interrupted; never let a stray flag close a channel
            if (state.get() == CANCELLED) {
                done.countDown();
                return; // the caller gave up while the call was queued
            }
            CURRENT.set(this);
            try {
                value = body.get();
            } catch (Cancelled e) {
                // the caller has already failed with its own error
            } catch (RuntimeException | Error e) {
                failure = e;
            } finally {
                CURRENT.remove();
                done.countDown();
            }
        }

        R result() {
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            return value;
        }
    }
}
