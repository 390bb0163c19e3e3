package io.jenkins.plugins.kubeplatform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.jenkins.plugins.kubeplatform.engine.store.Json;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI run as a new user would, in a temporary HOME, against the simulated cluster. */
class ConnectionTest {

    private static SimulatedCluster sim;

    @TempDir
    Path home;

    @TempDir
    Path state;

    @BeforeAll
    static void start() {
        sim = SimulatedCluster.start(SimOptions.builder().createMissingNamespaces(true).build());
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @BeforeEach
    void writeHomeKubeconfig() throws IOException {
        Files.createDirectories(home.resolve(".kube"));
        Files.writeString(home.resolve(".kube/config"), kubeconfig("alpha", "alpha", "team-a", "beta", "team-b"));
    }

    private String kubeconfig(String current, String first, String firstNs, String second, String secondNs) {
        return "apiVersion: v1\nkind: Config\ncurrent-context: " + current + "\n"
                + "contexts:\n"
                + "- name: " + first + "\n  context: {cluster: sim, user: dev, namespace: " + firstNs + "}\n"
                + "- name: " + second + "\n  context: {cluster: sim, user: dev, namespace: " + secondNs + "}\n"
                + "clusters:\n- name: sim\n  cluster: {server: \"" + sim.url() + "\"}\n"
                + "users:\n- name: dev\n  user: {token: dev-token-123456}\n";
    }

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", home.toString());
        return env;
    }

    private CliRunner.Run expose(Map<String, String> env, String app, String... flags) {
        String[] args = new String[flags.length + 9];
        System.arraycopy(flags, 0, args, 0, flags.length);
        String[] rest = {"--state-dir", state.toString(), "expose", "--app", app, "--port", "8080", "--suffix",
                "apps.example.test"};
        System.arraycopy(rest, 0, args, flags.length, rest.length);
        return CliRunner.run(env, args);
    }

    private boolean serviceExists(String namespace, String name) {
        return sim.client().services().inNamespace(namespace).withName(name).get() != null;
    }

    @Test
    void landsInTheCurrentContextsNamespaceWhenHomeHasAKubeconfig() {
        CliRunner.Run run = expose(env(), "web");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(serviceExists("team-a", "web")).isTrue();
        assertThat(run.err()).contains("[conn] " + sim.url(), "context 'alpha'", "namespace team-a");
    }

    @Test
    void switchesContextWhenContextIsGiven() {
        CliRunner.Run run = expose(env(), "shop", "--context", "beta");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(serviceExists("team-b", "shop")).isTrue();
        assertThat(serviceExists("team-a", "shop")).isFalse();
    }

    @Test
    void namespaceFlagOverridesTheContext() {
        CliRunner.Run run = expose(env(), "cart", "-n", "team-c");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(serviceExists("team-c", "cart")).isTrue();
    }

    @Test
    void mergesTheFilesOfKubeconfigFirstFileWinning() throws IOException {
        Path first = Files.writeString(home.resolve("first.yaml"), kubeconfig("gamma", "gamma", "team-g", "shared",
                "from-first"));
        Path second = Files.writeString(home.resolve("second.yaml"), kubeconfig("delta", "delta", "team-d", "shared",
                "from-second"));
        Map<String, String> env = env();
        env.put("KUBECONFIG", first + java.io.File.pathSeparator + home.resolve("missing.yaml")
                + java.io.File.pathSeparator + second);

        CliRunner.Run current = expose(env, "merged");
        CliRunner.Run fromSecond = expose(env, "other", "--context", "delta");
        CliRunner.Run shared = expose(env, "both", "--context", "shared");

        assertThat(current.exitCode()).as(current.err()).isZero();
        assertThat(serviceExists("team-g", "merged")).isTrue();
        assertThat(fromSecond.exitCode()).as(fromSecond.err()).isZero();
        assertThat(serviceExists("team-d", "other")).isTrue();
        assertThat(shared.exitCode()).as(shared.err()).isZero();
        assertThat(serviceExists("from-first", "both")).isTrue();
    }

    @Test
    void namesTheAvailableContextsWhenTheContextIsUnknown() {
        CliRunner.Run run = expose(env(), "x", "--context", "prod");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(run.err()).contains("--context", "'prod' is not a context", "available: alpha, beta");
    }

