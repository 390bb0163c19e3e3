package io.jenkins.plugins.kubeplatform.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The OpenAPI schemas below the top level, and the {@code fieldValidation} a real server applies with them. */
class OpenApiSchemasTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static SimulatedCluster sim;

    @BeforeAll
    static void start() {
        sim = SimulatedCluster.start(SimOptions.builder().builtInControllers(false).build());
        CustomResources.ensure(sim.client(), io.jenkins.plugins.kubeplatform.sim.ingress.SimGatewayController.HTTP_ROUTE);
        CustomResources.ensure(sim.client(), io.jenkins.plugins.kubeplatform.sim.kubevirt.SimKubeVirt.VIRTUAL_MACHINE);
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    private static HttpResponse<String> send(String method, String path, String contentType, String body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sim.url() + path)).timeout(Duration.ofSeconds(20))
                .header("Accept", "application/json");
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode get(String path) throws Exception {
        HttpResponse<String> r = send("GET", path, null, null);
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static String configMap(String name, String extra) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\"},"
                + "\"data\":{\"a\":\"b\"}" + extra + "}";
    }

    @Test
    void servesTheFieldsOfBuiltInKindsWithTheirKubernetesNamesAndTypes() throws Exception {
        JsonNode schemas = get("/openapi/v3/apis/apps/v1").path("components").path("schemas");

        JsonNode deployment = schemas.path("io.k8s.api.apps.v1.Deployment");
        assertThat(deployment.path("x-kubernetes-group-version-kind").get(0).path("kind").asText())
                .isEqualTo("Deployment");
        assertThat(deployment.path("properties").path("spec").path("$ref").asText())
                .isEqualTo("#/components/schemas/io.k8s.api.apps.v1.DeploymentSpec");
        JsonNode replicas = schemas.path("io.k8s.api.apps.v1.DeploymentSpec").path("properties").path("replicas");
        assertThat(replicas.path("type").asText()).isEqualTo("integer");
        assertThat(replicas.path("format").asText()).isEqualTo("int32");
        JsonNode containers = schemas.path("io.k8s.api.core.v1.PodSpec").path("properties").path("containers");
        assertThat(containers.path("type").asText()).isEqualTo("array");
        assertThat(containers.path("x-kubernetes-patch-merge-key").asText()).isEqualTo("name");
        assertThat(containers.path("x-kubernetes-patch-strategy").asText()).isEqualTo("merge");
        assertThat(schemas.path("io.k8s.api.core.v1.Container").path("properties").path("readinessProbe")
                .path("$ref").asText()).isEqualTo("#/components/schemas/io.k8s.api.core.v1.Probe");
        assertThat(schemas.path("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta").path("properties")
                .path("labels").path("additionalProperties").path("type").asText()).isEqualTo("string");
    }

    @Test
    void declaresStrategicMergePatchForBuiltInKindsOnlyAndServesV2Definitions() throws Exception {
        JsonNode apps = get("/openapi/v3/apis/apps/v1").path("paths")
                .path("/apis/apps/v1/namespaces/{namespace}/deployments/{name}").path("patch");
        assertThat(names(apps.path("requestBody").path("content")))
                .contains("application/strategic-merge-patch+json", "application/merge-patch+json");
        JsonNode gateway = get("/openapi/v3/apis/gateway.networking.k8s.io/v1");
        JsonNode routePatch = gateway.path("paths")
                .path("/apis/gateway.networking.k8s.io/v1/namespaces/{namespace}/httproutes/{name}").path("patch");
        assertThat(names(routePatch.path("requestBody").path("content")))
                .contains("application/merge-patch+json").doesNotContain("application/strategic-merge-patch+json");
        assertThat(gateway.path("components").path("schemas").path("io.k8s.networking.gateway.v1.HTTPRouteSpec")
                .path("properties").has("rules")).isTrue();

        JsonNode v2 = get("/openapi/v2").path("definitions");
        assertThat(v2.path("io.k8s.api.core.v1.PodSpec").path("properties").path("nodeName").path("type").asText())
                .isEqualTo("string");
        assertThat(v2.path("io.k8s.api.apps.v1.Deployment").path("properties").path("spec").path("$ref").asText())
                .isEqualTo("#/definitions/io.k8s.api.apps.v1.DeploymentSpec");
    }

    @Test
    void servesTheUpstreamFieldsOfThirdPartyCrds() throws Exception {
        JsonNode pool = get("/openapi/v3/apis/crd.projectcalico.org/v1").path("components").path("schemas")
                .path("org.projectcalico.crd.v1.IPPool");
        assertThat(pool.path("properties").path("spec").path("properties").path("cidr").path("type").asText())
                .isEqualTo("string");
        JsonNode vm = get("/openapi/v3/apis/kubevirt.io/v1").path("components").path("schemas")
                .path("io.kubevirt.v1.VirtualMachine");
        assertThat(vm.path("properties").path("spec").path("properties").path("runStrategy").path("type").asText())
                .isEqualTo("string");
    }

    @Test
    void refusesUnknownFieldsWhenStrictNamingEachField() throws Exception {
        HttpResponse<String> r = send("POST", "/api/v1/namespaces/default/configmaps?fieldValidation=Strict",
                "application/json", configMap("strict", ",\"bogus\":1,\"metadata2\":{}"));

        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode status = JSON.readTree(r.body());
        assertThat(status.path("reason").asText()).isEqualTo("BadRequest");
        assertThat(status.path("message").asText()).isEqualTo("ConfigMap in version \"v1\" cannot be handled as a "
                + "ConfigMap: strict decoding error: unknown field \"bogus\", unknown field \"metadata2\"");
        assertThat(send("GET", "/api/v1/namespaces/default/configmaps/strict", null, null).statusCode())
                .isEqualTo(404);
    }

    @Test
    void refusesAnUnknownNestedFieldOfADeploymentInAStrategicMergePatch() throws Exception {
        String deployment = "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"nested\"},"
                + "\"spec\":{\"selector\":{\"matchLabels\":{\"app\":\"n\"}},\"template\":{\"metadata\":{\"labels\":"
                + "{\"app\":\"n\"}},\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"nginx\"}]}}}}";
        assertThat(send("POST", "/apis/apps/v1/namespaces/default/deployments?fieldValidation=Strict",
                "application/json", deployment).statusCode()).isEqualTo(201);

        HttpResponse<String> r = send("PATCH", "/apis/apps/v1/namespaces/default/deployments/nested"
                + "?fieldValidation=Strict", "application/strategic-merge-patch+json",
                "{\"spec\":{\"template\":{\"spec\":{\"$setElementOrder/containers\":[{\"name\":\"app\"}],"
                        + "\"containers\":[{\"name\":\"app\",\"imagePolicy\":\"x\"}]}}}}");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(r.body()).path("message").asText()).endsWith(
                "strict decoding error: unknown field \"spec.template.spec.containers[0].imagePolicy\"");
    }

    @Test
    void acceptsUnknownFieldsWithAWarningByDefaultAndSilentlyWhenIgnored() throws Exception {
        HttpResponse<String> warned = send("POST", "/api/v1/namespaces/default/configmaps", "application/json",
                configMap("warned", ",\"bogus\":1"));
        assertThat(warned.statusCode()).isEqualTo(201);
        assertThat(warned.headers().allValues("Warning")).containsExactly("299 - \"unknown field \\\"bogus\\\"\"");

        HttpResponse<String> ignored = send("POST", "/api/v1/namespaces/default/configmaps?fieldValidation=Ignore",
                "application/json", configMap("ignored", ",\"bogus\":1"));
        assertThat(ignored.statusCode()).isEqualTo(201);
        assertThat(ignored.headers().allValues("Warning")).isEmpty();

        HttpResponse<String> valid = send("POST", "/api/v1/namespaces/default/configmaps?fieldValidation=Strict",
                "application/json", configMap("valid", ",\"immutable\":false"));
        assertThat(valid.statusCode()).isEqualTo(201);
    }

    private static List<String> names(JsonNode object) {
        List<String> out = new ArrayList<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
