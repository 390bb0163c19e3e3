package io.jenkins.plugins.kubeplatform.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.jenkins.plugins.kubeplatform.sim.RawApi.Answer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code metadata.generation} as the v1.32 registry strategies keep it (pkg/registry/apps/deployment/strategy.go,
 * apps/replicaset, core/pod, apiextensions customresource; {@code rest.BeforeUpdate}): expected values come from
 * those strategies, not from the simulation.
 */
class GenerationTest {

    private static final String NS = "generations";
    private static final String DEPLOYMENTS = "/apis/apps/v1/namespaces/" + NS + "/deployments";
    private static final String REPLICASETS = "/apis/apps/v1/namespaces/" + NS + "/replicasets";
    private static final String PODS = "/api/v1/namespaces/" + NS + "/pods";
    private static final String CONFIGMAPS = "/api/v1/namespaces/" + NS + "/configmaps";
    private static final String WIDGETS = "/apis/example.com/v1/namespaces/" + NS + "/widgets";
    private static final String MERGE = "application/merge-patch+json";
    private static SimulatedCluster sim;

    @BeforeAll
    static void start() throws Exception {
        sim = SimulatedCluster.start(SimOptions.builder().builtInControllers(false).build());
        sim.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata()
                .build()).create();
        ok(RawApi.call(sim, "POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", "application/json", """
                {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
                 "metadata":{"name":"widgets.example.com"},
                 "spec":{"group":"example.com","scope":"Namespaced",
                  "names":{"plural":"widgets","singular":"widget","kind":"Widget","listKind":"WidgetList"},
                  "versions":[{"name":"v1","served":true,"storage":true,"subresources":{"status":{}},
                   "schema":{"openAPIV3Schema":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}]}}"""));
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    private static JsonNode ok(Answer a) {
        assertThat(a.code()).as(a.body().toString()).isBetween(200, 201);
        return a.body();
    }

    private static JsonNode call(String method, String path, String body) throws Exception {
        return ok(RawApi.call(sim, method, path, method.equals("PATCH") ? MERGE : "application/json", body));
    }

    private static JsonNode generation(JsonNode object) {
        return object.path("metadata").path("generation");
    }

    private static String deployment(String name) {
        return """
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"%s","labels":{"app":"%s"}},
                 "spec":{"replicas":1,"selector":{"matchLabels":{"app":"%s"}},
                  "template":{"metadata":{"labels":{"app":"%s"}},"spec":{"containers":[
                    {"name":"web","image":"nginx:1.27"}]}}}}""".formatted(name, name, name, name);
    }

    @Test
    void raisesADeploymentsGenerationForAnAnnotationChangeButNotForALabelChange() throws Exception {
        JsonNode created = call("POST", DEPLOYMENTS, deployment("annotated"));
        JsonNode labelled = call("PATCH", DEPLOYMENTS + "/annotated", "{\"metadata\":{\"labels\":{\"tier\":\"web\"}}}");
        JsonNode annotated = call("PATCH", DEPLOYMENTS + "/annotated", "{\"metadata\":{\"annotations\":{\"a\":\"b\"}}}");

        assertThat(generation(created).asLong()).isEqualTo(1);
        assertThat(generation(labelled).asLong()).isEqualTo(1);
        assertThat(generation(annotated).asLong()).isEqualTo(2);
    }

    @Test
    void keepsADeploymentsGenerationWhenItsStatusWriteChangesAnAnnotation() throws Exception {
        call("POST", DEPLOYMENTS, deployment("revised"));

        JsonNode written = call("PATCH", DEPLOYMENTS + "/revised/status", "{\"metadata\":{\"annotations\":"
                + "{\"deployment.kubernetes.io/revision\":\"1\"}},\"status\":{\"observedGeneration\":1}}");

        assertThat(written.path("metadata").path("annotations").path("deployment.kubernetes.io/revision").asText())
                .isEqualTo("1");
        assertThat(generation(written).asLong()).isEqualTo(1);
    }

    @Test
    void raisesADeploymentsGenerationWhenItIsScaledThroughTheScaleSubresource() throws Exception {
        call("POST", DEPLOYMENTS, deployment("scaled"));

        call("PATCH", DEPLOYMENTS + "/scaled/scale", "{\"spec\":{\"replicas\":4}}");

        assertThat(generation(call("GET", DEPLOYMENTS + "/scaled", null)).asLong()).isEqualTo(2);
    }