    @Test
    void resolvesRelativeCertificatePathsAgainstTheKubeconfigsDirectory() throws IOException {
        Path dir = Files.createDirectories(home.resolve("elsewhere/certs"));
        Files.writeString(dir.resolve("ca.crt"), "not used by an http server");
        Path file = Files.writeString(home.resolve("elsewhere/config"), "apiVersion: v1\nkind: Config\n"
                + "current-context: c\ncontexts:\n- name: c\n  context: {cluster: k, user: u}\n"
                + "clusters:\n- name: k\n  cluster: {server: \"https://k.example.test:6443\", "
                + "certificate-authority: certs/ca.crt}\n"
                + "users:\n- name: u\n  user: {client-certificate: certs/client.crt, client-key: certs/client.key}\n");
        GlobalOptions options = new GlobalOptions(null, null, file, null, null, null, null, null, false, null, null,
                OutputFormat.TEXT, false);

        ResolvedConnection connection = new ConnectionResolver(options, Map.of("HOME", home.toString()),
                home.resolve("no-sa"), java.util.Optional::empty, home).resolve();

        assertThat(connection.config().getCaCertFile()).isEqualTo(dir.resolve("ca.crt").toString());
        assertThat(connection.config().getClientCertFile()).isEqualTo(dir.resolve("client.crt").toString());
        assertThat(connection.config().getClientKeyFile()).isEqualTo(dir.resolve("client.key").toString());
        assertThat(connection.namespace()).isEqualTo("default");
    }

    @Test
    void usesThePodsServiceAccountWhenThereIsNoKubeconfig() throws IOException {
        Path sa = Files.createDirectories(home.resolve("sa"));
        Files.writeString(sa.resolve("token"), "sa-token-abcdef\n");
        Files.writeString(sa.resolve("namespace"), "ci-jobs");
        GlobalOptions options = new GlobalOptions(null, null, null, null, null, null, null, null, false, null, null,
                OutputFormat.TEXT, false);
        Map<String, String> env = Map.of("HOME", home.resolve("empty-home").toString(),
                "KUBERNETES_SERVICE_HOST", "10.96.0.1", "KUBERNETES_SERVICE_PORT", "443");

        ResolvedConnection connection = new ConnectionResolver(options, env, sa, java.util.Optional::empty, home)
                .resolve();

        assertThat(connection.server()).isEqualTo("https://10.96.0.1:443");
        assertThat(connection.namespace()).isEqualTo("ci-jobs");
        assertThat(connection.config().getOauthToken()).isEqualTo("sa-token-abcdef");
        assertThat(connection.source()).contains("service account");
    }

    @Test
    void printsOneYamlAndOneJsonDocumentWithTheDocumentedEnvelope() throws Exception {
        CliRunner.Run yaml = CliRunner.run(env(), "-o", "yaml", "version");
        CliRunner.Run json = CliRunner.run(env(), "version", "--output=json");

        assertThat(yaml.exitCode()).as(yaml.err()).isZero();
        JsonNode fromYaml = new ObjectMapper(new YAMLFactory()).readTree(yaml.out());
        JsonNode fromJson = Json.mapper().readTree(json.out());
        for (JsonNode doc : new JsonNode[] {fromYaml, fromJson}) {
            assertThat(doc.path("apiVersion").asText()).isEqualTo("kubeplatform.jenkins.io/v1");
            assertThat(doc.path("kind").asText()).isEqualTo("Version");
            assertThat(doc.path("clientVersion").path("kubernetesClient").asText()).isEqualTo("7.3.1");
            assertThat(doc.path("serverVersion").path("url").asText()).isEqualTo(sim.url());
            assertThat(doc.path("serverVersion").path("gitVersion").asText()).startsWith("v1.");
        }
        assertThat(json.out().strip().lines().count()).isEqualTo(1);
    }

    @Test
    void failsWithinFiveSecondsNamingTheUrlWhenTheConnectionIsRefused() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port;
        long start = System.nanoTime();

        CliRunner.Run run = CliRunner.run(env(), "--server", url, "version");

        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(millis).isLessThan(5000);
        assertThat(run.err()).contains("cannot reach the Kubernetes API at " + url, "connection refused",
                "kubectl cluster-info").doesNotContain("\tat ", "retry");
        assertThat(run.err().strip().lines().count()).isLessThanOrEqualTo(2);
    }

    @Test
    void rejectsATokenWithAControlCharacterWithoutEchoingIt() throws IOException {
        Path token = Files.writeString(home.resolve("token"), "abc-secret\u0007value-42\n");

        CliRunner.Run run = CliRunner.run(env(), "--server", sim.url(), "--token-file", token.toString(), "-o", "json",
                "version");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(run.err()).contains("--token-file", "a control character at position 11");
        assertThat(run.out() + run.err()).doesNotContain("abc-secret", "value-42");
        assertThat(Json.mapper().readTree(run.out()).path("kind").asText()).isEqualTo("Error");
    }

    @Test
    void suggestsTheClosestCommandWhenOneIsMistyped() {
        CliRunner.Run run = CliRunner.run(env(), "sticky-deploi");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(run.err()).contains("Did you mean", "sticky-deploy");
    }

    @Test
    void completesPoolNamesFromTheConfiguration() throws IOException {
        Path config = Files.writeString(home.resolve("kp.yaml"), "pools:\n  - name: blue-pool\n    ranges: [10.42.9.0/29]\n");

        CliRunner.Run run = CliRunner.run(env(), "--config", config.toString(), "completion", "bash");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("complete -F", "sticky-deploy", "blue-pool");
    }
}
