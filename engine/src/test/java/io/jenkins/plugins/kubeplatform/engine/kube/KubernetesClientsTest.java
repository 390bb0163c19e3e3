package io.jenkins.plugins.kubeplatform.engine.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.Config;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
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

    /** An API server stand-in over HTTPS with a self-signed certificate for 127.0.0.1, made by the JDK's keytool. */
    private static final class TlsServer implements AutoCloseable {
        final com.sun.net.httpserver.HttpsServer server;
        final String certificatePem;
        final java.util.List<String> authorizations = new java.util.concurrent.CopyOnWriteArrayList<>();

        TlsServer(java.nio.file.Path dir) throws Exception {
            java.nio.file.Path store = dir.resolve("server.p12");
            String keytool = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "api", "-keyalg", "EC", "-groupname",
                    "secp256r1", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2",
                    "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "changeit", "-keypass",
                    "changeit").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as(out).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
            try (var in = java.nio.file.Files.newInputStream(store)) {
                ks.load(in, "changeit".toCharArray());
            }
            certificatePem = "-----BEGIN CERTIFICATE-----\n" + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'})
                    .encodeToString(ks.getCertificate("api").getEncoded()) + "\n-----END CERTIFICATE-----\n";
            javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance(
                    javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, "changeit".toCharArray());
            javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
            tls.init(kmf.getKeyManagers(), null, null);
            server = com.sun.net.httpserver.HttpsServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
            server.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tls));
            server.createContext("/", exchange -> {
                authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
                byte[] body = "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"default\"}}"
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
        }

        String url() {
            return "https://127.0.0.1:" + server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    @Test
    void refusesAServerWhoseCertificateIsNotTrustedAndTalksToItWithItsCa(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        try (TlsServer api = new TlsServer(dir)) {
            var untrusted = new ClusterConnection("prod", Optional.of(api.url()), "default", Optional.empty(), false,
                    new ClusterCredential.Token("s3cr3t"));
            try (var client = KubernetesClients.create(untrusted)) {
                Throwable refused = org.assertj.core.api.Assertions.catchThrowable(
                        () -> client.namespaces().withName("default").get());
                java.util.List<Throwable> chain = new java.util.ArrayList<>();
                for (Throwable t = refused; t != null && !chain.contains(t); t = t.getCause()) {
                    chain.add(t);
                }
                assertThat(chain).as("the TLS handshake is refused").anyMatch(t -> t instanceof javax.net.ssl.SSLHandshakeException);
            }
            assertThat(api.authorizations).as("no request, and so no token, reached an untrusted server").isEmpty();

            var withCa = new ClusterConnection("prod", Optional.of(api.url()), "default",
                    Optional.of(api.certificatePem), false, new ClusterCredential.Token("s3cr3t"));
            try (var client = KubernetesClients.create(withCa)) {
                assertThat(client.namespaces().withName("default").get().getMetadata().getName()).isEqualTo("default");
            }
            assertThat(api.authorizations).containsExactly("Bearer s3cr3t");
        }
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
