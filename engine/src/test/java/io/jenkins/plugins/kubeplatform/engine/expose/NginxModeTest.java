package io.jenkins.plugins.kubeplatform.engine.expose;

import static io.jenkins.plugins.kubeplatform.engine.expose.ExposeFixture.engine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** nginx mode (EXP-6, EXP-8) with a real nginx on loopback and a real backend. */
class NginxModeTest {

    @TempDir
    static Path prefix;

    @TempDir
    Path state;

    private static NginxTestbed testbed;
    private static SimulatedCluster sim;
    private static PrivateNginx nginx;

    @BeforeAll
    static void start() throws Exception {
        testbed = NginxTestbed.start(prefix, "hello from the wacai backend");
        sim = testbed.sim;
        nginx = testbed.nginx;
    }

    @AfterAll
    static void stop() throws Exception {
        if (testbed != null) {
            testbed.close();
        }
    }

    private ExposeEngine engine() {
        return ExposeFixture.engine(sim, ExposeSettings.builder().suffix("apps.example.test").route("none")
                .admitTimeout("10s").nginx(nginx.settings()).build(), state);
    }

    @Test
    void generatedHostAnswersWithTheBackendAndUnknownHostsDoNot() {
        ExposeResult result = engine().expose(ExposeRequest.of("default", "挖财", 8080, "job/pay #3").toBuilder()
                .upstream(testbed.upstream()).verify(true).build());

        assertThat(result.host()).isEqualTo("wacai.default.apps.example.test");
        assertThat(result.verifyStatus()).contains(200);
        // a reload is graceful: workers started before it may answer a new connection with the old config
        // for a moment, so wait for the new configuration the way a client retrying would see it
        assertThat(nginx.await(result.host(), a -> a.status() == 200))
                .hasValueSatisfying(a -> assertThat(a.body()).contains("hello from the wacai backend"));
        assertThat(HostProbe.get("127.0.0.1", nginx.port, "unknown.default.apps.example.test", Duration.ofSeconds(2)))
                .hasValueSatisfying(a -> assertThat(a.status()).isEqualTo(404));
        assertThat(nginx.sites.resolve(result.host() + ".conf")).exists();
    }

    @Test
    void reRunLeavesTheBlockAlone() throws Exception {
        ExposeRequest request = ExposeRequest.of("default", "stable", 8080, "cli").toBuilder()
                .upstream(testbed.upstream()).build();
        engine().expose(request);
        Path block = nginx.sites.resolve("stable.default.apps.example.test.conf");
        var written = Files.getLastModifiedTime(block);

        ExposeResult again = engine().expose(request);

        assertThat(again.changes()).isEmpty();
        assertThat(Files.getLastModifiedTime(block)).isEqualTo(written);
    }

    @Test
    void releaseDeletesTheBlockAndTheHostStopsAnswering() {
        ExposeResult result = engine().expose(ExposeRequest.of("default", "gone", 8080, "cli").toBuilder()
                .upstream(testbed.upstream()).verify(true).build());
        // pre-condition: the host answers from its backend before the release
        assertThat(result.verifyStatus()).contains(200);
        assertThat(nginx.await(result.host(), a -> a.status() == 200))
                .hasValueSatisfying(a -> assertThat(a.body()).contains("hello from the wacai backend"));

        engine().release("default", "gone");

        assertThat(nginx.sites.resolve(result.host() + ".conf")).doesNotExist();
        assertThat(nginx.await(result.host(), a -> a.status() == 404)).hasValueSatisfying(
                a -> assertThat(a.status()).isEqualTo(404));
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:80;\ninclude /etc/passwd", "127.0.0.1:80 }", "$host:80", "a b:80",
            "127.0.0.1:99999", "backend.svc:80\"", "127.0.0.1"})
    void rejectsUpstreamsThatCouldInjectConfiguration(String upstream) throws Exception {
        assertThatThrownBy(() -> engine().expose(ExposeRequest.of("default", "inject", 80, "cli").toBuilder()
                .upstream(upstream).build()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("upstream");
        try (var files = Files.list(nginx.sites)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("inject"));
        }
    }

    @Test
    void neverTouchesBlocksItDidNotWrite() throws Exception {
        Path foreign = nginx.sites.resolve("handmade.default.apps.example.test.conf");
        Files.writeString(foreign, "# written by hand\n");

        assertThatThrownBy(() -> engine().expose(ExposeRequest.of("default", "handmade", 80, "cli").toBuilder()
                .upstream(testbed.upstream()).build()))
                .hasMessageContaining("was not written by kubernetes-platform-steps");
        assertThat(Files.readString(foreign)).isEqualTo("# written by hand\n");
    }

    @Test
    void finishesTheUpdateAndReloadWhenTheCallingThreadWasInterrupted() throws Exception {
        NginxSites sites = new NginxSites(nginx.settings(), io.jenkins.plugins.kubeplatform.engine.core.Progress.silent());
        String host = "aborted.default.apps.example.test";
        NginxServerBlock block = new NginxServerBlock(host, java.util.List.of(testbed.upstream()), sites.listeners(),
                new Owner("default", "aborted"), "job/aborted #1", java.util.Optional.empty());
        long reloadsBefore = nginx.reloads();
        java.util.concurrent.atomic.AtomicReference<Object> outcome = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean flagAfter = new java.util.concurrent.atomic.AtomicBoolean();
        // a build aborted just before it updates nginx: its thread's interrupt flag is set
        Thread aborted = new Thread(() -> {
            Thread.currentThread().interrupt();
            try {
                outcome.set(sites.update(java.util.List.of(block), java.util.List.of()));
            } catch (RuntimeException e) {
                outcome.set(e);
            }
            flagAfter.set(Thread.currentThread().isInterrupted());
        });
        aborted.start();
        aborted.join(60_000);

        assertThat(outcome.get()).as("the update's result").isInstanceOfSatisfying(NginxSites.Applied.class, a -> {
            assertThat(a.hosts()).containsExactly(host);
            assertThat(a.reloaded()).isTrue();
        });
        assertThat(flagAfter).as("the caller's interrupt is kept").isTrue();
        assertThat(Files.readString(sites.directory().resolve(NginxServerBlock.fileName(host))))
                .startsWith(NginxServerBlock.HEADER).contains(testbed.upstream());
        org.awaitility.Awaitility.await("nginx reloaded").atMost(Duration.ofSeconds(10))
                .until(() -> nginx.reloads() > reloadsBefore);
        sites.update(java.util.List.of(), java.util.List.of(host));
    }
}
