package io.jenkins.plugins.kubeplatform.cli;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.kubeplatform.engine.kube.ApiRetry;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * Turns a failed API call into one line a person can act on: the server URL, the cause (refused, DNS, TLS,
 * timeout, 401, 403 with the verb and resource) and a hint.
 */
final class ConnectionProblem {

    private static final Pattern REQUEST = Pattern.compile("Failure executing: (\\w+) at: (\\S+?)\\.?(\\s|$)");
    private static final String HINT = "check --context, --server or KUBECONFIG, or run 'kubectl cluster-info'";

    private ConnectionProblem() {
    }

    /** The explanation, when {@code failure} is a connection or authorization problem. */
    static Optional<String> explain(Throwable failure, String server) {
        KubernetesClientException api = null;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof KubernetesClientException k) {
                api = k;
                break;
            }
        }
        if (api == null) {
            return Optional.empty();
        }
        String at = server == null ? "the Kubernetes API" : "the Kubernetes API at " + server;
        if (api.getCode() == 401) {
            return Optional.of(at + " rejected the credentials (401 Unauthorized); hint: check --context, --user or "
                    + "--token-file, or run 'kubectl auth whoami'");
        }
        if (api.getCode() == 403) {
            return Optional.of(at + " refused " + request(api) + " (403 Forbidden: " + ApiRetry.serverMessage(api)
                    .replaceFirst("^HTTP 403 ", "") + "); hint: the account needs the rules of docs/rbac.yaml, "
                    + "check with 'kubectl auth can-i'");
        }
        if (api.getCode() > 0) {
            return Optional.empty();
        }
        for (Throwable t = api; t != null; t = t.getCause()) {
            String cause = null;
            if (t instanceof ConnectException) {
                cause = "connection refused (nothing listens there)";
            } else if (t instanceof UnknownHostException) {
                cause = "unknown host (DNS lookup failed)";
            } else if (t instanceof NoRouteToHostException) {
                cause = "no route to host";
            } else if (t instanceof SSLException) {
                cause = "TLS failed (" + t.getMessage() + "); check --certificate-authority or the cluster's CA in "
                        + "the kubeconfig";
            } else if (t instanceof SocketTimeoutException || t instanceof HttpTimeoutException
                    || t instanceof TimeoutException) {
                cause = "timed out";
            }
            if (cause != null) {
                return Optional.of("cannot reach " + at + ": " + cause + "; hint: " + HINT);
            }
        }
        Throwable root = api;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return Optional.of("cannot reach " + at + ": " + root.getClass().getSimpleName()
                + (root.getMessage() == null ? "" : " " + root.getMessage()) + "; hint: " + HINT);
    }

    private static String request(KubernetesClientException api) {
        Matcher m = REQUEST.matcher(String.valueOf(api.getMessage()));
        if (m.find()) {
            return m.group(1) + " " + m.group(2);
        }
        String resource = api.getResourcePlural() == null ? "the request" : api.getResourcePlural();
        return resource + (api.getNamespace() == null ? "" : " in namespace " + api.getNamespace());
    }
}
