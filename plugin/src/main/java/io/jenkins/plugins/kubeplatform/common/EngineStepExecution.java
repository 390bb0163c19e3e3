package io.jenkins.plugins.kubeplatform.common;

import hudson.model.TaskListener;
import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

/**
 * A step whose engine call runs on the plugin's {@link StepWorkers} and survives a controller restart. The engine's
 * plans are idempotent (observe, compare, write only the difference), so {@link #onResume()} simply runs the call
 * again: it re-observes the cluster and the plugin's state and writes only what is still missing. The subclass keeps
 * just what that call needs (the step's inputs as strings and numbers, plus anything decided once, such as a pushed
 * image), all of it serializable; clients, watches and threads are transient.
 *
 * <p>{@link #stop} interrupts the work and reports the abort only once the engine has unwound, so the build never
 * ends while a write is still in flight. Work cut off by a shutdown of the workers is not reported at all: Pipeline
 * keeps the step, and it resumes after the restart.
 */
public abstract class EngineStepExecution extends StepExecution implements Suspendable {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(EngineStepExecution.class.getName());

    /** What the step is doing, for {@link #getStatus()}; kept across a restart. */
    private String phase = "starting";
    private int resumes;

    private transient volatile Throwable stopCause;
    private transient volatile boolean suspended;
    private transient Thread worker;
    private transient Future<?> task;

    protected EngineStepExecution(StepContext context) {
        super(context);
    }

    /** The step's function name, e.g. {@code stickyIpDeploy}: shown in failures and on the build page. */
    protected abstract String functionName();

    protected abstract StepHost host();

    /**
     * The blocking work, on a worker thread: call the engine, show the result on the build page and return the
     * step's value. Called again after a restart; must converge rather than repeat completed changes.
     */
    protected abstract Object run() throws Exception;

    @Override
    public final boolean start() {
        submit();
        return false;
    }

    @Override
    public void onResume() {
        resumes++;
        suspended = false;
        submit();
    }

    @Override
    public String getStatus() {
        return phase + (resumes > 0 ? " (resumed after " + resumes + " restart(s))" : "");
    }

    /** How many times this step was resumed after a restart. */
    protected int resumes() {
        return resumes;
    }

    @Override
    public void stop(Throwable cause) {
        boolean reportNow;
        synchronized (this) {
            stopCause = cause;
            reportNow = worker == null;
            if (worker != null) {
                worker.interrupt();
            } else if (task != null) {
                task.cancel(false);
            }
        }
        if (reportNow) {
            getContext().onFailure(cause);
        }
    }

    /** Jenkins shuts down: the work is interrupted and not reported; {@link #onResume()} runs it again. */
    @Override
    public void suspend() {
        synchronized (this) {
            suspended = true;
            if (worker != null) {
                worker.interrupt();
            }
        }
    }

    /** Records what the step is doing now (shown by {@link #getStatus()}) and saves the step's state. */
    protected void phase(String now) {
        phase = now;
        getContext().saveState();
    }

    protected TaskListener listener() throws IOException, InterruptedException {
        return getContext().get(TaskListener.class);
    }

    private void submit() {
        ExecutorService workers = host().workers();
        try {
            synchronized (this) {
                task = workers.submit(() -> work(workers));
            }
        } catch (RejectedExecutionException shuttingDown) {
            LOG.log(Level.FINE, "{0} not started: the step workers are shut down; it resumes after the restart",
                    functionName());
        }
    }

    private void work(ExecutorService workers) {
        synchronized (this) {
            if (stopCause != null) {
                return;
            }
            worker = Thread.currentThread();
        }
        Object result;
        try {
            result = run();
        } catch (Throwable t) {
            if (stopCause != null) {
                fail(stopCause);
            } else if (suspended || workers.isShutdown()) {
                LOG.log(Level.FINE, functionName() + " cut off by shutdown; it resumes after the restart", t);
            } else {
                fail(BuildFailures.toBuildFailure(functionName(), t));
            }
            return;
        } finally {
            synchronized (this) {
                worker = null;
                Thread.interrupted();
            }
        }
        if (stopCause != null) {
            fail(stopCause);
        } else {
            getContext().onSuccess(result);
        }
    }

    private void fail(Throwable failure) {
        try {
            host().addAction(getContext(), ResultAction.failed(functionName(), BuildFailures.describe(failure)));
        } catch (IOException | InterruptedException | RuntimeException e) {
            LOG.log(Level.FINE, "could not record the failure of " + functionName() + " on the build", e);
        }
        getContext().onFailure(failure);
    }
}
