package io.jenkins.plugins.kubeplatform.cli.expose;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.kubeplatform.cli.CliRunner;
import io.jenkins.plugins.kubeplatform.engine.store.Json;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExposeCommandTest {

    private static SimulatedCluster sim;

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

    private CliRunner.Run run(String... args) {
        String[] all = Stream.concat(Stream.of("--server", sim.url(), "--state-dir", state.toString(), "--output", "json"),
                Stream.of(args)).toArray(String[]::new);
        return CliRunner.run(all);
    }

    @Test
    void exposesAndPrintsOneJsonObjectWithHostUrlAndOwner() throws Exception {
        CliRunner.Run run = run("expose", "--namespace", "default", "--app", "银行", "--port", "8080",
                "--suffix", "apps.example.test");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode json = Json.mapper().readTree(run.out());
        assertThat(json.path("host").asText()).isEqualTo("yinhang.default.apps.example.test");
        assertThat(json.path("url").asText()).isEqualTo("http://yinhang.default.apps.example.test/");
        assertThat(json.path("owner").asText()).isEqualTo("default/银行");
        assertThat(json.path("changed").asBoolean()).isTrue();

        CliRunner.Run again = run("expose", "--namespace", "default", "--app", "银行", "--port", "8080",
                "--suffix", "apps.example.test");
        assertThat(Json.mapper().readTree(again.out()).path("changed").asBoolean()).isFalse();
    }

    @Test
    void syncReportsAsJson() throws Exception {
        CliRunner.Run run = run("expose-sync", "--suffix", "apps.example.test");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(Json.mapper().readTree(run.out()).has("hosts")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"--upstream=10.0.0.1:80;\nreturn 200", "--upstream=10.0.0.1:80}", "--host=a.example.test{",
            "--host=a.example.test\nserver_name x", "--host=$host.example.test", "--nginx-listen=80;", "--app=x\ny"})
    void rejectsInjectionAttemptsWithExitCode2AndWritesNothing(String hostile) throws Exception {
        Path confDir = state.resolve("sites");
        sim.requests().clear();

        CliRunner.Run run = run("expose", "--namespace", "default", "--app", "inject", "--port", "80", "--route", "none",
                "--nginx-conf-dir", confDir.toString(), "--nginx-bin", "/bin/false", hostile);

        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(Files.exists(confDir)).isFalse();
        assertThat(sim.requests().list()).isEmpty();
    }

    @Test
    void listShowsHostOwnerAndUpstreamAddresses() throws Exception {
        io.jenkins.plugins.kubeplatform.engine.expose.DomainRegistry.fileStore(state).update(reg ->
                io.jenkins.plugins.kubeplatform.engine.store.StateStore.Update.to(reg.with(
                        new io.jenkins.plugins.kubeplatform.engine.expose.DomainRegistry.Entry("shop.default.apps.example.test",
                                "default", "shop", "shop", 80, "ingress", "shop", null, "job/shop #4", "expose",
                                java.time.Instant.parse("2026-12-01T10:00:00Z"),
                                java.util.List.of("10.42.0.11:8080", "10.42.0.12:8080"))), null));

        CliRunner.Run json = run("expose", "list");
        assertThat(json.exitCode()).as(json.err()).isZero();
        JsonNode host = Json.mapper().readTree(json.out()).path("hosts").path(0);
        assertThat(host.path("host").asText()).isEqualTo("shop.default.apps.example.test");
        assertThat(host.path("owner").asText()).isEqualTo("default/shop");
        assertThat(host.path("upstreams").toString()).isEqualTo("[\"10.42.0.11:8080\",\"10.42.0.12:8080\"]");

        CliRunner.Run text = CliRunner.run("--state-dir", state.toString(), "expose", "list");
        assertThat(text.out()).contains("shop.default.apps.example.test -> default/shop -> 10.42.0.11:8080, 10.42.0.12:8080");
    }

    @Test
    void exposeWithoutAppIsAnInputError() {
        CliRunner.Run run = run("expose", "--port", "80");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--app");
    }
}
