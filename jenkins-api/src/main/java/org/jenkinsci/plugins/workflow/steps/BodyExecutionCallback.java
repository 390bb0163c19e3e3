package org.jenkinsci.plugins.workflow.steps;

import com.google.common.util.concurrent.FutureCallback;
import java.io.Serializable;

/** Stand-in for workflow-step-api {@code BodyExecutionCallback}: told when a block starts and ends. */
public abstract class BodyExecutionCallback implements Serializable {

    private static final long serialVersionUID = 1L;

    public void onStart(StepContext context) {
    }

    public abstract void onSuccess(StepContext context, Object result);

    public abstract void onFailure(StepContext context, Throwable t);

    public static BodyExecutionCallback wrap(FutureCallback<Object> v) {
        throw new UnsupportedOperationException("stand-in");
    }

    /** Stand-in for {@code BodyExecutionCallback.TailCall}: the step ends with its block. */
    public abstract static class TailCall extends BodyExecutionCallback {

        private static final long serialVersionUID = 1L;

        protected abstract void finished(StepContext context) throws Exception;

        @Override
        public final void onSuccess(StepContext context, Object result) {
            try {
                finished(context);
            } catch (Exception x) {
                context.onFailure(x);
                return;
            }
            context.onSuccess(result);
        }

        @Override
        public final void onFailure(StepContext context, Throwable t) {
            try {
                finished(context);
            } catch (Exception x) {
                t.addSuppressed(x);
            }
            context.onFailure(t);
        }
    }
}
