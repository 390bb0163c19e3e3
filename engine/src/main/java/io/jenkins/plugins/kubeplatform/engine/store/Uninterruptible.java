package io.jenkins.plugins.kubeplatform.engine.store;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
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
 * hands the call to its own worker (one daemon thread per calling thread, started on its first call and gone after
 * 30 s without one; nobody holds a reference to interrupt it) and parks until the worker is done. A dedicated worker
 * per caller makes the hand-off two direct {@code unpark}s: a few microseconds, a third of what a pooled executor
 * with a latch costs (measured: see docs/benchmarks.md).
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
 * Threads made by {@link #threads} (the stores' background threads) and the callers' workers run calls inline.
 *
 * <p>The body runs on another thread than its caller: it must not wait for a lock the caller holds, and it does not
 * see the caller's thread-locals (the stores' decisions are functions of the stored state only).
 */
public final class Uninterruptible {

    private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final ThreadLocal<Call<?>> CURRENT = new ThreadLocal<>();
    /** The calling thread's worker. */
    private static final ThreadLocal<Shadow> SHADOW = new ThreadLocal<>();

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
        Call<R> call = new Call<>(body, Thread.currentThread());
        boolean interrupted = Thread.interrupted(); // set before the call: it still runs (see the class comment)
        try {
            shadow().hand(call);
            while (!call.done) {
                LockSupport.park(call);
                if (Thread.interrupted()) {
                    interrupted = true;
                    if (call.cancel()) {
                        throw cancelled.apply(new InterruptedException());
                    }
                    // the body holds its locks and may be writing: let it finish (it is short)
                }
            }
            return call.result();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The calling thread's idle worker, a new one when it has none (or its own is still busy with a cancelled call). */
    private static Shadow shadow() {
        Shadow shadow = SHADOW.get();
        if (shadow == null || !shadow.claim()) {
            shadow = new Shadow("file-store-call-" + Thread.currentThread().getName());
            shadow.claim();
            shadow.start();
            SHADOW.set(shadow);
        }
        return shadow;
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

    /**
     * Unwinds the current {@link #call} (as {@link #begin()} does) when its caller already gave up; call it as soon as
     * the body holds its process-level lock, before it touches a file, so that a call cancelled while it queued
     * creates and opens nothing (its caller has returned, and may have removed the directory). A no-op outside a call
     * and for a call that was not cancelled.
     */
    public static void stillWanted() {
        Call<?> call = CURRENT.get();
        if (call != null && call.cancelled()) {
            throw new Cancelled();
        }
    }

    /** Whether the current thread runs calls inline (a worker or a store's background thread). */
    public static boolean onWorker() {
        return Thread.currentThread() instanceof Worker;
    }

    private static class Worker extends Thread {
        Worker(Runnable task, String name) {
            super(task, name);
        }
    }

    /** One calling thread's worker: runs the calls handed to it one at a time; ends after 30 s without one. */
    private static final class Shadow extends Worker {
        private static final int IDLE = 0;
        private static final int CLAIMED = 1;
        private static final int RETIRED = 2;

        private final AtomicInteger state = new AtomicInteger(IDLE);
        private volatile Call<?> task;

        Shadow(String name) {
            super(null, name);
            setDaemon(true);
        }

        /** Reserves this worker for the caller's next call; false when it is busy or has ended. */
        boolean claim() {
            return state.compareAndSet(IDLE, CLAIMED);
        }

        void hand(Call<?> call) {
            task = call;
            LockSupport.unpark(this);
        }

        @Override
        public void run() {
            while (true) {
                Call<?> call = awaitTask();
                if (call == null) {
                    return;
                }
                task = null;
                call.run();
                state.set(IDLE); // before the caller wakes, so its next call finds this worker free
                call.complete();
            }
        }

        /** The next call, or null once this worker retired after waiting 30 s for one. */
        private Call<?> awaitTask() {
            long deadline = System.nanoTime() + IDLE_NANOS;
            while (true) {
                Call<?> call = task;
                if (call != null) {
                    return call;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    if (state.compareAndSet(IDLE, RETIRED)) {
                        return null;
                    }
                    deadline = System.nanoTime() + IDLE_NANOS; // claimed meanwhile: the call is on its way
                    continue;
                }
                Thread.interrupted(); // never interrupted; a stray flag must neither spin this loop nor close a channel
                LockSupport.parkNanos(this, left);
            }
        }
    }

    /** Unwinds a body whose caller gave up before it began; nobody sees it. */
    private static final class Cancelled extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Cancelled() {
            super("the caller was interrupted before the call began", null, false, false);
        }
    }

    private static final class Call<R> {
        private static final int WAITING = 0;
        private static final int RUNNING = 1;
        private static final int CANCELLED = 2;

        private final Supplier<R> body;
        private final Thread caller;
        private final AtomicInteger state = new AtomicInteger(WAITING);
        volatile boolean done;
        private R value;
        private Throwable failure;

        Call(Supplier<R> body, Thread caller) {
            this.body = body;
            this.caller = caller;
        }

        boolean begin() {
            return state.compareAndSet(WAITING, RUNNING) || state.get() == RUNNING;
        }

        boolean cancel() {
            return state.compareAndSet(WAITING, CANCELLED);
        }

        boolean cancelled() {
            return state.get() == CANCELLED;
        }

        /** Runs the body on the worker (not when the caller gave up while it was queued). */
        void run() {
            if (state.get() == CANCELLED) {
                return;
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
            }
        }

        void complete() {
            done = true;
            LockSupport.unpark(caller);
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
