package io.jenkins.plugins.kubeplatform.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SimEndpointsTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private SimulatedCluster sim;

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(sim.url() + path)).method(method,
                HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> response = send("GET", path);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new ObjectMapper().readTree(response.body());
    }

    @Test
    void countsTheClientsRequestsByVerbResourceAndStatusWithoutCountingItself() throws Exception {
        sim = SimulatedCluster.start(SimOptions.builder().speed(50).build());
        sim.requests().clear();
        sim.client().configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata()
                .withName("a").endMetadata().addToData("k", "v").build()).create();
        sim.client().configMaps().inNamespace("default").withName("a").get();
        sim.client().configMaps().inNamespace("default").withName("missing").get();

        JsonNode first = get("/sim/requests");
        JsonNode second = get("/sim/requests?summary=true");

        assertThat(first.get("count").asInt()).isEqualTo(3);
        assertThat(first.get("writes").asInt()).isEqualTo(1);
        assertThat(first.get("byVerb").get("create").asInt()).isEqualTo(1);
        assertThat(first.get("byVerb").get("get").asInt()).isEqualTo(2);
        assertThat(first.get("byResource").get("configmaps").asInt()).isEqualTo(3);
        assertThat(first.get("byStatus").get("404").asInt()).isEqualTo(1);
        assertThat(first.get("requests")).hasSize(3);
        assertThat(first.get("requests").get(0).get("verb").asText()).isEqualTo("create");
        assertThat(second.get("count").asInt()).as("reading the log is not an API request").isEqualTo(3);
        assertThat(second.has("requests")).isFalse();
        assertThat(get("/sim/requests?internal=true&summary=true").get("count").asInt()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void forgetsEverythingOnDeleteAndAnswers404ForUnknownEndpoints() throws Exception {
        sim = SimulatedCluster.start(SimOptions.builder().speed(50).build());
        sim.client().namespaces().list();

        HttpResponse<String> cleared = send("DELETE", "/sim/requests");

        assertThat(cleared.statusCode()).isEqualTo(200);
        assertThat(get("/sim/requests").get("count").asInt()).isZero();
        assertThat(sim.requests().count()).isZero();
        HttpResponse<String> unknown = send("GET", "/sim/nothing");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("/sim/requests");
        assertThat(send("POST", "/sim/requests").statusCode()).isEqualTo(405);
    }
}
