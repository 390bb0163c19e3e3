package org.jenkinsci.plugins.workflow.steps;

/** Stand-in for workflow-step-api {@code SynchronousNonBlockingStepExecution}: runs on a background thread. */
public abstract class SynchronousNonBlockingStepExecution<T> extends StepExecution {

    private static final long serialVersionUID = 1L;

    protected SynchronousNonBlockingStepExecution(StepContext context) {
        super(context);
    }

    protected abstract T run() throws Exception;

    @Override
    public final boolean start() throws Exception {
        throw new UnsupportedOperationException("stand-in");
    }

    @Override
    public void stop(Throwable cause) throws Exception {
        throw new UnsupportedOperationException("stand-in");
    }

    @Override
    public void onResume() {
        throw new UnsupportedOperationException("stand-in");
    }

    @Override
    public String getStatus() {
        throw new UnsupportedOperationException("stand-in");
    }

    @Override
    public boolean blocksRestart() {
        throw new UnsupportedOperationException("stand-in");
    }
}
