package io.jenkins.plugins.kubeplatform.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Turns a {@link ClusterConnection} into a fabric8 client without reading ~/.kube or the environment. */
public final class KubernetesClients {

    /** fabric8 agent name; lets audit logs tell our requests apart. */
    public static final String USER_AGENT = "kubernetes-platform-steps";

    private KubernetesClients() {
    }

    public static KubernetesClient create(ClusterConnection connection) {
        return new KubernetesClientBuilder().withConfig(config(connection)).build();
    }

    /**
     * A client for a configuration resolved by the caller (the CLI's kubeconfig loading), tuned like
     * {@link #create(ClusterConnection)}: our user agent, and retries left to {@link ApiRetry}.
     */
    public static KubernetesClient create(Config resolved) {
        return new KubernetesClientBuilder().withConfig(tuned(resolved)).build();
    }

    /** {@code resolved} with our user agent and fabric8's own retrying switched off. */
    public static Config tuned(Config resolved) {
        return new ConfigBuilder(resolved)
                .withUserAgent(USER_AGENT)
                .withRequestRetryBackoffLimit(0)
                .build();
    }

    /** The fabric8 configuration; exposed so tests can check it holds no surprise (no auto-configuration). */
    public static Config config(ClusterConnection connection) {
        Config base = connection.credential() instanceof ClusterCredential.Kubeconfig kubeconfig
                ? Config.fromKubeconfig(kubeconfig.content())
                : Config.empty();
        ConfigBuilder builder = new ConfigBuilder(base)
                .withNamespace(connection.namespace())
                .withUserAgent(USER_AGENT)
                // ApiRetry owns retrying, so that backoff is bounded in one place and fault tests are deterministic.
                .withRequestRetryBackoffLimit(0)
                .withTrustCerts(connection.skipTlsVerify())
                .withDisableHostnameVerification(connection.skipTlsVerify());
        connection.serverUrl().ifPresent(builder::withMasterUrl);
        connection.caCertificate().ifPresent(pem -> builder.withCaCertData(
                Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8))));
        if (connection.credential() instanceof ClusterCredential.Token token) {
            builder.withOauthToken(token.token());
        }
        return builder.build();
    }
}
