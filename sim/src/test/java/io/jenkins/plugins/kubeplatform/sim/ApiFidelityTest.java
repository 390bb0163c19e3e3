package io.jenkins.plugins.kubeplatform.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each answer compared with what kube-apiserver v1.32 answers (status code, reason, message, details), measured on
 * a real server as listed in issue 15. A bare API server (no controllers), so nothing else writes.
 */
class ApiFidelityTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NS = "fidelity";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @AutoClose
    private static final SimulatedCluster sim = SimulatedCluster.start(SimOptions.builder()
            .builtInControllers(false).build());
    private static final KubernetesClient client = sim.client();

    @BeforeAll
    static void start() {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
                .create();
    }

    private record Answer(int code, JsonNode body, String text) {
    }

    private static Answer call(String method, String path, String contentType, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sim.url() + path)).timeout(Duration.ofSeconds(20))
                .header("Accept", "application/json");
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode parsed = null;
        try {
            parsed = JSON.readTree(r.body());
        } catch (java.io.IOException e) {
            // not JSON: a watch stream, checked as text
        }
        return new Answer(r.statusCode(), parsed, r.body());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static void configMap(String name, String... labels) {
        ConfigMapBuilder b = new ConfigMapBuilder().withNewMetadata().withName(name).endMetadata().addToData("k", "v");
        for (int i = 0; i + 1 < labels.length; i += 2) {
            b.editMetadata().addToLabels(labels[i], labels[i + 1]).endMetadata();
        }
        client.configMaps().inNamespace(NS).resource(b.build()).create();
    }

    private static void assertStatus(Answer a, int code, String reason, String message) {
        assertThat(a.code()).as(a.text()).isEqualTo(code);
        assertThat(a.body().path("kind").asText()).isEqualTo("Status");
        assertThat(a.body().path("status").asText()).isEqualTo("Failure");
        assertThat(a.body().path("reason").asText()).isEqualTo(reason);
        assertThat(a.body().path("message").asText()).isEqualTo(message);
        assertThat(a.body().path("code").asInt()).isEqualTo(code);
    }

    private static final String DEPLOYMENT = """
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"%s"},
             "spec":{"replicas":1,"selector":{"matchLabels":{"app":"%s"}},
              "template":{"metadata":{"labels":{"app":"%s"}},"spec":{"containers":[
                {"name":"web","image":"nginx:1.27","env":[{"name":"A","value":"1"}],"ports":[{"containerPort":80}]},
                {"name":"sidecar","image":"busybox:1"}]}}}}""";

    private static String deployment(String name) {
        return DEPLOYMENT.formatted(name, name, name);
    }

    private static String deployments() {
        return "/apis/apps/v1/namespaces/" + NS + "/deployments";
    }

    @Test
    void answersAlreadyExistsWithNameGroupAndKindWhenCreatingAnExistingObject() throws Exception {
        assertThat(call("POST", deployments(), "application/json", deployment("twice")).code()).isEqualTo(201);

        Answer again = call("POST", deployments(), "application/json", deployment("twice"));

        assertStatus(again, 409, "AlreadyExists", "deployments.apps \"twice\" already exists");
        assertThat(again.body().path("details").path("name").asText()).isEqualTo("twice");
        assertThat(again.body().path("details").path("group").asText()).isEqualTo("apps");
        assertThat(again.body().path("details").path("kind").asText()).isEqualTo("deployments");
    }

    @Test
    void answersConflictWhenUpdatingWithAStaleResourceVersion() throws Exception {
        configMap("stale");
        ConfigMap old = client.configMaps().inNamespace(NS).withName("stale").get();
        client.configMaps().inNamespace(NS).withName("stale").edit(c -> new ConfigMapBuilder(c).addToData("x", "1")
                .build());
        String body = JSON.writeValueAsString(new ConfigMapBuilder(old).addToData("y", "2").build());

        Answer a = call("PUT", "/api/v1/namespaces/" + NS + "/configmaps/stale", "application/json", body);

        assertStatus(a, 409, "Conflict", "Operation cannot be fulfilled on configmaps \"stale\": the object has been "
                + "modified; please apply your changes to the latest version and try again");
        assertThat(a.body().path("details").path("kind").asText()).isEqualTo("configmaps");
        assertThat(client.configMaps().inNamespace(NS).withName("stale").get().getData()).doesNotContainKey("y");
    }

    @Test
    void refusesADeleteWhosePreconditionsNoLongerHoldAndKeepsTheObject() throws Exception {
        configMap("guarded");
        ConfigMap old = client.configMaps().inNamespace(NS).withName("guarded").get();
        client.configMaps().inNamespace(NS).withName("guarded").edit(c -> new ConfigMapBuilder(c).addToData("x", "1")
                .build());
        String now = client.configMaps().inNamespace(NS).withName("guarded").get().getMetadata().getResourceVersion();
        String path = "/api/v1/namespaces/" + NS + "/configmaps/guarded";

        Answer staleVersion = call("DELETE", path, "application/json",
                "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"preconditions\":{\"resourceVersion\":\""
                        + old.getMetadata().getResourceVersion() + "\"}}");
        Answer otherUid = call("DELETE", path, "application/json",
                "{\"preconditions\":{\"uid\":\"00000000-0000-0000-0000-000000000000\"}}");

        assertStatus(staleVersion, 409, "Conflict", "Operation cannot be fulfilled on configmaps \"guarded\": "
                + "Precondition failed: ResourceVersion in precondition: " + old.getMetadata().getResourceVersion()
                + ", ResourceVersion in object meta: " + now);
        assertStatus(otherUid, 409, "Conflict", "Operation cannot be fulfilled on configmaps \"guarded\": "
                + "Precondition failed: UID in precondition: 00000000-0000-0000-0000-000000000000, UID in object meta: "
                + old.getMetadata().getUid());
        assertThat(client.configMaps().inNamespace(NS).withName("guarded").get()).isNotNull();
        assertThatThrownBy(() -> client.configMaps().inNamespace(NS).withName("guarded")
                .lockResourceVersion(old.getMetadata().getResourceVersion()).delete())
                .isInstanceOfSatisfying(io.fabric8.kubernetes.client.KubernetesClientException.class,
                        e -> assertThat(e.getCode()).isEqualTo(409));
        assertThat(client.configMaps().inNamespace(NS).withName("guarded").get()).isNotNull();

        client.configMaps().inNamespace(NS).withName("guarded").lockResourceVersion(now).delete();

        assertThat(client.configMaps().inNamespace(NS).withName("guarded").get()).isNull();
    }

    @Test
    void answersNotFoundWithTheResourceAndNameForMissingObjects() throws Exception {
        Answer pod = call("GET", "/api/v1/namespaces/" + NS + "/pods/nope", null, null);
        assertStatus(pod, 404, "NotFound", "pods \"nope\" not found");
        assertThat(pod.body().path("details").path("name").asText()).isEqualTo("nope");
        assertThat(pod.body().path("details").path("kind").asText()).isEqualTo("pods");

        assertStatus(call("GET", "/api/v1/namespaces/nope", null, null), 404, "NotFound",
                "namespaces \"nope\" not found");
        assertStatus(call("DELETE", deployments() + "/nope", null, null), 404, "NotFound",
                "deployments.apps \"nope\" not found");
        assertStatus(call("PATCH", deployments() + "/nope", "application/merge-patch+json", "{}"), 404, "NotFound",
                "deployments.apps \"nope\" not found");
    }

    @Test
    void answersNotFoundForGroupsVersionsResourcesAndSubresourcesItDoesNotServe() throws Exception {
        String notServed = "the server could not find the requested resource";
        for (String path : List.of("/api/v1/widgets", "/api/v2/pods", "/apis/apps/v1/widgets",
                "/apis/apps/v1beta1/deployments", "/apis/example.com/v1/widgets",
                "/apis/crd.projectcalico.org/v2/ippools", "/apis/crd.projectcalico.org/v1/ippools/p/scale",
                "/apis/apps/v1/namespaces/" + NS + "/deployments/web/rollback",
                "/api/v1/namespaces/" + NS + "/nodes", "/api/v1/pods/web", "/no-such-path")) {
            assertStatus(call("GET", path, null, null), 404, "NotFound", notServed);
        }
        assertStatus(call("POST", "/api/v1/namespaces/" + NS + "/widgets", "application/json",
                "{\"apiVersion\":\"v1\",\"kind\":\"Widget\",\"metadata\":{\"name\":\"w\"}}"), 404, "NotFound",
                notServed);
        assertThat(call("GET", "/apis/crd.projectcalico.org/v1/ippools", null, null).code()).isEqualTo(200);
        assertThat(call("GET", "/api/v1/pods", null, null).code()).isEqualTo(200);

        // a custom resource is served while its CRD exists, as on a cluster where that operator is installed
        String crd = """
                {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
                 "metadata":{"name":"gadgets.example.com"},
                 "spec":{"group":"example.com","scope":"Namespaced",
                  "names":{"plural":"gadgets","singular":"gadget","kind":"Gadget","listKind":"GadgetList"},
                  "versions":[{"name":"v1","served":true,"storage":true,
                   "schema":{"openAPIV3Schema":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}]}}""";
        String crds = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
        assertThat(call("POST", crds, "application/json", crd).code()).isEqualTo(201);
        String gadgets = "/apis/example.com/v1/namespaces/" + NS + "/gadgets";
        assertThat(call("GET", gadgets, null, null).code()).isEqualTo(200);
        assertStatus(call("GET", gadgets + "/g/status", null, null), 404, "NotFound", notServed);
        assertThat(call("DELETE", crds + "/gadgets.example.com", null, null).code()).isEqualTo(200);
        assertStatus(call("GET", gadgets, null, null), 404, "NotFound", notServed);
    }

    @Test
    void refusesToCreateInANamespaceThatDoesNotExist() throws Exception {
        Answer a = call("POST", "/api/v1/namespaces/ghost/configmaps", "application/json",
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\"}}");

        assertStatus(a, 404, "NotFound", "namespaces \"ghost\" not found");
        assertThat(a.body().path("details").path("kind").asText()).isEqualTo("namespaces");
        assertThat(a.body().path("details").path("name").asText()).isEqualTo("ghost");
    }

    @Test
    void filtersByTheFieldLabelsTheApiServerSupports() throws Exception {
        for (String[] p : new String[][] {{"on-n1", "n1", "Running"}, {"on-n2", "n2", "Pending"},
                {"also-n1", "n1", "Pending"}}) {
            client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName(p[0]).endMetadata()
                    .withNewSpec().withNodeName(p[1]).addNewContainer().withName("c").withImage("nginx").endContainer()
                    .endSpec().build()).create();
            String phase = p[2];
            client.pods().inNamespace(NS).withName(p[0]).editStatus(pod -> {
                pod.getStatus().setPhase(phase);
                return pod;
            });
        }
        String pods = "/api/v1/namespaces/" + NS + "/pods?fieldSelector=";

        assertThat(names(call("GET", pods + enc("spec.nodeName=n1"), null, null))).containsExactly("also-n1", "on-n1");
        assertThat(names(call("GET", pods + enc("status.phase=Running"), null, null))).containsExactly("on-n1");
        assertThat(names(call("GET", pods + enc("spec.nodeName=n1,status.phase!=Running"), null, null)))
                .containsExactly("also-n1");
        assertThat(names(call("GET", pods + enc("metadata.name=on-n2"), null, null))).containsExactly("on-n2");
        assertThat(names(call("GET", "/api/v1/pods?fieldSelector=" + enc("metadata.namespace=" + NAMESPACE_OTHER),
                null, null))).isEmpty();
        assertThat(client.pods().inNamespace(NS).withField("spec.nodeName", "n2").list().getItems())
                .extracting(p -> p.getMetadata().getName()).containsExactly("on-n2");

        assertStatus(call("GET", pods + enc("spec.foo=x"), null, null), 400, "BadRequest",
                "field label not supported: spec.foo");
    }

    private static final String NAMESPACE_OTHER = "kube-public";

    @Test
    void filtersByLabelSelectorsWithSetBasedAndExistenceRequirements() throws Exception {
        configMap("l-a", "tier", "web", "env", "prod");
        configMap("l-b", "tier", "db");
        configMap("l-c", "env", "dev");
        String cms = "/api/v1/namespaces/" + NS + "/configmaps?labelSelector=";

        assertThat(names(call("GET", cms + enc("tier notin (web)"), null, null))).contains("l-b", "l-c")
                .doesNotContain("l-a");
        assertThat(names(call("GET", cms + enc("tier in (web,db)"), null, null))).containsExactly("l-a", "l-b");
        assertThat(names(call("GET", cms + enc("!tier,env"), null, null))).containsExactly("l-c");
        assertThat(names(call("GET", cms + enc("tier,env=prod"), null, null))).containsExactly("l-a");
        assertThat(names(call("GET", cms + enc("tier!=web,tier"), null, null))).containsExactly("l-b");
    }

    private static List<String> names(Answer a) {
        assertThat(a.code()).as(a.text()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        a.body().path("items").forEach(i -> out.add(i.path("metadata").path("name").asText()));
        return out;
    }

    private static JsonNode containers(String name) throws Exception {
        return call("GET", deployments() + "/" + name, null, null).body().path("spec").path("template").path("spec")
                .path("containers");
    }

    @Test
    void replacesListsWithAJsonMergePatch() throws Exception {
        call("POST", deployments(), "application/json", deployment("merged"));

        Answer a = call("PATCH", deployments() + "/merged", "application/merge-patch+json",
                "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"web\",\"image\":\"nginx:1.28\"}]}}},"
                        + "\"metadata\":{\"labels\":{\"x\":\"1\"}}}");

        assertThat(a.code()).as(a.text()).isEqualTo(200);
        JsonNode containers = containers("merged");
        assertThat(containers).hasSize(1);
        assertThat(containers.get(0).path("image").asText()).isEqualTo("nginx:1.28");
        assertThat(containers.get(0).has("env")).isFalse();
    }

    @Test
    void mergesListsByTheirMergeKeyWithAStrategicMergePatch() throws Exception {
        call("POST", deployments(), "application/json", deployment("strategic"));

        Answer a = call("PATCH", deployments() + "/strategic", "application/strategic-merge-patch+json", """
                {"spec":{"template":{"spec":{"containers":[
                  {"name":"web","image":"nginx:1.28","env":[{"name":"B","value":"2"}]},
                  {"name":"sidecar","$patch":"delete"}]}}}}""");

        assertThat(a.code()).as(a.text()).isEqualTo(200);
        JsonNode containers = containers("strategic");
        assertThat(containers).hasSize(1);
        assertThat(containers.get(0).path("image").asText()).isEqualTo("nginx:1.28");
        assertThat(containers.get(0).path("env")).hasSize(2);
        assertThat(containers.get(0).path("ports").get(0).path("containerPort").asInt()).isEqualTo(80);
    }

    @Test
    void cordonsANodeWithAStrategicMergePatchAndRefusesItForCustomResources() throws Exception {
        Answer cordon = call("PATCH", "/api/v1/nodes/node-1", "application/strategic-merge-patch+json",
                "{\"spec\":{\"unschedulable\":true}}");
        assertThat(cordon.code()).as(cordon.text()).isEqualTo(200);
        assertThat(client.nodes().withName("node-1").get().getSpec().getUnschedulable()).isTrue();
        call("PATCH", "/api/v1/nodes/node-1", "application/strategic-merge-patch+json",
                "{\"spec\":{\"unschedulable\":null}}");
        assertThat(client.nodes().withName("node-1").get().getSpec().getUnschedulable()).isNull();

        assertStatus(call("PATCH", "/apis/crd.projectcalico.org/v1/ippools/default-ipv4-ippool",
                "application/strategic-merge-patch+json", "{\"spec\":{\"disabled\":true}}"), 415,
                "UnsupportedMediaType", "the body of the request was in an unknown format - accepted media types "
                        + "include: application/json-patch+json, application/merge-patch+json, "
                        + "application/apply-patch+yaml");
    }

    private static final String APPLY = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: applied
              labels: {team: a}
            data:
              %s
            """;

    @Test
    void appliesServerSideWithManagedFieldsConflictsAndForce() throws Exception {
        String path = "/api/v1/namespaces/" + NS + "/configmaps/applied?fieldManager=";
        Answer created = call("PATCH", path + "alice", "application/apply-patch+yaml",
                APPLY.formatted("{color: red, size: L}"));
        assertThat(created.code()).as(created.text()).isEqualTo(201);
        JsonNode managed = created.body().path("metadata").path("managedFields");
        assertThat(managed).hasSize(1);
        assertThat(managed.get(0).path("manager").asText()).isEqualTo("alice");
        assertThat(managed.get(0).path("operation").asText()).isEqualTo("Apply");
        assertThat(managed.get(0).path("fieldsV1").path("f:data").has("f:color")).isTrue();

        Answer conflict = call("PATCH", path + "bob", "application/apply-patch+yaml",
                APPLY.formatted("{color: blue}"));
        assertStatus(conflict, 409, "Conflict", "Apply failed with 1 conflict: conflict with \"alice\" using v1: "
                + ".data.color");
        assertThat(conflict.body().path("details").path("causes").get(0).path("reason").asText())
                .isEqualTo("FieldManagerConflict");
        assertThat(conflict.body().path("details").path("causes").get(0).path("field").asText())
                .isEqualTo(".data.color");

        Answer forced = call("PATCH", path + "bob&force=true", "application/apply-patch+yaml",
                APPLY.formatted("{color: blue}"));
        assertThat(forced.code()).as(forced.text()).isEqualTo(200);
        assertThat(forced.body().path("data").path("color").asText()).isEqualTo("blue");

        Answer dropped = call("PATCH", path + "alice", "application/apply-patch+yaml", APPLY.formatted("{}"));
        assertThat(dropped.code()).as(dropped.text()).isEqualTo(200);
        assertThat(dropped.body().path("data").has("size")).isFalse();
        assertThat(dropped.body().path("data").path("color").asText()).isEqualTo("blue");

        assertStatus(call("PATCH", "/api/v1/namespaces/" + NS + "/configmaps/applied", "application/apply-patch+yaml",
                APPLY.formatted("{}")), 400, "BadRequest", "PATCH /api/v1/namespaces/" + NS
                + "/configmaps/applied: fieldManager is required for apply requests");
    }

    @Test
    void persistsNothingAndNotifiesNoWatcherOnADryRun() throws Exception {
        configMap("dry");
        List<String> events = new CopyOnWriteArrayList<>();
        CompletableFuture<String> sentinel = new CompletableFuture<>();
        String rv = client.configMaps().inNamespace(NS).list().getMetadata().getResourceVersion();
        try (Watch w = client.configMaps().inNamespace(NS).watch(
                new io.fabric8.kubernetes.api.model.ListOptionsBuilder().withResourceVersion(rv).build(),
                new Watcher<ConfigMap>() {
                    @Override
                    public void eventReceived(Action action, ConfigMap cm) {
                        events.add(action + " " + cm.getMetadata().getName());
                        if (cm.getMetadata().getName().equals("dry-sentinel")) {
                            sentinel.complete(action.name());
                        }
                    }

                    @Override
                    public void onClose(WatcherException e) {
                    }
                })) {
            sim.requests().clear();
            String cms = "/api/v1/namespaces/" + NS + "/configmaps";
            assertThat(call("POST", cms + "?dryRun=All", "application/json",
                    "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"dry-new\"}}").code())
                    .isEqualTo(201);
            assertThat(call("PATCH", cms + "/dry?dryRun=All", "application/merge-patch+json",
                    "{\"data\":{\"k\":\"changed\"}}").body().path("data").path("k").asText()).isEqualTo("changed");
            assertThat(call("PATCH", cms + "/dry?dryRun=All&fieldManager=m", "application/apply-patch+yaml",
                    "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"dry\"},"
                            + "\"data\":{\"k\":\"applied\"}}").code()).isEqualTo(200);
            assertThat(call("DELETE", cms + "/dry?dryRun=All", null, null).code()).isEqualTo(200);
            assertStatus(call("POST", cms + "?dryRun=All", "application/json",
                    "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"dry\"}}"), 409,
                    "AlreadyExists", "configmaps \"dry\" already exists");

            assertThat(sim.requests().list()).allMatch(r -> !r.persisted());
            configMap("dry-sentinel");
            assertThat(sentinel.get(20, TimeUnit.SECONDS)).isEqualTo("ADDED");
        }
        assertThat(client.configMaps().inNamespace(NS).withName("dry-new").get()).isNull();
        assertThat(client.configMaps().inNamespace(NS).withName("dry").get().getData()).containsEntry("k", "v");
        assertThat(events).containsExactly("ADDED dry-sentinel");
    }

    @Test
    void pagesListsWithLimitAndContinue() throws Exception {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("paged").endMetadata().build())
                .create();
        for (int i = 0; i < 5; i++) {
            client.configMaps().inNamespace("paged").resource(new ConfigMapBuilder().withNewMetadata()
                    .withName("p" + i).endMetadata().build()).create();
        }
        Answer first = call("GET", "/api/v1/namespaces/paged/configmaps?limit=2", null, null);
        assertThat(names(first)).containsExactly("p0", "p1");
        assertThat(first.body().path("metadata").path("remainingItemCount").asInt()).isEqualTo(3);
        String token = first.body().path("metadata").path("continue").asText();
        Answer second = call("GET", "/api/v1/namespaces/paged/configmaps?limit=2&continue=" + enc(token), null, null);
        assertThat(names(second)).containsExactly("p2", "p3");
        Answer last = call("GET", "/api/v1/namespaces/paged/configmaps?limit=2&continue="
                + enc(second.body().path("metadata").path("continue").asText()), null, null);
        assertThat(names(last)).containsExactly("p4");
        assertThat(last.body().path("metadata").has("continue")).isFalse();
        assertThat(client.configMaps().inNamespace("paged").list(
                new io.fabric8.kubernetes.api.model.ListOptionsBuilder().withLimit(2L).build()).getItems()).hasSize(2);
    }

    @Test
    void answersGoneToAWatchFromAVersionOlderThanADeletionSoNoEventIsLost() throws Exception {
        configMap("doomed");
        String before = client.configMaps().inNamespace(NS).list().getMetadata().getResourceVersion();
        client.configMaps().inNamespace(NS).withName("doomed").delete();

        CompletableFuture<WatcherException> closed = new CompletableFuture<>();
        try (Watch w = client.configMaps().inNamespace(NS).watch(
                new io.fabric8.kubernetes.api.model.ListOptionsBuilder().withResourceVersion(before).build(),
                new Watcher<ConfigMap>() {
                    @Override
                    public void eventReceived(Action action, ConfigMap cm) {
                    }

                    @Override
                    public void onClose(WatcherException e) {
                        closed.complete(e);
                    }
                })) {
            WatcherException e = closed.get(20, TimeUnit.SECONDS);
            assertThat(e.isHttpGone()).isTrue();
        }
        Answer http = call("GET", "/api/v1/namespaces/" + NS + "/configmaps?watch=true&resourceVersion=" + before,
                null, null);
        JsonNode event = JSON.readTree(http.text().lines().findFirst().orElseThrow());
        assertThat(event.path("type").asText()).isEqualTo("ERROR");
        assertThat(event.path("object").path("code").asInt()).isEqualTo(410);
        assertThat(event.path("object").path("reason").asText()).isEqualTo("Expired");
        assertThat(event.path("object").path("message").asText()).startsWith("too old resource version: " + before);

        String now = client.configMaps().inNamespace(NS).list().getMetadata().getResourceVersion();
        Answer fresh = call("GET", "/api/v1/namespaces/" + NS + "/configmaps?watch=true&allowWatchBookmarks=true"
                + "&resourceVersion=" + now + "&timeoutSeconds=2", null, null);
        List<String> lines = fresh.text().lines().toList();
        assertThat(lines).hasSize(1);
        JsonNode bookmark = JSON.readTree(lines.get(0));
        assertThat(bookmark.path("type").asText()).isEqualTo("BOOKMARK");
        assertThat(bookmark.path("object").path("kind").asText()).isEqualTo("ConfigMap");
        assertThat(Long.parseLong(bookmark.path("object").path("metadata").path("resourceVersion").asText()))
                .isGreaterThanOrEqualTo(Long.parseLong(now));
    }

    @Test
    void sendsOnlyMatchingEventsAndADeletedWhenAnObjectLeavesTheSelector() throws Exception {
        configMap("sel-a", "watch", "me");
        List<String> events = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> left = new CompletableFuture<>();
        try (Watch w = client.configMaps().inNamespace(NS).withLabel("watch", "me").watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, ConfigMap cm) {
                events.add(action + " " + cm.getMetadata().getName());
                if (action == Action.DELETED) {
                    left.complete(null);
                }
            }

            @Override
            public void onClose(WatcherException e) {
            }
        })) {
            configMap("sel-other", "watch", "not-me");
            client.configMaps().inNamespace(NS).withName("sel-a").edit(c -> new ConfigMapBuilder(c).editMetadata()
                    .addToLabels("watch", "no-longer").endMetadata().build());
            left.get(20, TimeUnit.SECONDS);
        }
        assertThat(events).containsExactly("ADDED sel-a", "DELETED sel-a");
    }

    @Test
    void anUpdateThatChangesNothingKeepsTheResourceVersionAndAReorderedListGetsANewOne() {
        client.endpoints().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.EndpointsBuilder()
                .withNewMetadata().withName("many").endMetadata().addNewSubset()
                .addNewAddress().withIp("10.0.0.1").endAddress().addNewAddress().withIp("10.0.0.2").endAddress()
                .addNewPort().withPort(80).endPort().endSubset().build()).create();
        io.fabric8.kubernetes.api.model.Endpoints stored = client.endpoints().inNamespace(NS).withName("many").get();

        io.fabric8.kubernetes.api.model.Endpoints same = client.endpoints().inNamespace(NS).resource(stored).update();
        assertThat(same.getMetadata().getResourceVersion()).isEqualTo(stored.getMetadata().getResourceVersion());

        // the addresses in the other order: a different object to the store, as to etcd
        stored.getSubsets().get(0).setAddresses(List.of(stored.getSubsets().get(0).getAddresses().get(1),
                stored.getSubsets().get(0).getAddresses().get(0)));
        io.fabric8.kubernetes.api.model.Endpoints reordered = client.endpoints().inNamespace(NS).resource(stored)
                .update();
        assertThat(Long.parseLong(reordered.getMetadata().getResourceVersion()))
                .isGreaterThan(Long.parseLong(same.getMetadata().getResourceVersion()));
        assertThat(reordered.getSubsets().get(0).getAddresses()).extracting("ip").containsExactly("10.0.0.2", "10.0.0.1");
    }
}
