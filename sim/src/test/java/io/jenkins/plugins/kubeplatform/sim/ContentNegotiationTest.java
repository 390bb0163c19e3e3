package io.jenkins.plugins.kubeplatform.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubernetes.client.proto.IntStr;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.Runtime;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Apps;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Media types, server-side printing and the documents kubectl reads, as kube-apiserver v1.32 answers them. */
class ContentNegotiationTest {

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

    private static HttpResponse<byte[]> send(String method, String path, String accept, String contentType,
            byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sim.url() + path)).timeout(Duration.ofSeconds(20));
        if (accept != null) {
            b.header("Accept", accept);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static JsonNode json(HttpResponse<byte[]> r) throws Exception {
        return JSON.readTree(r.body());
    }

    @Test
    void labelsJsonAnswersSoClientsPreferringProtobufDecodeThem() throws Exception {
        HttpResponse<byte[]> r = send("GET", "/api/v1/nodes/node-1", "application/vnd.kubernetes.protobuf,"
                + "application/json", null, null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(json(r).path("metadata").path("name").asText()).isEqualTo("node-1");
    }

    @Test
    void answers406ForAnAcceptItCannotWriteAnd415ForABodyItCannotRead() throws Exception {
        HttpResponse<byte[]> notAcceptable = send("GET", "/api/v1/nodes", "text/html", null, null);
        assertThat(notAcceptable.statusCode()).isEqualTo(406);
        assertThat(json(notAcceptable).path("reason").asText()).isEqualTo("NotAcceptable");
        assertThat(json(notAcceptable).path("message").asText())
                .isEqualTo("only the following media types are accepted: application/json, application/yaml");

        HttpResponse<byte[]> unsupported = send("POST", "/api/v1/namespaces/default/configmaps", null,
                "text/plain", "hello".getBytes());
        assertThat(unsupported.statusCode()).isEqualTo(415);
        assertThat(json(unsupported).path("reason").asText()).isEqualTo("UnsupportedMediaType");
        assertThat(json(unsupported).path("message").asText()).startsWith("the body of the request was in an "
                + "unknown format - accepted media types include: application/json");
    }

    @Test
    void writesYamlWhenAskedForIt() throws Exception {
        HttpResponse<byte[]> r = send("GET", "/api/v1/namespaces/default", "application/yaml", null, null);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/yaml");
        assertThat(new String(r.body())).contains("kind: \"Namespace\"").contains("name: \"default\"");
    }

    @Test
    void printsTablesWithTheRealColumnsIncludingTheWideOnes() throws Exception {
        HttpResponse<byte[]> r = send("GET", "/api/v1/nodes", "application/json;as=Table;v=v1;g=meta.k8s.io,"
                + "application/json", null, null);
        JsonNode table = json(r);
        assertThat(table.path("kind").asText()).isEqualTo("Table");
        assertThat(table.path("apiVersion").asText()).isEqualTo("meta.k8s.io/v1");
        java.util.List<String> columns = new java.util.ArrayList<>();
        java.util.List<Integer> priorities = new java.util.ArrayList<>();
        table.path("columnDefinitions").forEach(c -> {
            columns.add(c.path("name").asText());
            priorities.add(c.path("priority").asInt());
        });
        assertThat(columns).containsExactly("Name", "Status", "Roles", "Age", "Version", "Internal-IP",
                "External-IP", "OS-Image", "Kernel-Version", "Container-Runtime");
        assertThat(priorities).containsExactly(0, 0, 0, 0, 0, 1, 1, 1, 1, 1);
        JsonNode first = table.path("rows").get(0);
        assertThat(first.path("cells").get(0).asText()).isEqualTo("node-1");
        assertThat(first.path("cells").get(1).asText()).isEqualTo("Ready");
        assertThat(first.path("cells").get(5).asText()).isEqualTo("192.168.56.11");
        assertThat(first.path("object").path("kind").asText()).isEqualTo("PartialObjectMetadata");
    }

    @Test
    void humanisesAgesLikeTheApiServer() {
        assertThat(Tables.human(Duration.ofSeconds(119))).isEqualTo("119s");
        assertThat(Tables.human(Duration.ofSeconds(150))).isEqualTo("2m30s");
        assertThat(Tables.human(Duration.ofMinutes(45))).isEqualTo("45m");
        assertThat(Tables.human(Duration.ofMinutes(200))).isEqualTo("3h20m");
        assertThat(Tables.human(Duration.ofHours(30))).isEqualTo("30h");
        assertThat(Tables.human(Duration.ofHours(50))).isEqualTo("2d2h");
        assertThat(Tables.human(Duration.ofDays(30))).isEqualTo("30d");
    }

    @Test
    void servesVersionOpenApiAndAccessReviews() throws Exception {
        JsonNode version = json(send("GET", "/version", null, null, null));
        assertThat(version.path("major").asText()).isEqualTo("1");
        assertThat(version.path("minor").asText()).isEqualTo("32");
        assertThat(version.path("gitVersion").asText()).isEqualTo("v1.32.4");
        // the kubelets run the API server's version, as on a cluster that is not mid-upgrade
        assertThat(sim.client().nodes().list().getItems()).isNotEmpty()
                .allSatisfy(n -> assertThat(n.getStatus().getNodeInfo().getKubeletVersion()).isEqualTo("v1.32.4"));

        JsonNode root = json(send("GET", "/openapi/v3", "application/json", null, null));
        String apps = root.path("paths").path("apis/apps/v1").path("serverRelativeURL").asText();
        assertThat(apps).startsWith("/openapi/v3/apis/apps/v1?hash=");
        JsonNode doc = json(send("GET", apps, "application/json", null, null));
        JsonNode patch = doc.path("paths").path("/apis/apps/v1/namespaces/{namespace}/deployments/{name}")
                .path("patch");
        assertThat(patch.path("x-kubernetes-group-version-kind").path("kind").asText()).isEqualTo("Deployment");
        assertThat(patch.path("parameters").findValuesAsText("name")).contains("fieldValidation", "dryRun",
                "fieldManager");
        assertThat(doc.path("components").path("schemas").path("io.k8s.api.apps.v1.Deployment")
                .path("properties").has("spec")).isTrue();

        HttpResponse<byte[]> review = send("POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
                "application/json", "application/json", ("{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":"
                        + "\"SelfSubjectAccessReview\",\"spec\":{\"resourceAttributes\":{\"verb\":\"create\","
                        + "\"resource\":\"pods\",\"namespace\":\"default\"}}}").getBytes());
        assertThat(review.statusCode()).isEqualTo(201);
        assertThat(json(review).path("status").path("allowed").asBoolean()).isTrue();
        assertThat(json(review).path("spec").path("resourceAttributes").path("verb").asText()).isEqualTo("create");
    }

    @Test
    void createsBuiltInObjectsSentAsProtobuf() throws Exception {
        V1Apps.Deployment deployment = V1Apps.Deployment.newBuilder()
                .setMetadata(Meta.ObjectMeta.newBuilder().setName("proto").setGenerateName("")
                        .setCreationTimestamp(Meta.Time.newBuilder().setSeconds(0)))
                .setSpec(V1Apps.DeploymentSpec.newBuilder().setReplicas(2)
                        .setSelector(Meta.LabelSelector.newBuilder().putMatchLabels("app", "proto"))
                        .setStrategy(V1Apps.DeploymentStrategy.newBuilder().setRollingUpdate(
                                V1Apps.RollingUpdateDeployment.newBuilder().setMaxSurge(
                                        IntStr.IntOrString.newBuilder().setType(1).setStrVal("25%"))
                                        .setMaxUnavailable(IntStr.IntOrString.newBuilder().setType(0).setIntVal(1))))
                        .setTemplate(V1.PodTemplateSpec.newBuilder()
                                .setMetadata(Meta.ObjectMeta.newBuilder().putLabels("app", "proto"))
                                .setSpec(V1.PodSpec.newBuilder().addContainers(V1.Container.newBuilder()
                                        .setName("web").setImage("nginx:1.27")))))
                .build();
        Runtime.Unknown envelope = Runtime.Unknown.newBuilder().setTypeMeta(Runtime.TypeMeta.newBuilder()
                .setApiVersion("apps/v1").setKind("Deployment")).setRaw(deployment.toByteString()).build();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(new byte[] {0x6b, 0x38, 0x73, 0x00});
        envelope.writeTo(body);

        HttpResponse<byte[]> r = send("POST", "/apis/apps/v1/namespaces/default/deployments",
                "application/vnd.kubernetes.protobuf,application/json", "application/vnd.kubernetes.protobuf",
                body.toByteArray());

        assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(201);
        JsonNode created = json(r);
        assertThat(created.path("kind").asText()).isEqualTo("Deployment");
        assertThat(created.path("spec").path("replicas").asInt()).isEqualTo(2);
        assertThat(created.path("spec").path("strategy").path("rollingUpdate").path("maxSurge").asText())
                .isEqualTo("25%");
        assertThat(created.path("spec").path("strategy").path("rollingUpdate").path("maxUnavailable").isInt())
                .isTrue();
        assertThat(created.path("spec").path("template").path("spec").path("containers").get(0).path("image")
                .asText()).isEqualTo("nginx:1.27");
        assertThat(created.path("metadata").has("generateName")).isFalse();
        assertThat(created.path("spec").path("selector").path("matchLabels").path("app").asText())
                .isEqualTo("proto");
    }

    private static final String AGGREGATED_ACCEPT = "application/json;g=apidiscovery.k8s.io;v=v2;"
            + "as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,"
            + "application/json";

    @Test
    void servesAggregatedDiscoveryWhenAskedAsKubectlDoes() throws Exception {
        HttpResponse<byte[]> apis = send("GET", "/apis", AGGREGATED_ACCEPT, null, null);

        assertThat(apis.statusCode()).isEqualTo(200);
        assertThat(apis.headers().firstValue("Content-Type"))
                .hasValue("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList");
        JsonNode doc = json(apis);
        assertThat(doc.path("kind").asText()).isEqualTo("APIGroupDiscoveryList");
        assertThat(doc.path("apiVersion").asText()).isEqualTo("apidiscovery.k8s.io/v2");
        JsonNode apps = null;
        for (JsonNode item : doc.path("items")) {
            if (item.path("metadata").path("name").asText().equals("apps")) {
                apps = item;
            }
        }
        assertThat(apps).as("the apps group").isNotNull();
        JsonNode v1 = apps.path("versions").get(0);
        assertThat(v1.path("version").asText()).isEqualTo("v1");
        assertThat(v1.path("freshness").asText()).isEqualTo("Current");
        JsonNode deployments = null;
        for (JsonNode r : v1.path("resources")) {
            if (r.path("resource").asText().equals("deployments")) {
                deployments = r;
            }
        }
        assertThat(deployments).as("deployments").isNotNull();
        assertThat(deployments.path("responseKind").path("kind").asText()).isEqualTo("Deployment");
        assertThat(deployments.path("scope").asText()).isEqualTo("Namespaced");
        assertThat(deployments.path("shortNames").get(0).asText()).isEqualTo("deploy");
        assertThat(deployments.path("categories").get(0).asText()).isEqualTo("all");
        assertThat(deployments.path("subresources").findValuesAsText("subresource")).contains("scale", "status");

        JsonNode core = json(send("GET", "/api", AGGREGATED_ACCEPT, null, null));
        assertThat(core.path("items")).hasSize(1);
        assertThat(core.path("items").get(0).path("metadata").has("name")).isFalse();
        assertThat(core.path("items").get(0).path("versions").get(0).path("resources").findValuesAsText("resource"))
                .contains("pods", "nodes", "namespaces");
    }

    @Test
    void keepsTheLegacyDiscoveryForClientsNotAskingForTheAggregatedOne() throws Exception {
        HttpResponse<byte[]> apis = send("GET", "/apis", "application/json", null, null);
        assertThat(apis.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(json(apis).path("kind").asText()).isEqualTo("APIGroupList");
        assertThat(json(send("GET", "/api", null, null, null)).path("kind").asText()).isEqualTo("APIVersions");
        HttpResponse<byte[]> v2beta1Only = send("GET", "/apis", "application/json;g=apidiscovery.k8s.io;v=v2beta1;"
                + "as=APIGroupDiscoveryList,application/json", null, null);
        assertThat(json(v2beta1Only).path("kind").asText()).isEqualTo("APIGroupList");
        assertThat(send("GET", "/apis/apps/v1", AGGREGATED_ACCEPT, null, null).statusCode()).isEqualTo(200);
        assertThat(json(send("GET", "/apis/apps/v1", AGGREGATED_ACCEPT, null, null)).path("kind").asText())
                .isEqualTo("APIResourceList");
    }
}
