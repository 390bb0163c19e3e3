package io.jenkins.plugins.kubeplatform.common;

import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import hudson.model.Result;
import hudson.model.TaskListener;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jenkinsci.plugins.workflow.steps.BodyExecution;
import org.jenkinsci.plugins.workflow.steps.BodyExecutionCallback;
import org.jenkinsci.plugins.workflow.steps.BodyInvoker;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

/**
 * A step context as Pipeline gives one, for driving an execution without Jenkins: a build log, the step's outcome,
 * and an optional body that runs on its own thread. State lives in a static map under a key, so a context that went
 * through serialization (a simulated controller restart) still reaches the same outcome and body.
 */
public final class FakeStepContext extends StepContext {

    private static final long serialVersionUID = 1L;
    private static final Map<String, State> STATES = new ConcurrentHashMap<>();

    /** A Pipeline body: like a script block, it may throw anything, checked exceptions included. */
    @FunctionalInterface
    public interface Body {
        void run(String node) throws Exception;
    }

    /** What a test looks at. */
    public static final class State {
        public final CompletableFuture<Object> outcome = new CompletableFuture<>();
        final ByteArrayOutputStream log = new ByteArrayOutputStream();
        final PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);
        volatile Body body;
        volatile Object bodyContext;
        volatile Result result;
        /** Context objects as Pipeline hands them to steps (a Run, an EnvVars, ...), by type. */
        final Map<Class<?>, Object> values = new ConcurrentHashMap<>();

        /** The result the step set on the build, if any. */
        public Result result() {
            return result;
        }

        public String log() {
            return log.toString(StandardCharsets.UTF_8);
        }
    }

    private final String key;

    public FakeStepContext(String key, Body body) {
        this.key = key;
        State state = new State();
        state.body = body;
        STATES.put(key, state);
    }

    public State state() {
        return STATES.get(key);
    }

    /** Makes {@link #get} return {@code value} for {@code type}, as Pipeline does for what the block provides. */
    public <T> FakeStepContext with(Class<T> type, T value) {
        state().values.put(type, value);
        return this;
    }

    @Override
    public <T> T get(Class<T> type) {
        if (type == TaskListener.class) {
            PrintStream out = state().out;
            return type.cast((TaskListener) () -> out);
        }
        // what the test provided; null for anything else, as Pipeline answers for a context it does not have
        return type.cast(state().values.get(type));
    }

    @Override
    public void onSuccess(Object result) {
        state().outcome.complete(result);
    }

    @Override
    public void onFailure(Throwable t) {
        state().outcome.completeExceptionally(t);
    }

    @Override
    public boolean isReady() {
        return state().outcome.isDone();
    }

    @Override
    public ListenableFuture<Void> saveState() {
        return Futures.immediateFuture(null);
    }

    @Override
    public void setResult(Result r) {
        state().result = r;
    }

    @Override
    public BodyInvoker newBodyInvoker() {
        if (state().body == null) {
            throw new IllegalStateException("no body");
        }
        return new Invoker();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FakeStepContext other && other.key.equals(key);
    }

    @Override
    public int hashCode() {
        return key.hashCode();
    }

    /** Runs the body on its own thread with the node from the context the step passed, then calls back. */
    private final class Invoker extends BodyInvoker {
        private BodyExecutionCallback callback;

        @Override
        public BodyInvoker withContext(Object override) {
            state().bodyContext = override;
            return this;
        }

        @Override
        public BodyInvoker withDisplayName(String name) {
            return this;
        }

        @Override
        public BodyInvoker withCallback(BodyExecutionCallback callback) {
            this.callback = callback;
            return this;
        }

        @Override
        public BodyExecution start() {
            FakeStepContext context = FakeStepContext.this;
            CompletableFuture<Object> done = CompletableFuture.runAsync(() -> {
                try {
                    state().body.run(String.valueOf(state().bodyContext));
                } catch (Throwable t) {
                    // checked exceptions and assertion errors of the body reach the step, as in Pipeline
                    callback.onFailure(context, t);
                    return;
                }
                callback.onSuccess(context, null);
            }).thenApply(v -> null);
            return new BodyExecution() {
                private static final long serialVersionUID = 1L;

                @Override
                public Collection<StepExecution> getCurrentExecutions() {
                    return List.of();
                }

                @Override
                public boolean isCancelled() {
                    return false;
                }

                @Override
                public boolean isDone() {
                    return done.isDone();
                }

                @Override
                public Object get() throws InterruptedException, java.util.concurrent.ExecutionException {
                    return done.get();
                }

                @Override
                public Object get(long timeout, TimeUnit unit) throws InterruptedException,
                        java.util.concurrent.ExecutionException, java.util.concurrent.TimeoutException {
                    return done.get(timeout, unit);
                }
            };
        }
    }
}
