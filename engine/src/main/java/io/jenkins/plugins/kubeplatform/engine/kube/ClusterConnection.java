package io.jenkins.plugins.kubeplatform.engine.kube;

import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything needed to talk to one cluster: the resolved form of a configured connection.
 *
 * @param name          the configured name (used in messages)
 * @param serverUrl     API server URL; may be empty only with a kubeconfig credential, which then provides it
 * @param namespace     default namespace for namespaced operations
 * @param caCertificate PEM text of the CA that signed the server certificate, if not in the kubeconfig
 * @param skipTlsVerify accept any server certificate (test clusters only)
 */
public record ClusterConnection(
        String name,
        Optional<String> serverUrl,
        String namespace,
        Optional<String> caCertificate,
        boolean skipTlsVerify,
        ClusterCredential credential) {

    public ClusterConnection {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(serverUrl, "serverUrl");
        Objects.requireNonNull(caCertificate, "caCertificate");
        Objects.requireNonNull(credential, "credential");
        namespace = namespace == null || namespace.isBlank() ? "default" : namespace;
        serverUrl.ifPresent(url -> checkUrl(name, url));
        if (serverUrl.isEmpty() && !(credential instanceof ClusterCredential.Kubeconfig)) {
            throw new InvalidInputException("cluster '" + name + "' serverUrl",
                    "is required unless the credential is a kubeconfig");
        }
    }

    /** A connection to a server that needs no credential, such as the simulated cluster. */
    public static ClusterConnection anonymous(String name, String serverUrl, String namespace) {
        return new ClusterConnection(name, Optional.of(serverUrl), namespace, Optional.empty(), false,
                new ClusterCredential.None());
    }

    private static void checkUrl(String name, String url) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
                throw new InvalidInputException("cluster '" + name + "' serverUrl",
                        "must be an http(s) URL with a host, such as https://10.0.0.1:6443; got '" + url + "'");
            }
        } catch (java.net.URISyntaxException e) {
            throw new InvalidInputException("cluster '" + name + "' serverUrl", "is not a valid URL: " + e.getMessage());
        }
    }
}
