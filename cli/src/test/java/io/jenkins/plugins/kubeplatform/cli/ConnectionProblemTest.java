package io.jenkins.plugins.kubeplatform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectionProblemTest {

    private static final String URL = "https://10.0.0.1:6443";

    @TempDir
    Path home;

    private static KubernetesClientException http(int code, String message, String request) {
        return new KubernetesClientException("Failure executing: " + request + ". Message: " + message, code,
                new StatusBuilder().withCode(code).withMessage(message).build());
    }

    @Test
    void namesTheVerbAndResourceWhenForbidden() {
        String line = ConnectionProblem.explain(http(403, "pods is forbidden: User \"ci\" cannot list resource "
                + "\"pods\" in the namespace \"shop\"", "GET at: " + URL + "/api/v1/namespaces/shop/pods"), URL)
                .orElseThrow();

        assertThat(line).contains(URL, "GET " + URL + "/api/v1/namespaces/shop/pods", "403 Forbidden",
                "cannot list resource \"pods\"", "docs/rbac.yaml");
    }

    @Test
    void saysTheCredentialsWereRejectedWhenUnauthorized() {
        String line = ConnectionProblem.explain(http(401, "Unauthorized", "GET at: " + URL + "/version"), URL)
                .orElseThrow();

        assertThat(line).contains(URL, "401 Unauthorized", "--context", "--token-file");
    }

    @Test
    void namesDnsAndTlsFailures() {
        String dns = ConnectionProblem.explain(new KubernetesClientException("x",
                new java.net.UnknownHostException("api.nowhere.invalid")), URL).orElseThrow();
        String tls = ConnectionProblem.explain(new KubernetesClientException("x",
                new javax.net.ssl.SSLHandshakeException("PKIX path building failed")), URL).orElseThrow();

        assertThat(dns).contains(URL, "unknown host (DNS lookup failed)", "kubectl cluster-info");
        assertThat(tls).contains(URL, "TLS failed", "--certificate-authority");
    }

    @Test
    void leavesOtherApiErrorsToTheirOwnMessage() {
        assertThat(ConnectionProblem.explain(http(409, "conflict", "PUT at: " + URL + "/x"), URL)).isEmpty();
        assertThat(ConnectionProblem.explain(new IllegalStateException("x"), URL)).isEmpty();
    }

    @Test
    void showsEachRetryOfATransientFailureWithItsCount() {
        try (SimulatedCluster sim = SimulatedCluster.start(SimOptions.builder().createMissingNamespaces(true).build())) {
            sim.faults().failNext(2, "list", ".*/pods.*", 503);

            CliRunner.Run run = CliRunner.run(Map.of("HOME", home.toString()), "--server", sim.url(), "--state-dir",
                    home.resolve("state").toString(), "ip-ledger", "sync");

            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.err()).contains("[warn] retrying", "503", "retry 1 of 5", "retry 2 of 5")
                    .doesNotContain("retry 3 of 5");
        }
    }
}
