package org.jenkinsci.plugins.workflow.steps;

/** Stand-in for workflow-step-api {@code SynchronousStepExecution}: a step that returns almost at once. */
public abstract class SynchronousStepExecution<T> extends StepExecution {

    private static final long serialVersionUID = 1L;

    protected SynchronousStepExecution(StepContext context) {
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
}
