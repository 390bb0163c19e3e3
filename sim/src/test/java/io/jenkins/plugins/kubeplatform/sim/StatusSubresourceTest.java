package io.jenkins.plugins.kubeplatform.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.sim.RawApi.Answer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The status subresource as kube-apiserver v1.32 enforces it (pkg/registry strategies): a write of the object keeps
 * its stored status, a write of {@code /status} keeps its spec, a create starts from the kind's own status, and only
 * spec changes bump {@code metadata.generation}. A bare API server (no controllers), so nothing else writes.
 */
class StatusSubresourceTest {

    private static final String NS = "status-rules";
    private static final String PODS = "/api/v1/namespaces/" + NS + "/pods";
    private static final String DEPLOYMENTS = "/apis/apps/v1/namespaces/" + NS + "/deployments";
    private static SimulatedCluster sim;

    @BeforeAll
    static void start() {
        sim = SimulatedCluster.start(SimOptions.builder().builtInControllers(false).build());
        KubernetesClient client = sim.client();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
                .create();
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    private static Answer call(String method, String path, String contentType, String body) throws Exception {
        return RawApi.call(sim, method, path, contentType, body);
    }

    private static JsonNode ok(Answer a) {
        assertThat(a.code()).as(a.body().toString()).isBetween(200, 201);
        return a.body();
    }

    private static JsonNode get(String path) throws Exception {
        return ok(call("GET", path, null, null));
    }

    /** A pod as a client writes it, with the status a kubelet would report (which a create must not keep). */
    private static String pod(String name, String resources) {
        return """
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s"},
                 "spec":{"containers":[{"name":"app","image":"nginx:1.27"%s}]},
                 "status":{"phase":"Running","podIP":"10.0.0.9","conditions":[{"type":"Ready","status":"True"}]}}"""
                .formatted(name, resources);
    }

    private static JsonNode createPod(String name) throws Exception {
        return ok(call("POST", PODS, "application/json", pod(name, "")));
    }

    /** Sets the pod's phase the way a kubelet does: through pods/status. */
    private static void running(String name) throws Exception {
        ok(call("PATCH", PODS + "/" + name + "/status", "application/merge-patch+json",
                "{\"status\":{\"phase\":\"Running\",\"podIP\":\"10.0.0.9\"}}"));
    }

    @Test
    void createsAPodPendingWithItsQosClassWhateverStatusItIsCreatedWith() throws Exception {
        JsonNode bestEffort = createPod("created");
        JsonNode guaranteed = ok(call("POST", PODS, "application/json", pod("guaranteed",
                ",\"resources\":{\"limits\":{\"cpu\":\"500m\",\"memory\":\"128Mi\"}}")));
        JsonNode burstable = ok(call("POST", PODS, "application/json", pod("burstable",
                ",\"resources\":{\"requests\":{\"cpu\":\"100m\"},\"limits\":{\"cpu\":\"1\",\"memory\":\"1Gi\"}}")));

        assertThat(bestEffort.path("status").toString()).isEqualTo("{\"phase\":\"Pending\",\"qosClass\":\"BestEffort\"}");
        assertThat(get(PODS + "/created").path("status").path("phase").asText()).isEqualTo("Pending");
        assertThat(get(PODS + "/created").path("status").has("podIP")).isFalse();
        assertThat(guaranteed.path("status").path("qosClass").asText()).isEqualTo("Guaranteed");
        assertThat(burstable.path("status").path("qosClass").asText()).isEqualTo("Burstable");
    }

    @Test
    void keepsThePodsStatusWhenThePodItselfIsReplacedWithAnotherStatus() throws Exception {
        createPod("replaced");
        running("replaced");
        ObjectNode pod = (ObjectNode) get(PODS + "/replaced");
        pod.with("metadata").with("labels").put("tier", "web");
        pod.with("status").put("phase", "Failed").put("podIP", "10.9.9.9");

        JsonNode written = ok(call("PUT", PODS + "/replaced", "application/json", pod.toString()));

        assertThat(written.path("metadata").path("labels").path("tier").asText()).isEqualTo("web");
        JsonNode stored = get(PODS + "/replaced");
        assertThat(stored.path("metadata").path("labels").path("tier").asText()).isEqualTo("web");
        assertThat(stored.path("status").path("phase").asText()).isEqualTo("Running");
        assertThat(stored.path("status").path("podIP").asText()).isEqualTo("10.0.0.9");
    }

    @Test
    void keepsThePodsStatusWhenThePodItselfIsPatchedWithAnotherStatusByAnyPatchType() throws Exception {
        createPod("patched");
        running("patched");

        ok(call("PATCH", PODS + "/patched", "application/merge-patch+json",
                "{\"metadata\":{\"labels\":{\"merge\":\"1\"}},\"status\":{\"phase\":\"Failed\"}}"));
        ok(call("PATCH", PODS + "/patched", "application/strategic-merge-patch+json",
                "{\"metadata\":{\"labels\":{\"strategic\":\"1\"}},\"status\":{\"phase\":\"Succeeded\","
                        + "\"conditions\":[{\"type\":\"Ready\",\"status\":\"False\"}]}}"));
        ok(call("PATCH", PODS + "/patched", "application/json-patch+json",
                "[{\"op\":\"add\",\"path\":\"/metadata/labels/json\",\"value\":\"1\"},"
                        + "{\"op\":\"replace\",\"path\":\"/status/phase\",\"value\":\"Unknown\"}]"));
        ok(call("PATCH", PODS + "/patched?fieldManager=tester&force=true", "application/apply-patch+yaml",
                "apiVersion: v1\nkind: Pod\nmetadata:\n  name: patched\n  labels: {applied: \"1\"}\n"
                        + "status:\n  phase: Failed\n"));

        JsonNode stored = get(PODS + "/patched");
        assertThat(stored.path("metadata").path("labels").toString())
                .isEqualTo("{\"merge\":\"1\",\"strategic\":\"1\",\"json\":\"1\",\"applied\":\"1\"}");
        assertThat(stored.path("status").path("phase").asText()).isEqualTo("Running");
        assertThat(stored.path("status").path("podIP").asText()).isEqualTo("10.0.0.9");
        assertThat(stored.path("status").has("conditions")).isFalse();
    }

    @Test
    void keepsThePodsSpecWhenItsStatusIsWrittenWithAnotherSpec() throws Exception {
        createPod("status-put");
        ObjectNode pod = (ObjectNode) get(PODS + "/status-put");
        ((ObjectNode) pod.with("spec").withArray("containers").get(0)).put("image", "nginx:1.28");
        pod.with("spec").put("activeDeadlineSeconds", 30);
        pod.with("metadata").with("annotations").put("kubelet/seen", "yes");
        pod.with("status").put("phase", "Running");

        JsonNode written = ok(call("PUT", PODS + "/status-put/status", "application/json", pod.toString()));
        ok(call("PATCH", PODS + "/status-put/status", "application/merge-patch+json",
                "{\"spec\":{\"nodeName\":\"node-9\"},\"status\":{\"podIP\":\"10.0.0.7\"}}"));

        assertThat(written.path("status").path("phase").asText()).isEqualTo("Running");
        JsonNode stored = get(PODS + "/status-put");
        assertThat(stored.path("spec").path("containers").get(0).path("image").asText()).isEqualTo("nginx:1.27");
        assertThat(stored.path("spec").has("activeDeadlineSeconds")).isFalse();
        assertThat(stored.path("spec").has("nodeName")).isFalse();
        assertThat(stored.path("metadata").path("annotations").path("kubelet/seen").asText()).isEqualTo("yes");
        assertThat(stored.path("status").path("phase").asText()).isEqualTo("Running");
        assertThat(stored.path("status").path("podIP").asText()).isEqualTo("10.0.0.7");
        assertThat(stored.path("status").path("qosClass").asText()).isEqualTo("BestEffort");
    }

    private static String deployment(String name) {
        return """
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"%s","labels":{"app":"%s"}},
                 "spec":{"replicas":1,"selector":{"matchLabels":{"app":"%s"}},
                  "template":{"metadata":{"labels":{"app":"%s"}},"spec":{"containers":[
                    {"name":"web","image":"nginx:1.27"}]}}},
                 "status":{"replicas":7,"readyReplicas":7,"observedGeneration":9}}"""
                .formatted(name, name, name, name);
    }

    @Test
    void createsADeploymentWithAnEmptyStatusAtGenerationOne() throws Exception {
        JsonNode created = ok(call("POST", DEPLOYMENTS, "application/json", deployment("fresh")));

        assertThat(created.path("status").toString()).isEqualTo("{}");
        assertThat(created.path("metadata").path("generation").asLong()).isEqualTo(1);
    }

    @Test
    void bumpsTheGenerationForASpecChangeButNotForAStatusWrite() throws Exception {
        ok(call("POST", DEPLOYMENTS, "application/json", deployment("generations")));

        JsonNode afterStatus = ok(call("PATCH", DEPLOYMENTS + "/generations/status", "application/merge-patch+json",
                "{\"metadata\":{\"labels\":{\"app\":\"changed\"}},\"spec\":{\"replicas\":5},"
                        + "\"status\":{\"replicas\":1,\"observedGeneration\":1}}"));
        JsonNode afterSpec = ok(call("PATCH", DEPLOYMENTS + "/generations", "application/merge-patch+json",
                "{\"spec\":{\"replicas\":3},\"status\":{\"replicas\":0}}"));

        assertThat(afterStatus.path("metadata").path("generation").asLong()).isEqualTo(1);
        assertThat(afterStatus.path("spec").path("replicas").asInt()).isEqualTo(1);
        assertThat(afterStatus.path("metadata").path("labels").path("app").asText()).isEqualTo("generations");
        assertThat(afterStatus.path("status").path("replicas").asInt()).isEqualTo(1);
        assertThat(afterSpec.path("metadata").path("generation").asLong()).isEqualTo(2);
        assertThat(afterSpec.path("spec").path("replicas").asInt()).isEqualTo(3);
        assertThat(afterSpec.path("status").path("replicas").asInt()).isEqualTo(1);
        assertThat(afterSpec.path("status").path("observedGeneration").asLong()).isEqualTo(1);
    }

    @Test
    void keepsANodesConditionsWhenTheNodeIsPatchedAndChangesThemThroughNodeStatus() throws Exception {
        String ready = "{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"False\","
                + "\"reason\":\"KubeletNotReady\",\"message\":\"test\"}]}}";

        ok(call("PATCH", "/api/v1/nodes/node-1", "application/strategic-merge-patch+json", ready));
        assertThat(readyOf(get("/api/v1/nodes/node-1"))).isEqualTo("True");
        ok(call("PATCH", "/api/v1/nodes/node-1/status", "application/strategic-merge-patch+json", ready));
        assertThat(readyOf(get("/api/v1/nodes/node-1"))).isEqualTo("False");
    }

    private static String readyOf(JsonNode node) {
        for (JsonNode c : node.path("status").path("conditions")) {
            if (c.path("type").asText().equals("Ready")) {
                return c.path("status").asText();
            }
        }
        return "";
    }

    @Test
    void splitsSpecAndStatusOfACustomResourceWhoseDefinitionDeclaresTheStatusSubresource() throws Exception {
        CustomResources.ensure(sim.client(), new CustomResources("example.jenkins.io", "v1", "Widget", "widgets",
                true));
        String widgets = "/apis/example.jenkins.io/v1/namespaces/" + NS + "/widgets";

        JsonNode created = ok(call("POST", widgets, "application/json", "{\"apiVersion\":\"example.jenkins.io/v1\","
                + "\"kind\":\"Widget\",\"metadata\":{\"name\":\"w\"},\"spec\":{\"size\":1},"
                + "\"status\":{\"ready\":true}}"));
        ok(call("PATCH", widgets + "/w/status", "application/merge-patch+json",
                "{\"spec\":{\"size\":9},\"status\":{\"ready\":false}}"));
        ok(call("PATCH", widgets + "/w", "application/merge-patch+json",
                "{\"spec\":{\"size\":2},\"status\":{\"ready\":true}}"));

        assertThat(created.has("status")).isFalse();
        JsonNode stored = get(widgets + "/w");
        assertThat(stored.path("spec").path("size").asInt()).isEqualTo(2);
        assertThat(stored.path("status").path("ready").isBoolean()).isTrue();
        assertThat(stored.path("status").path("ready").asBoolean()).isFalse();
    }

    @Test
    void createsAServiceWithAnEmptyLoadBalancerStatusAndANamespaceActive() throws Exception {
        JsonNode service = ok(call("POST", "/api/v1/namespaces/" + NS + "/services", "application/json",
                "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"lb\"},\"spec\":{\"type\":"
                        + "\"LoadBalancer\",\"ports\":[{\"port\":80}]},\"status\":{\"loadBalancer\":{\"ingress\":"
                        + "[{\"ip\":\"1.2.3.4\"}]}}}"));
        JsonNode namespace = ok(call("POST", "/api/v1/namespaces", "application/json",
                "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"status-ns\"},"
                        + "\"status\":{\"phase\":\"Terminating\"}}"));

        assertThat(service.path("status").toString()).isEqualTo("{\"loadBalancer\":{}}");
        assertThat(namespace.path("status").toString()).isEqualTo("{\"phase\":\"Active\"}");
    }
}
