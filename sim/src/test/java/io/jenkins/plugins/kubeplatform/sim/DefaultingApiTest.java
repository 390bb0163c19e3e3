package io.jenkins.plugins.kubeplatform.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Defaulting on every write path of the simulated API server (create, update, the three patch types, server-side
 * apply, dry run), as kube-apiserver decodes every request body into a defaulted object. The expected defaults are
 * those of SetDefaults_Deployment (kubernetes/kubernetes pkg/apis/apps/v1/defaults.go).
 */
class DefaultingApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEPLOYMENTS = "/apis/apps/v1/namespaces/default/deployments";
    private static SimulatedCluster sim;

    @BeforeAll
    static void start() {
        sim = SimulatedCluster.start(SimOptions.builder().builtInControllers(false).build());
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    private static String deployment(String name) {
        return ("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'" + name + "','labels':{'app':'"
                + name + "'}},'spec':{'selector':{'matchLabels':{'app':'" + name + "'}},'template':{'metadata':"
                + "{'labels':{'app':'" + name + "'}},'spec':{'containers':[{'name':'nginx','image':'nginx:1.27'}]}}}}")
                .replace('\'', '"');
    }

    private static void assertDefaulted(JsonNode d) {
        JsonNode spec = d.path("spec");
        assertThat(spec.path("replicas").asInt()).as(d.toString()).isEqualTo(1);
        assertThat(spec.path("revisionHistoryLimit").asInt()).as(d.toString()).isEqualTo(10);
        assertThat(spec.path("progressDeadlineSeconds").asInt()).as(d.toString()).isEqualTo(600);
        assertThat(spec.path("strategy").path("rollingUpdate").path("maxSurge").asText()).isEqualTo("25%");
        assertThat(spec.path("template").path("spec").path("restartPolicy").asText()).isEqualTo("Always");
        assertThat(spec.path("template").path("spec").path("containers").path(0).path("imagePullPolicy").asText())
                .isEqualTo("IfNotPresent");
    }

    private static JsonNode get(String name) throws Exception {
        return RawApi.call(sim, "GET", DEPLOYMENTS + "/" + name, null, null).body();
    }

    @Test
    void defaultsOnCreateAndOnADryRunCreateThatStoresNothing() throws Exception {
        RawApi.Answer dry = RawApi.call(sim, "POST", DEPLOYMENTS + "?dryRun=All", "application/json",
                deployment("dry"));
        RawApi.Answer created = RawApi.call(sim, "POST", DEPLOYMENTS, "application/json", deployment("created"));

        assertThat(dry.code()).isEqualTo(201);
        assertDefaulted(dry.body());
        assertThat(RawApi.call(sim, "GET", DEPLOYMENTS + "/dry", null, null).code()).isEqualTo(404);
        assertThat(created.code()).isEqualTo(201);
        assertDefaulted(get("created"));
    }

    @Test
    void defaultsAgainWhenAnUpdateOrAPatchLeavesADefaultedFieldOut() throws Exception {
        RawApi.call(sim, "POST", DEPLOYMENTS, "application/json", deployment("edited"));

        ObjectNode put = (ObjectNode) get("edited");
        ((ObjectNode) put.path("spec")).remove("strategy");
        assertThat(RawApi.call(sim, "PUT", DEPLOYMENTS + "/edited", "application/json", put.toString()).code())
                .isEqualTo(200);
        assertDefaulted(get("edited"));
        RawApi.call(sim, "PATCH", DEPLOYMENTS + "/edited", "application/merge-patch+json",
                "{\"spec\":{\"revisionHistoryLimit\":null}}");
        assertDefaulted(get("edited"));
        RawApi.call(sim, "PATCH", DEPLOYMENTS + "/edited", "application/json-patch+json",
                "[{\"op\":\"remove\",\"path\":\"/spec/progressDeadlineSeconds\"}]");
        assertDefaulted(get("edited"));
        RawApi.call(sim, "PATCH", DEPLOYMENTS + "/edited", "application/strategic-merge-patch+json",
                "{\"spec\":{\"replicas\":null}}");
        assertDefaulted(get("edited"));
    }

    @Test
    void defaultsAnObjectCreatedByServerSideApply() throws Exception {
        RawApi.Answer applied = RawApi.call(sim, "PATCH", DEPLOYMENTS + "/applied?fieldManager=test",
                "application/apply-patch+yaml", deployment("applied"));

        assertThat(applied.code()).as(applied.body().toString()).isEqualTo(201);
        assertDefaulted(get("applied"));
    }

    @Test
    void storesTheSameDeploymentSentAsProtobufAndAsJsonIdentically() throws Exception {
        for (String ns : new String[] {"proto", "json"}) {
            RawApi.call(sim, "POST", "/api/v1/namespaces", "application/json",
                    "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + ns + "\"}}");
        }
        byte[] proto = ProtobufBodiesTest.envelope("apps/v1", "Deployment",
                ProtobufBodiesTest.goWrittenDeployment("same", 0, 0));
        String json = "{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'same','labels':{'app':'same'}},"
                + "'spec':{'replicas':0,'selector':{'matchLabels':{'app':'same'}},'template':{'metadata':{'labels':"
                + "{'app':'same'}},'spec':{'terminationGracePeriodSeconds':0,'containers':[{'name':'nginx','image':"
                + "'nginx:1.27'}]}}}}";

        HttpResponse<String> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build().send(
                HttpRequest.newBuilder(URI.create(sim.url() + "/apis/apps/v1/namespaces/proto/deployments"))
                        .timeout(Duration.ofSeconds(20)).header("Accept", "application/json")
                        .header("Content-Type", "application/vnd.kubernetes.protobuf")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(proto)).build(),
                HttpResponse.BodyHandlers.ofString());
        RawApi.Answer created = RawApi.call(sim, "POST", "/apis/apps/v1/namespaces/json/deployments",
                "application/json", json.replace('\'', '"'));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(created.code()).isEqualTo(201);
        JsonNode fromProto = RawApi.call(sim, "GET", "/apis/apps/v1/namespaces/proto/deployments/same", null, null)
                .body();
        JsonNode fromJson = RawApi.call(sim, "GET", "/apis/apps/v1/namespaces/json/deployments/same", null, null)
                .body();
        assertThat(fromProto.path("spec")).isEqualTo(fromJson.path("spec"));
        assertThat(fromProto.path("metadata").path("labels")).isEqualTo(fromJson.path("metadata").path("labels"));
        assertThat(fromProto.path("spec").path("replicas").asInt(-1)).isZero();
        assertThat(fromProto.path("spec").path("template").path("spec").path("terminationGracePeriodSeconds")
                .asInt(-1)).isZero();
        assertThat(JSON.readTree(r.body()).path("spec")).isEqualTo(fromJson.path("spec"));
    }
}
