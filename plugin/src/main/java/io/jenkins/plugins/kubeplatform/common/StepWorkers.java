package io.jenkins.plugins.kubeplatform.common;

import hudson.init.Terminator;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

/**
 * The plugin's own threads for the blocking part of its steps (API calls, watches with timeouts, ledger writes):
 * a fixed number of named daemon threads, so a burst of builds queues here instead of occupying Jenkins' shared
 * {@code jenkins.util.Timer} pool or the CPS VM thread. Shut down with Jenkins; a step whose work is cut off by the
 * shutdown is not failed — Pipeline keeps it and {@code onResume()} continues after the restart.
 */
public final class StepWorkers {

    /** Thread names start with this; tests assert that step work runs here. */
    public static final String THREAD_PREFIX = "kubeplatform-step-worker-";
    /** {@code -Dio.jenkins.plugins.kubeplatform.common.StepWorkers.threads=N}; default 8. */
    static final int THREADS = Math.max(1, Integer.getInteger(StepWorkers.class.getName() + ".threads", 8));
    private static final Logger LOG = Logger.getLogger(StepWorkers.class.getName());
    private static ScheduledExecutorService workers;

    private StepWorkers() {
    }

    /** The controller's pool, created on first use. */
    public static synchronized ScheduledExecutorService get() {
        if (workers == null || workers.isShutdown()) {
            workers = newPool(THREADS);
        }
        return workers;
    }

    /** A bounded pool of named daemon threads; delayed tasks are dropped on shutdown (they resume after restart). */
    public static ScheduledExecutorService newPool(int threads) {
        AtomicInteger number = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, THREAD_PREFIX + number.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(threads, factory);
        pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        pool.setRemoveOnCancelPolicy(true);
        return pool;
    }

    /**
     * Jenkins is shutting down: every running step of this plugin is suspended (found with
     * {@link StepExecution#acceptAll}, not a registry of our own), then the threads are stopped.
     */
    @Terminator
    public static void shutdown() throws InterruptedException {
        ScheduledExecutorService pool;
        synchronized (StepWorkers.class) {
            pool = workers;
        }
        try {
            StepExecution.acceptAll(e -> {
                if (e instanceof Suspendable s) {
                    s.suspend();
                }
            }).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.log(Level.WARNING, "could not suspend every running step before the shutdown; the rest is interrupted", e);
        }
        if (pool != null) {
            stop(pool);
        }
    }

    /** Interrupts what still runs on {@code pool} and waits (bounded) for its threads to end. */
    public static boolean stop(ExecutorService pool) throws InterruptedException {
        pool.shutdownNow();
        boolean ended = pool.awaitTermination(10, TimeUnit.SECONDS);
        if (!ended) {
            LOG.log(Level.WARNING, "step worker threads still running 10 s after shutdown was requested");
        }
        return ended;
    }
}
