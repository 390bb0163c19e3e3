package org.jenkinsci.plugins.workflow.steps;

import com.google.common.util.concurrent.ListenableFuture;
import java.io.Serializable;
import java.util.function.Consumer;
import java.util.concurrent.TimeUnit;

/** Stand-in for workflow-step-api {@code StepExecution}: one running step. */
public abstract class StepExecution implements Serializable {

    private static final long serialVersionUID = 1L;

    private StepContext context;

    @Deprecated
    protected StepExecution() {
    }

    protected StepExecution(StepContext context) {
        this.context = context;
    }

    public StepContext getContext() {
        if (context == null) {
            throw new IllegalStateException("no StepContext");
        }
        return context;
    }

    public abstract boolean start() throws Exception;

    public void stop(Throwable cause) throws Exception {
        getContext().onFailure(cause);
    }

    public void onResume() {
    }

    public String getStatus() {
        return null;
    }

    public boolean blocksRestart() {
        return false;
    }

    public final String getStatusBounded(long timeout, TimeUnit unit) {
        throw new UnsupportedOperationException("stand-in");
    }

    /** Applies {@code c} to every running step execution of the controller (loaded asynchronously). */
    public static ListenableFuture<?> acceptAll(Consumer<StepExecution> c) {
        throw new UnsupportedOperationException("stand-in");
    }

    /** Applies {@code c} to the running step executions of {@code type}. */
    public static <T extends StepExecution> ListenableFuture<?> acceptAll(Class<T> type, Consumer<T> c) {
        throw new UnsupportedOperationException("stand-in");
    }
}
