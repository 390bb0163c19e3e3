package io.jenkins.plugins.kubeplatform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A kubeconfig's relative certificate-authority path against a real TLS endpoint (certificate made by keytool). */
class TlsKubeconfigTest {

    private static final String VERSION = "{\"major\":\"1\",\"minor\":\"32\",\"gitVersion\":\"v1.32.0-tls-test\"}";

    @TempDir
    Path home;

    private HttpsServer server;
    private String url;

    @BeforeEach
    void startHttpsServer() throws Exception {
        Path keystore = home.resolve("server.p12");
        keytool("-genkeypair", "-alias", "api", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-keystore", keystore.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit", "-keypass", "changeit");
        Path certs = Files.createDirectories(home.resolve(".kube/certs"));
        keytool("-exportcert", "-rfc", "-alias", "api", "-keystore", keystore.toString(), "-storepass", "changeit",
                "-file", certs.resolve("ca.crt").toString());
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(ssl));
        server.createContext("/version", exchange -> {
            byte[] body = VERSION.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        url = "https://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin",
                "keytool").toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
    }

    private void writeKubeconfig(String clusterExtra) throws Exception {
        Files.writeString(home.resolve(".kube/config"), "apiVersion: v1\nkind: Config\ncurrent-context: tls\n"
                + "contexts:\n- name: tls\n  context: {cluster: tls, user: u}\n"
                + "clusters:\n- name: tls\n  cluster: {server: \"" + url + "\"" + clusterExtra + "}\n"
                + "users:\n- name: u\n  user: {token: tls-test-token}\n");
    }

    @Test
    void trustsTheServerThroughARelativeCertificateAuthorityPath() throws Exception {
        writeKubeconfig(", certificate-authority: certs/ca.crt");

        CliRunner.Run run = CliRunner.run(Map.of("HOME", home.toString()), "version");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Server Version: v1.32.0-tls-test (" + url + ")");
    }

    @Test
    void explainsATlsFailureNamingTheUrlWhenTheCaIsMissing() throws Exception {
        writeKubeconfig("");

        CliRunner.Run run = CliRunner.run(Map.of("HOME", home.toString()), "version");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.err()).contains("cannot reach the Kubernetes API at " + url, "TLS failed",
                "--certificate-authority").doesNotContain("\tat ");
    }

    @Test
    void trustsTheServerWhenTheCertificateAuthorityFlagIsGiven() throws Exception {
        writeKubeconfig("");

        CliRunner.Run run = CliRunner.run(Map.of("HOME", home.toString()), "--certificate-authority",
                home.resolve(".kube/certs/ca.crt").toString(), "version");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("v1.32.0-tls-test");
    }
}
