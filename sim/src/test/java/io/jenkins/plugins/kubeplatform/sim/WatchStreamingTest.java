package io.jenkins.plugins.kubeplatform.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Watches over plain HTTP (kubectl's {@code -w}, {@code rollout status}, {@code wait}) streamed as they happen. */
class WatchStreamingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static SimulatedCluster sim;

    @BeforeAll
    static void start() {
        sim = SimulatedCluster.start(SimOptions.builder().builtInControllers(false).build());
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    /** An open watch: its lines as they arrive, and the response's completion. */
    private record Watch(BlockingQueue<String> lines, CompletableFuture<HttpResponse<Stream<String>>> response,
            CompletableFuture<Void> ended) {
        JsonNode next(Duration within) throws Exception {
            String line = lines.poll(within.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(line).as("a watch event within %s", within).isNotNull();
            return JSON.readTree(line);
        }

        void close() {
            response.thenAccept(r -> r.body().close());
            response.cancel(true);
        }
    }

    private static Watch watch(String query) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        HttpRequest request = HttpRequest.newBuilder(URI.create(sim.url() + "/api/v1/namespaces/default/configmaps?"
                + "watch=true&" + query)).header("Accept", "application/json").GET().build();
        CompletableFuture<HttpResponse<Stream<String>>> response = HTTP.sendAsync(request,
                HttpResponse.BodyHandlers.ofLines());
        CompletableFuture<Void> ended = response.thenAcceptAsync(r -> r.body().forEach(lines::add));
        return new Watch(lines, response, ended);
    }

    private static String currentVersion() {
        return sim.client().configMaps().inNamespace("default").list().getMetadata().getResourceVersion();
    }

    private static void createConfigMap(String name) {
        sim.client().configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata()
                .withName(name).endMetadata().addToData("k", "v").build()).create();
    }

    @Test
    void deliversEachWriteToAnOpenHttpWatchWhileTheStreamStaysOpen() throws Exception {
        Watch watch = watch("resourceVersion=" + currentVersion());
        try {
            assertThat(watch.response().get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            createConfigMap("streamed-warm-up"); // the first event also loads the classes of the path: not timed
            assertThat(watch.next(Duration.ofSeconds(10)).path("object").path("metadata").path("name").asText())
                    .isEqualTo("streamed-warm-up");
            for (int i = 0; i < 3; i++) {
                long start = System.nanoTime();
                createConfigMap("streamed-" + i);
                // a few ms when streamed; a body buffered until the stream ends would arrive after minutes
                JsonNode event = watch.next(Duration.ofSeconds(2));
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

                assertThat(event.path("type").asText()).isEqualTo("ADDED");
                assertThat(event.path("object").path("metadata").path("name").asText()).isEqualTo("streamed-" + i);
                assertThat(millis).as("delivered while the stream is open").isLessThan(2000);
            }
        } finally {
            watch.close();
        }
    }

    @Test
    void keepsTheStreamOpenUntilTimeoutSeconds() throws Exception {
        long start = System.nanoTime();
        Watch watch = watch("resourceVersion=" + currentVersion() + "&timeoutSeconds=2");
        try {
            assertThat(watch.response().get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            createConfigMap("before-timeout");
            assertThat(watch.next(Duration.ofSeconds(5)).path("object").path("metadata").path("name").asText())
                    .isEqualTo("before-timeout");
            assertThat(watch.ended()).isNotDone();
            watch.ended().get(20, TimeUnit.SECONDS);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        } finally {
            watch.close();
        }
    }

    @Test
    void sendsABookmarkWithTheCurrentVersionWhenAllowed() throws Exception {
        String version = currentVersion();
        Watch watch = watch("resourceVersion=" + version + "&allowWatchBookmarks=true");
        try {
            JsonNode event = watch.next(Duration.ofSeconds(10));
            assertThat(event.path("type").asText()).isEqualTo("BOOKMARK");
            assertThat(event.path("object").path("kind").asText()).isEqualTo("ConfigMap");
            assertThat(Long.parseLong(event.path("object").path("metadata").path("resourceVersion").asText()))
                    .isGreaterThanOrEqualTo(Long.parseLong(version));
        } finally {
            watch.close();
        }
    }

    @Test
    void answersGoneForAVersionOlderThanADeletion() throws Exception {
        String before = currentVersion();
        createConfigMap("short-lived");
        sim.client().configMaps().inNamespace("default").withName("short-lived").delete();

        Watch watch = watch("resourceVersion=" + before);
        try {
            JsonNode event = watch.next(Duration.ofSeconds(10));
            assertThat(event.path("type").asText()).isEqualTo("ERROR");
            assertThat(event.path("object").path("code").asInt()).isEqualTo(410);
            assertThat(event.path("object").path("reason").asText()).isEqualTo("Expired");
        } finally {
            watch.close();
        }
    }
}
