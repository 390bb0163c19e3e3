package io.jenkins.plugins.kubeplatform.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import java.io.IOException;
import java.util.List;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

class EvictionTest {

    @AutoClose
    static final SimulatedCluster sim = SimulatedCluster.start(SimOptions.builder().speed(50).build());
    static final KubernetesClient client = sim.client();

    static void readyPods(String app, int n) {
        for (int i = 0; i < n; i++) {
            Pods.create(client, Pods.pod(app + "-" + i).editMetadata().addToLabels("app", app).endMetadata().build());
        }
        for (int i = 0; i < n; i++) {
            Pods.awaitReady(client, "default", app + "-" + i);
        }
    }

    static void budget(String app, IntOrString minAvailable, IntOrString maxUnavailable) {
        client.policy().v1().podDisruptionBudget().inNamespace("default").resource(new PodDisruptionBudgetBuilder()
                .withNewMetadata().withName(app).withNamespace("default").endMetadata().withNewSpec()
                .withMinAvailable(minAvailable).withMaxUnavailable(maxUnavailable).withNewSelector()
                .addToMatchLabels("app", app).endSelector().endSpec().build()).create();
    }

    static HttpResponse<String> evict(String pod) throws IOException, InterruptedException {
        String body = "{\"apiVersion\":\"policy/v1\",\"kind\":\"Eviction\",\"metadata\":{\"name\":\"" + pod
                + "\",\"namespace\":\"default\"}}";
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(sim.url()
                + "/api/v1/namespaces/default/pods/" + pod + "/eviction")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void evictsAPodNoBudgetCovers() {
        readyPods("free", 1);
        assertThat(client.pods().inNamespace("default").withName("free-0").evict()).isTrue();
        // the eviction deletes gracefully: Terminating at once, gone when its kubelet has stopped it
        io.fabric8.kubernetes.api.model.Pod evicted = client.pods().inNamespace("default").withName("free-0").get();
        assertThat(evicted == null || evicted.getMetadata().getDeletionTimestamp() != null).isTrue();
        Pods.awaitGone(client, "default", "free-0");
    }

    @Test
    void refusesWith429WhenTheBudgetAllowsNoDisruption() throws Exception {
        readyPods("tight", 2);
        budget("tight", new IntOrString(2), null);

        HttpResponse<String> response = evict("tight-0");

        assertThat(response.statusCode()).isEqualTo(429);
        com.fasterxml.jackson.databind.JsonNode status = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(response.body());
        assertThat(status.path("reason").asText()).isEqualTo("TooManyRequests");
        assertThat(status.path("message").asText())
                .isEqualTo("Cannot evict pod as it would violate the pod's disruption budget.");
        assertThat(status.path("details").path("causes").get(0).path("reason").asText()).isEqualTo("DisruptionBudget");
        assertThat(status.path("details").path("causes").get(0).path("message").asText())
                .isEqualTo("The disruption budget tight needs 2 healthy pods and has 2 currently");
        assertThat(client.pods().inNamespace("default").withName("tight-0").get()).isNotNull();
        assertThat(client.pods().inNamespace("default").withName("tight-0").evict()).isFalse();
    }

    @Test
    void countsTheControllersScaleSoAReplacementInProgressBlocksTheNextEviction() throws Exception {
        client.apps().replicaSets().inNamespace("default").resource(new ReplicaSetBuilder().withNewMetadata()
                .withName("loose").withNamespace("default").endMetadata().withNewSpec().withReplicas(3)
                .withNewSelector().addToMatchLabels("app", "loose").endSelector().withNewTemplate().withNewMetadata()
                .addToLabels("app", "loose").endMetadata().withNewSpec().addNewContainer().withName("app")
                .withImage("nginx").endContainer().endSpec().endTemplate().endSpec().build()).create();
        Pods.await(client.apps().replicaSets().inNamespace("default").withName("loose"), r -> r != null
                && r.getStatus() != null && Integer.valueOf(3).equals(r.getStatus().getReadyReplicas()));
        budget("loose", null, new IntOrString(1));
        List<String> pods = client.pods().inNamespace("default").withLabel("app", "loose").list().getItems().stream()
                .map(p -> p.getMetadata().getName()).toList();
        // the replacement the ReplicaSet creates never becomes Ready (a template change leaves running pods alone),
        // so the second eviction meets it in progress however long the machine takes between the two requests
        client.apps().replicaSets().inNamespace("default").withName("loose").edit(r -> {
            r.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("nginx-" + SimAnnotations
                    .FAIL_PULL_IMAGE_MARKER);
            return r;
        });

        assertThat(evict(pods.get(0)).statusCode()).isEqualTo(201);
        assertThat(evict(pods.get(1)).statusCode()).isEqualTo(429);
    }

    @Test
    void reportsTheBudgetInItsStatus() {
        readyPods("counted", 3);
        budget("counted", new IntOrString("50%"), null);
        PodDisruptionBudget pdb = Pods.await(client.policy().v1().podDisruptionBudget().inNamespace("default")
                .withName("counted"), p -> p != null && p.getStatus() != null
                && Integer.valueOf(3).equals(p.getStatus().getCurrentHealthy()));
        assertThat(pdb.getStatus().getDesiredHealthy()).isEqualTo(2);
        assertThat(pdb.getStatus().getDisruptionsAllowed()).isEqualTo(1);
        assertThat(pdb.getStatus().getExpectedPods()).isEqualTo(3);
    }

    @Test
    void answers404ForAMissingPod() throws Exception {
        HttpResponse<String> response = evict("nobody");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("\"message\":\"pods \\\"nobody\\\" not found\"")
                .contains("\"reason\":\"NotFound\"");
    }
}
