package io.jenkins.plugins.kubeplatform.common;

import hudson.AbortException;
import io.fabric8.kubernetes.api.model.StatusDetails;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException;
import io.jenkins.plugins.kubeplatform.engine.kube.ApiRetry;
import io.jenkins.plugins.kubeplatform.engine.store.StoreException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place that turns an engine failure into what a build shows, for every step and builder: an
 * {@link AbortException} (a sentence, no stack trace) for failures a user can act on — bad input with the field and
 * the rule, an API refusal with the cluster's answer and the object, a transient outage with a retry hint — and the
 * original throwable for bugs, so their stack trace stays in the log.
 */
public final class BuildFailures {

    /** fabric8's "Failure executing: PUT at: https://...": the request that was refused. */
    private static final Pattern REQUEST = Pattern.compile("executing: ([A-Z]+) at: (\\S+?)\\.?(?:\\s|$)");

    private BuildFailures() {
    }

    /**
     * What the build fails with when {@code step} (its function name, e.g. {@code stickyIpDeploy}) threw {@code t}.
     * Interruptions are returned as they are: Pipeline reports an abort itself.
     */
    public static Throwable toBuildFailure(String step, Throwable t) {
        if (t instanceof AbortException || t instanceof InterruptedException) {
            return t;
        }
        if (t instanceof InvalidInputException e) {
            return abort(Messages.BuildFailures_InvalidInput(step, e.getMessage()), t);
        }
        KubernetesClientException api = apiFailure(t);
        if (api != null) {
            if (ApiRetry.isTransient(api)) {
                String what = t instanceof OperationFailedException ? t.getMessage() : ApiRetry.serverMessage(api);
                return abort(Messages.BuildFailures_Transient(step, what), t);
            }
            return abort(Messages.BuildFailures_Refused(step, object(api), ApiRetry.serverMessage(api)), t);
        }
        if (t instanceof StoreException e) {
            return abort(Messages.BuildFailures_Store(step, e.getMessage()), t);
        }
        if (t instanceof OperationFailedException e) {
            return abort(Messages.BuildFailures_Failed(step, e.getMessage()), t);
        }
        return t;
    }

    /**
     * For freestyle builders: records the failure on the build as Pipeline steps do and returns what
     * {@code perform} throws (an {@code AbortException} for user-caused and cluster failures; bugs keep their trace).
     */
    public static java.io.IOException forBuilder(String step, hudson.model.Run<?, ?> run, Exception e) {
        Throwable failure = toBuildFailure(step, e);
        run.addAction(ResultAction.failed(step, describe(failure)));
        return failure instanceof java.io.IOException io ? io : new java.io.IOException(describe(failure), failure);
    }

    /** The message the build page records for a failure ({@link ResultAction#failed}). */
    public static String describe(Throwable failure) {
        return failure.getMessage() == null ? failure.toString() : failure.getMessage();
    }

    /** The API error itself, or the one an engine failure wraps directly. */
    private static KubernetesClientException apiFailure(Throwable t) {
        if (t instanceof KubernetesClientException e) {
            return e;
        }
        if (t instanceof OperationFailedException && t.getCause() instanceof KubernetesClientException e) {
            return e;
        }
        return null;
    }

    private static String object(KubernetesClientException e) {
        StatusDetails d = e.getStatus() == null ? null : e.getStatus().getDetails();
        if (d == null || d.getName() == null) {
            Matcher request = REQUEST.matcher(String.valueOf(e.getMessage()));
            return request.find() ? " (" + request.group(1) + " " + request.group(2) + ")" : "";
        }
        String kind = d.getKind() == null ? "" : d.getKind() + " ";
        return " for " + kind + d.getName();
    }

    /**
     * No cause attached: Pipeline keeps the failure with the build (XStream), and a client exception drags the whole
     * HTTP status object along; the message already carries what the user needs.
     */
    private static AbortException abort(String message, Throwable ignoredCause) {
        return new AbortException(message);
    }
}
