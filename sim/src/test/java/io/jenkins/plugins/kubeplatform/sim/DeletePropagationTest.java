package io.jenkins.plugins.kubeplatform.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.jenkins.plugins.kubeplatform.sim.RawApi.Answer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The API server's side of delete propagation (apiserver registry/generic/registry/store.go {@code Delete},
 * {@code deletionFinalizersForGarbageCollection}, {@code markAsDeleting}; apimachinery {@code ValidateDeleteOptions}):
 * which finalizers a delete adds, that the object then stays marked as being deleted, that an update removing the
 * last finalizer removes it, and the 422 for invalid options. A bare API server: no garbage collector finishes
 * anything here.
 */
class DeletePropagationTest {

    private static final String NS = "propagation";
    private static final String MAPS = "/api/v1/namespaces/" + NS + "/configmaps";
    private static final String DEPLOYMENTS = "/apis/apps/v1/namespaces/" + NS + "/deployments";
    private static final String JOBS = "/apis/batch/v1/namespaces/" + NS + "/jobs";
    private static SimulatedCluster sim;

    @BeforeAll
    static void start() {
        sim = SimulatedCluster.start(SimOptions.builder().builtInControllers(false).build());
        sim.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
                .create();
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    private static Answer call(String method, String path, String body) throws Exception {
        return RawApi.call(sim, method, path, body == null ? null : "application/json", body);
    }

    private static JsonNode created(String collection, String body) throws Exception {
        Answer a = call("POST", collection, body);
        assertThat(a.code()).as(a.body().toString()).isEqualTo(201);
        return a.body();
    }

    private static JsonNode configMap(String name) throws Exception {
        return created(MAPS, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name
                + "\"},\"data\":{\"k\":\"v\"}}");
    }

    private static List<String> finalizers(JsonNode object) {
        List<String> out = new ArrayList<>();
        object.path("metadata").path("finalizers").forEach(f -> out.add(f.asText()));
        return out;
    }

    @Test
    void foregroundDeleteKeepsTheDeploymentMarkedWithTheForegroundFinalizer() throws Exception {
        created(DEPLOYMENTS, """
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"fg"},
                 "spec":{"selector":{"matchLabels":{"app":"fg"}},"template":{"metadata":{"labels":{"app":"fg"}},
                  "spec":{"containers":[{"name":"app","image":"nginx:1.27"}]}}}}""");

        Answer deleted = call("DELETE", DEPLOYMENTS + "/fg", "{\"propagationPolicy\":\"Foreground\"}");

        assertThat(deleted.code()).isEqualTo(200);
        assertThat(finalizers(deleted.body())).containsExactly("foregroundDeletion");
        assertThat(deleted.body().path("metadata").path("deletionTimestamp").asText()).isNotEmpty();
        assertThat(deleted.body().path("metadata").path("deletionGracePeriodSeconds").asInt(-1)).isZero();
        Answer stored = call("GET", DEPLOYMENTS + "/fg", null);
        assertThat(stored.code()).isEqualTo(200);
        assertThat(finalizers(stored.body())).containsExactly("foregroundDeletion");
    }

    @Test
    void orphanDeleteAddsTheOrphanFinalizerAndKeepsTheOthers() throws Exception {
        created(MAPS, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"orphan\","
                + "\"finalizers\":[\"example.com/keep\"]}}");

        Answer deleted = call("DELETE", MAPS + "/orphan", "{\"propagationPolicy\":\"Orphan\"}");

        assertThat(deleted.code()).isEqualTo(200);
        assertThat(finalizers(deleted.body())).containsExactly("example.com/keep", "orphan");
    }

    @Test
    void aBatchV1JobDeletedWithoutAPolicyOrphansByDefault() throws Exception {
        created(JOBS, """
                {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"legacy"},
                 "spec":{"template":{"spec":{"restartPolicy":"Never",
                  "containers":[{"name":"app","image":"busybox:1.36"}]}}}}""");

        Answer deleted = call("DELETE", JOBS + "/legacy", null);

        assertThat(deleted.code()).isEqualTo(200);
        assertThat(finalizers(deleted.body())).containsExactly("orphan");
    }

    @Test
    void theQueryParameterCountsWhenTheRequestHasNoBody() throws Exception {
        configMap("by-query");

        Answer deleted = call("DELETE", MAPS + "/by-query?propagationPolicy=Foreground", null);

        assertThat(finalizers(deleted.body())).containsExactly("foregroundDeletion");
    }

    @Test
    void orphanDependentsFalseIsAnsweredWithAccepted() throws Exception {
        created(MAPS, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"accepted\","
                + "\"finalizers\":[\"example.com/keep\"]}}");

        Answer deleted = call("DELETE", MAPS + "/accepted", "{\"orphanDependents\":false}");

        assertThat(deleted.code()).isEqualTo(202);
        assertThat(finalizers(deleted.body())).containsExactly("example.com/keep");
    }

    @Test
    void aBackgroundDeleteRemovesTheObjectAtOnce() throws Exception {
        configMap("background");

        assertThat(call("DELETE", MAPS + "/background", "{\"propagationPolicy\":\"Background\"}").code())
                .isEqualTo(200);

        assertThat(call("GET", MAPS + "/background", null).code()).isEqualTo(404);
    }

    @Test
    void anUnknownPolicyIsInvalidWithTheRealServersMessage() throws Exception {
        configMap("sideways");

        Answer a = call("DELETE", MAPS + "/sideways", "{\"propagationPolicy\":\"Sideways\"}");

        assertThat(a.code()).isEqualTo(422);
        assertThat(a.body().path("reason").asText()).isEqualTo("Invalid");
        assertThat(a.body().path("message").asText()).isEqualTo("DeleteOptions.meta.k8s.io \"\" is invalid: "
                + "propagationPolicy: Unsupported value: \"Sideways\": supported values: \"Foreground\", "
                + "\"Background\", \"Orphan\", \"nil\"");
        assertThat(a.body().path("details").path("causes").path(0).path("field").asText())
                .isEqualTo("propagationPolicy");
        assertThat(call("GET", MAPS + "/sideways", null).code()).as("nothing deleted").isEqualTo(200);
    }

    @Test
    void aPolicyTogetherWithOrphanDependentsIsInvalidEvenForAMissingObject() throws Exception {
        Answer a = call("DELETE", MAPS + "/never-created",
                "{\"propagationPolicy\":\"Foreground\",\"orphanDependents\":true}");

        assertThat(a.code()).isEqualTo(422);
        assertThat(a.body().path("message").asText()).isEqualTo("DeleteOptions.meta.k8s.io \"\" is invalid: "
                + "propagationPolicy: Invalid value: \"Foreground\": orphanDependents and deletionPropagation "
                + "cannot be both set");
    }

    @Test
    void anUpdateRemovingTheLastFinalizerOfAnObjectBeingDeletedRemovesIt() throws Exception {
        configMap("finish");
        JsonNode marked = call("DELETE", MAPS + "/finish", "{\"propagationPolicy\":\"Orphan\"}").body();
        ObjectNode update = marked.deepCopy();
        update.with("metadata").putArray("finalizers");

        Answer a = call("PUT", MAPS + "/finish", update.toString());

        assertThat(a.code()).isEqualTo(200);
        assertThat(a.body().path("metadata").path("name").asText()).isEqualTo("finish");
        assertThat(call("GET", MAPS + "/finish", null).code()).isEqualTo(404);
    }

    @Test
    void anUpdateKeepsTheDeletionTimestampItDoesNotSend() throws Exception {
        configMap("undelete");
        JsonNode marked = call("DELETE", MAPS + "/undelete", "{\"propagationPolicy\":\"Orphan\"}").body();
        ObjectNode update = marked.deepCopy();
        update.with("metadata").remove(List.of("deletionTimestamp", "deletionGracePeriodSeconds"));
        update.with("data").put("k", "changed");

        Answer a = call("PUT", MAPS + "/undelete", update.toString());

        assertThat(a.code()).isEqualTo(200);
        assertThat(a.body().path("data").path("k").asText()).isEqualTo("changed");
        assertThat(a.body().path("metadata").path("deletionTimestamp").asText())
                .isEqualTo(marked.path("metadata").path("deletionTimestamp").asText());
    }
}