    @Test
    void raisesAReplicaSetsGenerationForASpecChangeButNotForAnAnnotationChange() throws Exception {
        call("POST", REPLICASETS, """
                {"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"rs"},
                 "spec":{"replicas":1,"selector":{"matchLabels":{"app":"rs"}},
                  "template":{"metadata":{"labels":{"app":"rs"}},"spec":{"containers":[
                    {"name":"web","image":"nginx:1.27"}]}}}}""");

        JsonNode annotated = call("PATCH", REPLICASETS + "/rs", "{\"metadata\":{\"annotations\":{\"a\":\"b\"}}}");
        JsonNode scaled = call("PATCH", REPLICASETS + "/rs", "{\"spec\":{\"replicas\":3}}");

        assertThat(generation(annotated).asLong()).isEqualTo(1);
        assertThat(generation(scaled).asLong()).isEqualTo(2);
    }

    @Test
    void ignoresAGenerationAClientSendsInAnUpdate() throws Exception {
        JsonNode created = call("POST", DEPLOYMENTS, deployment("forged"));
        ((com.fasterxml.jackson.databind.node.ObjectNode) created.path("metadata")).put("generation", 42);

        JsonNode replaced = call("PUT", DEPLOYMENTS + "/forged", created.toString());

        assertThat(generation(replaced).asLong()).isEqualTo(1);
    }

    @Test
    void givesPodsAndConfigMapsNoGenerationEvenWhenAPodsImageChanges() throws Exception {
        JsonNode pod = call("POST", PODS, """
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"plain"},
                 "spec":{"automountServiceAccountToken":false,"containers":[{"name":"app","image":"nginx:1.27"}]}}""");
        // (without the token mount: the merge patch below replaces the containers list, which would drop it)
        JsonNode changed = call("PATCH", PODS + "/plain", "{\"spec\":{\"containers\":[{\"name\":\"app\","
                + "\"image\":\"nginx:1.28\"}]}}");
        JsonNode configMap = call("POST", CONFIGMAPS, """
                {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"plain"},"data":{"a":"1"}}""");
        JsonNode edited = call("PATCH", CONFIGMAPS + "/plain", "{\"data\":{\"a\":\"2\"}}");

        assertThat(pod.path("metadata").has("generation")).as(pod.toString()).isFalse();
        assertThat(changed.path("metadata").has("generation")).as(changed.toString()).isFalse();
        assertThat(call("GET", PODS + "/plain", null).path("metadata").has("generation")).isFalse();
        assertThat(configMap.path("metadata").has("generation")).isFalse();
        assertThat(edited.path("metadata").has("generation")).isFalse();
    }

    @Test
    void keepsTheGenerationAClientSendsWhenCreatingAKindWithoutOneButNotInAnUpdate() throws Exception {
        // rest.FillObjectMetaSystemFields sets only the uid and creation time; BeforeUpdate keeps the stored generation
        JsonNode created = call("POST", CONFIGMAPS, """
                {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"numbered","generation":5},"data":{"a":"1"}}""");
        JsonNode updated = call("PATCH", CONFIGMAPS + "/numbered", "{\"metadata\":{\"generation\":9},\"data\":{\"a\":\"2\"}}");

        assertThat(generation(created).asLong()).isEqualTo(5);
        assertThat(generation(updated).asLong()).isEqualTo(5);
    }

    @Test
    void raisesACustomResourcesGenerationForAnyChangeOutsideMetadataButNotForItsStatusSubresource()
            throws Exception {
        JsonNode created = call("POST", WIDGETS, """
                {"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w"},"spec":{"size":1}}""");
        JsonNode labelled = call("PATCH", WIDGETS + "/w", "{\"metadata\":{\"labels\":{\"a\":\"b\"}}}");
        JsonNode statusWritten = call("PATCH", WIDGETS + "/w/status", "{\"status\":{\"ready\":true}}");
        JsonNode statusOnObject = call("PATCH", WIDGETS + "/w", "{\"status\":{\"ready\":false}}");
        JsonNode resized = call("PATCH", WIDGETS + "/w", "{\"spec\":{\"size\":2}}");
        JsonNode extra = call("PATCH", WIDGETS + "/w", "{\"extra\":{\"colour\":\"red\"}}");

        assertThat(generation(created).asLong()).isEqualTo(1);
        assertThat(generation(labelled).asLong()).isEqualTo(1);
        assertThat(generation(statusWritten).asLong()).isEqualTo(1);
        assertThat(generation(statusOnObject).asLong()).isEqualTo(1);
        assertThat(generation(resized).asLong()).isEqualTo(2);
        assertThat(generation(extra).asLong()).isEqualTo(3);
    }
}
