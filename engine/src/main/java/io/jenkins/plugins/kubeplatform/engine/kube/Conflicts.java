package io.jenkins.plugins.kubeplatform.engine.kube;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException;
import java.net.HttpURLConnection;
import java.util.function.Supplier;

/** Re-read-and-retry for optimistic concurrency: the attempt re-reads the object each time it runs. */
public final class Conflicts {

    private Conflicts() {
    }

    public static <T> T retry(String what, int maxAttempts, Supplier<T> attempt) {
        for (int i = 1; ; i++) {
            try {
                return attempt.get();
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                    throw e;
                }
                if (i >= maxAttempts) {
                    throw new OperationFailedException(what + " kept conflicting with concurrent writers after "
                            + i + " attempts: " + ApiRetry.serverMessage(e), e);
                }
            }
        }
    }

    public static boolean isNotFound(KubernetesClientException e) {
        return e.getCode() == HttpURLConnection.HTTP_NOT_FOUND;
    }

    public static boolean isAlreadyExists(KubernetesClientException e) {
        return e.getCode() == HttpURLConnection.HTTP_CONFLICT
                && e.getStatus() != null && "AlreadyExists".equals(e.getStatus().getReason());
    }
}
