package io.jenkins.plugins.kubeplatform.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FaultLayerTest {

    @AutoClose
    static final SimulatedCluster sim = SimulatedCluster.start(SimOptions.builder().builtInControllers(false).build());
    static final KubernetesClient client = sim.client();

    @BeforeEach
    void reset() {
        sim.faults().clear();
        sim.requests().clear();
    }

    @Test
    void refusesAProfileNamingTheEntryAndTheRule() {
        assertThatThrownBy(() -> FaultProfile.parse("503:0.2,404:0.1")).hasMessageContaining("unknown kind '404'")
                .hasMessageContaining("kinds are");
        assertThatThrownBy(() -> FaultProfile.parse("503:1.5")).hasMessageContaining("'503'")
                .hasMessageContaining("between 0 and 1");
        assertThatThrownBy(() -> FaultProfile.parse("503")).hasMessageContaining("KIND:PROBABILITY");
        assertThatThrownBy(() -> FaultProfile.parse("503:0.6,429:0.6")).hasMessageContaining("at most 1");
        assertThat(FaultProfile.parse("503:0.2,429:0.1,reset:0.05,drop-watch:0.3"))
                .isEqualTo(new FaultProfile(0, 0.2, 0.1, 0.05, 0.3));
    }

    @Test
    void answersEveryRequestWith429AndRetryAfterWhenTheProbabilityIsOne() {
        sim.faults().random(FaultProfile.parse("429:1"), 7, Duration.ofSeconds(1));
        assertThatThrownBy(() -> client.configMaps().inNamespace("default").list())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(429);
                    assertThat(e.getStatus().getReason()).isEqualTo("TooManyRequests");
                });
        assertThat(sim.faults().injected()).containsEntry("429", 1L);
    }

    @Test
    void injectsTheSameFaultsForTheSameSeed() {
        List<Integer> first = statuses(42);
        List<Integer> second = statuses(42);
        assertThat(first).hasSize(40).isEqualTo(second).contains(503).contains(200);
        assertThat(statuses(43)).isNotEqualTo(first);
    }

    private List<Integer> statuses(long seed) {
        sim.faults().clear();
        sim.requests().clear();
        sim.faults().random(FaultProfile.parse("503:0.3"), seed, Duration.ZERO);
        for (int i = 0; i < 40; i++) {
            try {
                client.configMaps().inNamespace("default").list();
            } catch (KubernetesClientException expected) {
                // counted from the request log
            }
        }
        return new ArrayList<>(sim.requests().list().stream().map(ApiRequest::status).toList());
    }

    @Test
    @org.junit.jupiter.api.Timeout(60)
    void breaksTheConnectionOnAReset() {
        sim.faults().random(FaultProfile.parse("reset:1"), 1, Duration.ZERO);
        assertThatThrownBy(() -> client.configMaps().inNamespace("default").list())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).as("no HTTP status reached the caller").isLessThanOrEqualTo(0);
                    assertThat(e.getStatus()).isNull();
                });
        sim.faults().clear();
        assertThat(client.configMaps().inNamespace("default").list().getItems()).isNotNull();
    }

    @Test
    void endsAWatchStreamedOverHttpAfterTheGivenTime() throws Exception {
        // a cluster of its own: the injected counts of the shared one stay as other tests expect them
        try (SimulatedCluster own = SimulatedCluster.start()) {
            own.faults().dropEveryWatch(Duration.ofMillis(200));
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            long started = System.nanoTime();
            // without the fault the server keeps this stream open for timeoutSeconds (10 minutes here)
            java.net.http.HttpResponse<String> answer = http.sendAsync(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(own.url()
                                    + "/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=600")).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString())
                    .get(30, java.util.concurrent.TimeUnit.SECONDS);
            Duration open = Duration.ofNanos(System.nanoTime() - started);

            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(open).isBetween(Duration.ofMillis(150), Duration.ofSeconds(30));
            assertThat(own.faults().injected()).containsEntry("drop-watch", 1L);
        }
    }

    @Test
    void closesAWatchAfterTheGivenTime() throws Exception {
        sim.faults().dropEveryWatch(Duration.ofMillis(200));
        Config config = new ConfigBuilder(client.getConfiguration()).withWatchReconnectLimit(0).build();
        try (KubernetesClient noReconnect = new KubernetesClientBuilder().withConfig(config).build()) {
            CountDownLatch closed = new CountDownLatch(1);
            long started = System.nanoTime();
            try (var watch = noReconnect.configMaps().inNamespace("default").watch(new Watcher<ConfigMap>() {
                @Override
                public void eventReceived(Action action, ConfigMap resource) {
                }

                @Override
                public void onClose(WatcherException cause) {
                    closed.countDown();
                }
            })) {
                assertThat(closed.await(10, TimeUnit.SECONDS)).as("the watch was closed by the server").isTrue();
            }
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
        }
        assertThat(sim.faults().injected()).containsEntry("drop-watch", 1L);
    }
}
