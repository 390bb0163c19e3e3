package io.jenkins.plugins.kubeplatform.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.kube.ClusterConnection;
import io.jenkins.plugins.kubeplatform.engine.kube.ClusterCredential;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClusterConnectionConfigTest {

    @Test
    void mapsEveryFieldWhenConvertedToAConnection() {
        ClusterConnectionConfig config = new ClusterConnectionConfig(" prod ");
        config.setServerUrl("https://k8s.example.test:6443");
        config.setNamespace("apps");
        config.setCaCertificate("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----");
        config.setSkipTlsVerify(true);

        ClusterConnection connection = config.toConnection(Optional.of(new ClusterCredential.Token("t0k3n")));

        assertThat(connection.name()).isEqualTo("prod");
        assertThat(connection.serverUrl()).contains("https://k8s.example.test:6443");
        assertThat(connection.namespace()).isEqualTo("apps");
        assertThat(connection.caCertificate()).hasValueSatisfying(pem -> assertThat(pem).contains("MIIB"));
        assertThat(connection.skipTlsVerify()).isTrue();
        assertThat(connection.credential()).isEqualTo(new ClusterCredential.Token("t0k3n"));
    }

    @Test
    void takesTheServerFromTheKubeconfigWhenNoUrlIsGiven() {
        ClusterConnection connection = new ClusterConnectionConfig("edge")
                .toConnection(Optional.of(new ClusterCredential.Kubeconfig("apiVersion: v1")));

        assertThat(connection.serverUrl()).isEmpty();
        assertThat(connection.namespace()).isEqualTo("default");
    }

    @Test
    void refusesAConnectionWithoutServerOrKubeconfig() {
        assertThatThrownBy(() -> new ClusterConnectionConfig("x").toConnection(Optional.empty()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("serverUrl");
    }
}
