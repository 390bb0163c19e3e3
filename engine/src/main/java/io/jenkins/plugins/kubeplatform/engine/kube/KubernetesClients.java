package io.jenkins.plugins.kubeplatform.engine.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Turns a {@link ClusterConnection} into a fabric8 client without reading ~/.kube or the environment. */
public final class KubernetesClients {

    /** fabric8 agent name; lets audit logs tell our requests apart. */
    public static final String USER_AGENT = "kubernetes-platform-steps";

    private KubernetesClients() {
    }

    /** A client whose API server warnings go to the Java log: for the controller's own long-lived clients. */
    public static KubernetesClient create(ClusterConnection connection) {
        return create(connection, ServerWarnings.toJavaLog());
    }

    /** A client for one step run: every warning of the API server is shown once through {@code warnings}. */
    public static KubernetesClient create(ClusterConnection connection, ServerWarnings warnings) {
        return build(config(connection), warnings);
    }

    /**
     * A client for a configuration resolved by the caller (the CLI's kubeconfig loading), tuned like
     * {@link #create(ClusterConnection)}: our user agent, retries left to {@link ApiRetry}
     * and re-watching to {@link WatchedObjects}. Its API server warnings go to the Java log.
     */
    public static KubernetesClient create(Config resolved) {
        return create(resolved, ServerWarnings.toJavaLog());
    }

    /** {@link #create(Config)} with the API server's warnings shown through {@code warnings}. */
    public static KubernetesClient create(Config resolved, ServerWarnings warnings) {
        return build(tuned(resolved), warnings);
    }

    /**
     * fabric8 applies this consumer to the HTTP client builder after its own interceptors (authentication, token
     * refresh, backwards compatibility), and every client derived from it (watches, the typed operations) keeps it.
     */
    private static KubernetesClient build(Config config, ServerWarnings warnings) {
        return new KubernetesClientBuilder().withConfig(config)
                .withHttpClientBuilderConsumer(http -> http.addOrReplaceInterceptor(ServerWarnings.INTERCEPTOR,
                        warnings.interceptor()))
                .build();
    }

    /** {@code resolved} with our user agent and fabric8's own retrying switched off. */
    public static Config tuned(Config resolved) {
        return new ConfigBuilder(resolved)
                .withUserAgent(USER_AGENT)
                .withRequestRetryBackoffLimit(0)
                .withWatchReconnectLimit(0)
                .build();
    }

    /** The fabric8 configuration; exposed so tests can check it holds no surprise (no auto-configuration). */
    public static Config config(ClusterConnection connection) {
        Config base = connection.credential() instanceof ClusterCredential.Kubeconfig kubeconfig
                ? fromKubeconfig(connection.name(), kubeconfig)
                : Config.empty();
        ConfigBuilder builder = new ConfigBuilder(base)
                .withNamespace(connection.namespace())
                .withUserAgent(USER_AGENT)
                // ApiRetry owns retrying, so that backoff is bounded in one place and fault tests are deterministic.
                .withRequestRetryBackoffLimit(0)
                // WatchedObjects resumes a closed watch at once from the last resourceVersion; fabric8's own
                // reconnect would back off up to 32 s while the step waits.
                .withWatchReconnectLimit(0)
                .withTrustCerts(connection.skipTlsVerify())
                .withDisableHostnameVerification(connection.skipTlsVerify());
        connection.serverUrl().ifPresent(builder::withMasterUrl);
        connection.caCertificate().ifPresent(pem -> builder.withCaCertData(
                Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8))));
        if (connection.credential() instanceof ClusterCredential.Token token) {
            builder.withOauthToken(token.token());
        } else if (connection.credential() instanceof ClusterCredential.Basic basic) {
            builder.withUsername(basic.username()).withPassword(basic.password());
        } else if (connection.credential() instanceof ClusterCredential.ClientCertificate cert) {
            builder.withClientCertData(base64(cert.certificatePem())).withClientKeyData(base64(cert.privateKeyPem()))
                    .withClientKeyAlgo(keyAlgorithm(cert.privateKeyPem()));
        }
        return builder.build();
    }

    private static Config fromKubeconfig(String name, ClusterCredential.Kubeconfig kubeconfig) {
        if (kubeconfig.context().isEmpty()) {
            return Config.fromKubeconfig(kubeconfig.content());
        }
        Config config = Config.fromKubeconfig(kubeconfig.context(), kubeconfig.content(), null);
        boolean known = config.getContexts() != null && config.getContexts().stream()
                .anyMatch(c -> kubeconfig.context().equals(c.getName()));
        if (!known) {
            throw new InvalidInputException("cluster '" + name + "' context", "names no context of the kubeconfig; it has: "
                    + (config.getContexts() == null ? "none" : String.join(", ",
                    config.getContexts().stream().map(c -> c.getName()).toList())));
        }
        return config;
    }

    private static String base64(String pem) {
        return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8));
    }

    /** fabric8 needs the key algorithm for PKCS#8 keys; an EC key says so in its PEM header only when PKCS#1-style. */
    private static String keyAlgorithm(String pem) {
        return pem.contains("BEGIN EC PRIVATE KEY") ? "EC" : "RSA";
    }
}
