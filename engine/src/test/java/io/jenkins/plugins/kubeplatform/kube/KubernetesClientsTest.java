package io.jenkins.plugins.kubeplatform.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.Config;
import io.jenkins.plugins.kubeplatform.core.InvalidInputException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KubernetesClientsTest {

    private static final String KUBECONFIG = """
            apiVersion: v1
            kind: Config
            clusters:
            - name: c
              cluster: {server: "https://10.1.2.3:6443", insecure-skip-tls-verify: true}
            users:
            - name: u
              user: {token: kubeconfig-secret-token}
            contexts:
            - name: ctx
              context: {cluster: c, user: u, namespace: team-a}
            current-context: ctx
            """;

    @Test
    void usesTheTokenAndServerWhenGivenAToken() {
        var connection = new ClusterConnection("prod", Optional.of("https://k8s.example.test:6443"), "apps",
                Optional.empty(), false, new ClusterCredential.Token("s3cr3t"));

        Config config = KubernetesClients.config(connection);

        assertThat(config.getMasterUrl()).startsWith("https://k8s.example.test:6443");
        assertThat(config.getOauthToken()).isEqualTo("s3cr3t");
        assertThat(config.getNamespace()).isEqualTo("apps");
        assertThat(config.getRequestRetryBackoffLimit()).isZero();
        assertThat(config.isTrustCerts()).isFalse();
    }

    @Test
    void takesServerAndUserFromAKubeconfig() {
        var connection = new ClusterConnection("edge", Optional.empty(), "team-a", Optional.empty(), false,
                new ClusterCredential.Kubeconfig(KUBECONFIG));

        Config config = KubernetesClients.config(connection);

        assertThat(config.getMasterUrl()).startsWith("https://10.1.2.3:6443");
        assertThat(config.getOauthToken() != null ? config.getOauthToken() : config.getAutoOAuthToken())
                .isEqualTo("kubeconfig-secret-token");
    }

    @Test
    void neverShowsSecretsWhenPrinted() {
        var token = new ClusterConnection("prod", Optional.of("https://k:6443"), "default", Optional.empty(), false,
                new ClusterCredential.Token("s3cr3t"));
        var kubeconfig = new ClusterConnection("edge", Optional.empty(), "default", Optional.empty(), false,
                new ClusterCredential.Kubeconfig(KUBECONFIG));

        assertThat(token.toString()).doesNotContain("s3cr3t");
        assertThat(kubeconfig.toString()).doesNotContain("kubeconfig-secret-token");
    }

    @Test
    void rejectsAServerUrlWhenItIsNotHttp() {
        assertThatThrownBy(() -> ClusterConnection.anonymous("x", "ftp://host", "default"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("cluster 'x' serverUrl");
    }
}
