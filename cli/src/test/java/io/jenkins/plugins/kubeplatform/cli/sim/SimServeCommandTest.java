package io.jenkins.plugins.kubeplatform.cli.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.jenkins.plugins.kubeplatform.cli.CliRunner;
import io.jenkins.plugins.kubeplatform.cli.KubePlatformCli;
import java.io.BufferedReader;
import java.io.PipedReader;
import java.io.PipedWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SimServeCommandTest {

    @Test
    void printsItsUrlAndServesASeededClusterUntilStopped() throws Exception {
        PipedReader reader = new PipedReader();
        PrintWriter out = new PrintWriter(new PipedWriter(reader), true);
        AtomicInteger exit = new AtomicInteger(-1);
        Thread serve = new Thread(() -> exit.set(KubePlatformCli.run(new KubePlatformCli(), out,
                new PrintWriter(new StringWriter(), true), "sim", "serve", "--port", "0", "--nodes", "2")));
        serve.start();
        String url = new BufferedReader(reader).readLine();
        assertThat(url).matches("http://127\\.0\\.0\\.1:\\d+");

        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty())
                .withMasterUrl(url).build()).build()) {
            assertThat(client.nodes().list().getItems()).extracting(n -> n.getMetadata().getName())
                    .containsExactlyInAnyOrder("node-1", "node-2");
        }

        serve.interrupt();
        serve.join(30_000);
        assertThat(serve.isAlive()).isFalse();
        assertThat(exit.get()).isZero();
    }

    @Test
    void printsAnAdminTokenAndAuthorizesWithRbacWhenAsked() throws Exception {
        PipedReader reader = new PipedReader();
        PrintWriter out = new PrintWriter(new PipedWriter(reader), true);
        AtomicInteger exit = new AtomicInteger(-1);
        Thread serve = new Thread(() -> exit.set(KubePlatformCli.run(new KubePlatformCli(), out,
                new PrintWriter(new StringWriter(), true), "sim", "serve", "--port", "0", "--nodes", "1", "--rbac")));
        serve.start();
        BufferedReader lines = new BufferedReader(reader);
        String url = lines.readLine();
        String tokenLine = lines.readLine();
        assertThat(tokenLine).startsWith("admin token (group system:masters): sim-");
        String token = tokenLine.substring(tokenLine.indexOf(": ") + 2);

        try (KubernetesClient admin = new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty())
                .withMasterUrl(url).withOauthToken(token).build()).build();
                KubernetesClient anonymous = new KubernetesClientBuilder().withConfig(new ConfigBuilder(
                        Config.empty()).withMasterUrl(url).build()).build()) {
            assertThat(admin.nodes().list().getItems()).hasSize(1);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> anonymous.nodes().list())
                    .isInstanceOfSatisfying(io.fabric8.kubernetes.client.KubernetesClientException.class,
                            e -> assertThat(e.getMessage()).contains("nodes is forbidden: User \"system:anonymous\" "
                                    + "cannot list resource \"nodes\" in API group \"\" at the cluster scope"));
        }

        serve.interrupt();
        serve.join(30_000);
        assertThat(serve.isAlive()).isFalse();
        assertThat(exit.get()).isZero();
    }

    @Test
    void servesHttpsWithTheSameIdentitiesWhenAskedForTls() throws Exception {
        PipedReader reader = new PipedReader();
        PrintWriter out = new PrintWriter(new PipedWriter(reader), true);
        AtomicInteger exit = new AtomicInteger(-1);
        Thread serve = new Thread(() -> exit.set(KubePlatformCli.run(new KubePlatformCli(), out,
                new PrintWriter(new StringWriter(), true), "sim", "serve", "--port", "0", "--nodes", "1", "--rbac",
                "--tls")));
        serve.start();
        BufferedReader lines = new BufferedReader(reader);
        lines.readLine();
        String tokenLine = lines.readLine();
        String token = tokenLine.substring(tokenLine.indexOf(": ") + 2);
        String httpsLine = lines.readLine();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("https: (https://127\\.0\\.0\\.1:\\d+) "
                + "\\(certificate authority (.+)\\)").matcher(httpsLine);
        assertThat(m.matches()).as(httpsLine).isTrue();
        String ca = java.nio.file.Files.readString(java.nio.file.Path.of(m.group(2)));

        try (KubernetesClient admin = new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty())
                .withMasterUrl(m.group(1)).withCaCertData(java.util.Base64.getEncoder().encodeToString(
                        ca.getBytes(java.nio.charset.StandardCharsets.UTF_8))).withOauthToken(token)
                .withRequestRetryBackoffLimit(0).build()).build();
             KubernetesClient stranger = new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty())
                .withMasterUrl(m.group(1)).withCaCertData(java.util.Base64.getEncoder().encodeToString(
                        ca.getBytes(java.nio.charset.StandardCharsets.UTF_8))).withOauthToken("sim-unknown")
                .withRequestRetryBackoffLimit(0).build()).build()) {
            assertThat(admin.nodes().list().getItems()).hasSize(1);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> stranger.nodes().list())
                    .isInstanceOfSatisfying(io.fabric8.kubernetes.client.KubernetesClientException.class,
                            e -> assertThat(e.getCode()).isEqualTo(401));
        }

        serve.interrupt();
        serve.join(30_000);
        assertThat(serve.isAlive()).isFalse();
        assertThat(exit.get()).isZero();
    }

    @Test
    void servesItsRequestLogAndCountersOverHttpWhenAsked() throws Exception {
        PipedReader reader = new PipedReader();
        PrintWriter out = new PrintWriter(new PipedWriter(reader), true);
        Thread serve = new Thread(() -> KubePlatformCli.run(new KubePlatformCli(), out,
                new PrintWriter(new StringWriter(), true), "sim", "serve", "--port", "0", "--nodes", "1",
                "--image-pull", "2s", "--container-start", "500ms"));
        serve.start();
        String url = new BufferedReader(reader).readLine();
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty())
                .withMasterUrl(url).build()).build()) {
            http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url + "/sim/requests")).DELETE().build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            client.nodes().list();
            client.nodes().list();
            client.namespaces().withName("default").get();

            var response = http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(url + "/sim/requests")).GET().build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body());
            assertThat(json.get("count").asInt()).isEqualTo(3);
            assertThat(json.get("writes").asInt()).isZero();
            assertThat(json.get("byVerb").get("list").asInt()).isEqualTo(2);
            assertThat(json.get("byVerb").get("get").asInt()).isEqualTo(1);
            assertThat(json.get("byResource").get("nodes").asInt()).isEqualTo(2);
            assertThat(json.get("requests").get(2).get("path").asText()).isEqualTo("/api/v1/namespaces/default");
        } finally {
            serve.interrupt();
            serve.join(30_000);
        }
    }

    @Test
    void limitsTheControllersClientsAsAControlPlanesDefaultsWhenAsked() {
        SimServeCommand limited = new SimServeCommand();
        new picocli.CommandLine(limited).parseArgs("--port", "0", "--controller-limits");
        SimServeCommand unlimited = new SimServeCommand();
        new picocli.CommandLine(unlimited).parseArgs("--port", "0");

        assertThat(limited.options().controllerRateLimit()).hasValueSatisfying(l -> {
            assertThat(l.qps()).isEqualTo(20.0);
            assertThat(l.burst()).isEqualTo(30);
        });
        assertThat(limited.options().schedulerRateLimit()).hasValueSatisfying(l -> {
            assertThat(l.qps()).isEqualTo(50.0);
            assertThat(l.burst()).isEqualTo(100);
        });
        assertThat(unlimited.options().controllerRateLimit()).isEmpty();
        assertThat(unlimited.options().schedulerRateLimit()).isEmpty();
    }

    @Test
    void setsTheKubeletsPodTerminationDelayWhenAsked() {
        SimServeCommand set = new SimServeCommand();
        new picocli.CommandLine(set).parseArgs("--port", "0", "--pod-termination", "3s");
        SimServeCommand unset = new SimServeCommand();
        new picocli.CommandLine(unset).parseArgs("--port", "0");

        assertThat(set.options().podTerminationDelay()).isEqualTo(java.time.Duration.ofSeconds(3));
        assertThat(unset.options().podTerminationDelay()).isEqualTo(java.time.Duration.ofMillis(500));
    }

    @Test
    void rejectsAMalformedPodTerminationDelayWithExitCode2() {
        CliRunner.Run run = CliRunner.run("sim", "serve", "--port", "0", "--pod-termination", "later");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--pod-termination");
    }

    @Test
    void rejectsAMalformedImagePullDelayWithExitCode2() {
        CliRunner.Run run = CliRunner.run("sim", "serve", "--port", "0", "--image-pull", "soon");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--image-pull");
    }

    @Test
    void rejectsAMalformedPodCidrWithExitCode2() {
        CliRunner.Run run = CliRunner.run("sim", "serve", "--port", "0", "--pod-cidr", "10.42.0.0");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--pod-cidr");
    }

    @Test
    void rejectsAnUnknownCni() {
        CliRunner.Run run = CliRunner.run("sim", "serve", "--port", "0", "--cni", "flannel");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--cni");
    }

    @Test
    void injectsTheRequestedFaultsWithTheSeed() throws Exception {
        PipedReader reader = new PipedReader();
        PrintWriter out = new PrintWriter(new PipedWriter(reader), true);
        AtomicInteger exit = new AtomicInteger(-1);
        Thread serve = new Thread(() -> exit.set(KubePlatformCli.run(new KubePlatformCli(), out,
                new PrintWriter(new StringWriter(), true), "sim", "serve", "--port", "0", "--nodes", "1",
                "--faults", "503:1", "--seed", "9")));
        serve.start();
        BufferedReader lines = new BufferedReader(reader);
        String url = lines.readLine();
        assertThat(lines.readLine()).isEqualTo("injecting faults 500:0.0,503:1.0,429:0.0,reset:0.0,drop-watch:0.0 "
                + "(seed 9)");

        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty())
                .withMasterUrl(url).withRequestRetryBackoffLimit(0).build()).build()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.nodes().list())
                    .isInstanceOfSatisfying(io.fabric8.kubernetes.client.KubernetesClientException.class,
                            e -> assertThat(e.getCode()).isEqualTo(503));
        }

        serve.interrupt();
        serve.join(30_000);
        assertThat(exit.get()).isZero();
    }

    @Test
    void refusesAFaultListNamingTheEntryBeforeStarting() {
        StringWriter err = new StringWriter();
        int code = KubePlatformCli.run(new KubePlatformCli(), new PrintWriter(new StringWriter(), true),
                new PrintWriter(err, true), "sim", "serve", "--port", "0", "--faults", "503:0.2,drop:0.1");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--faults").contains("unknown kind 'drop'");
    }
}
