package io.jenkins.plugins.kubeplatform.engine.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ServerWarningsTest {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final ServerWarnings warnings = new ServerWarnings(Progress.lines(lines::add));

    @Test
    void readsEveryWarningOfSeveralHeadersAndOfCommaSeparatedValuesInOrder() {
        assertThat(ServerWarnings.texts(List.of("299 - \"first\"", "299 - \"second\", 299 - \"third\"")))
                .containsExactly("first", "second", "third");
    }

    @Test
    void unescapesQuotesAndBackslashesOfTheQuotedText() {
        assertThat(ServerWarnings.texts(List.of("299 - \"would violate PodSecurity \\\"restricted:latest\\\": "
                + "runAsNonRoot != true\"", "299 - \"a \\\\ b\"")))
                .containsExactly("would violate PodSecurity \"restricted:latest\": runAsNonRoot != true", "a \\ b");
    }

    @Test
    void skipsMalformedValuesOtherCodesAndEmptyTextsButKeepsTheWellFormedOnes() {
        assertThat(ServerWarnings.texts(List.of("299 - unquoted text", "299 - \"unterminated", "garbage",
                "199 - \"a miscellaneous warning of another code\"", "299 - \"\"",
                "299 - \"kept\" \"Sat, 25 Aug 2012 23:34:45 GMT\"")))
                .containsExactly("kept");
        assertThat(ServerWarnings.texts(null)).isEmpty();
    }

    @Test
    void showsEachDistinctTextOnceAcrossResponses() {
        warnings.report(List.of("299 - \"a\"", "299 - \"b\""));
        warnings.report(List.of("299 - \"b\""));
        warnings.report(List.of("299 - \"a\", 299 - \"c\""));

        assertThat(lines).containsExactly("[warn] the API server warns: a", "[warn] the API server warns: b",
                "[warn] the API server warns: c");
    }

    @Test
    void aClientOfKubernetesClientsShowsTheWarningsOfASuccessfulAndOfARefusedWrite() throws IOException {
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/namespaces/shop/configmaps", exchange -> {
            exchange.getRequestBody().readAllBytes();
            boolean refused = requests.incrementAndGet() > 1;
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.getResponseHeaders().add("Warning", "299 - \"one \\\"quoted\\\"\"");
            exchange.getResponseHeaders().add("Warning", refused ? "299 - \"three\"" : "299 - \"two\"");
            byte[] body = (refused
                    ? "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"no\","
                            + "\"reason\":\"Invalid\",\"code\":422}"
                    : "{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"c\","
                            + "\"namespace\":\"shop\"}}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(refused ? 422 : 201, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        try (KubernetesClient client = KubernetesClients.create(ClusterConnection.anonymous("test",
                "http://127.0.0.1:" + server.getAddress().getPort(), "shop"), warnings)) {
            client.configMaps().inNamespace("shop").resource(new ConfigMapBuilder().withNewMetadata()
                    .withName("c").endMetadata().build()).create();
            assertThatThrownBy(() -> client.configMaps().inNamespace("shop").resource(new ConfigMapBuilder()
                    .withNewMetadata().withName("d").endMetadata().build()).create())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode())
                            .isEqualTo(422));
        } finally {
            server.stop(0);
        }

        // the interceptor runs on the HTTP client's thread, possibly just after the call returned
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(lines).containsExactly("[warn] the API server warns: one \"quoted\"",
                "[warn] the API server warns: two", "[warn] the API server warns: three"));
    }
}
