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

    private static JsonNode deployment(String name) throws Exception {
        return created(DEPLOYMENTS, """
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"%s","labels":{"set":"%s"}},
                 "spec":{"selector":{"matchLabels":{"app":"%s"}},"template":{"metadata":{"labels":{"app":"%s"}},
                  "spec":{"containers":[{"name":"app","image":"nginx:1.27"}]}}}}""".formatted(name, name, name, name));
    }

    private static void labelledConfigMap(String name, String set) throws Exception {
        created(MAPS, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name
                + "\",\"labels\":{\"set\":\"" + set + "\"}}}");
    }

    @Test
    void deleteCollectionMarksEachSelectedObjectWithTheForegroundFinalizer() throws Exception {
        labelledConfigMap("coll-fg-1", "coll-fg");
        labelledConfigMap("coll-fg-2", "coll-fg");
        labelledConfigMap("coll-fg-other", "elsewhere");

        Answer a = call("DELETE", MAPS + "?labelSelector=set%3Dcoll-fg", "{\"propagationPolicy\":\"Foreground\"}");

        assertThat(a.code()).isEqualTo(200);
        assertThat(a.body().path("kind").asText()).isEqualTo("ConfigMapList");
        assertThat(a.body().path("items")).hasSize(2);
        for (String name : List.of("coll-fg-1", "coll-fg-2")) {
            Answer stored = call("GET", MAPS + "/" + name, null);
            assertThat(stored.code()).as(name + " kept for the garbage collector").isEqualTo(200);
            assertThat(finalizers(stored.body())).containsExactly("foregroundDeletion");
            assertThat(stored.body().path("metadata").path("deletionTimestamp").asText()).isNotEmpty();
        }
        Answer other = call("GET", MAPS + "/coll-fg-other", null);
        assertThat(other.body().path("metadata").has("deletionTimestamp")).as("not selected").isFalse();
    }

    @Test
    void deleteCollectionOfBatchV1JobsWithoutAPolicyOrphansEachByDefault() throws Exception {
        for (String name : List.of("coll-job-1", "coll-job-2")) {
            created(JOBS, """
                    {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"%s","labels":{"set":"coll-job"}},
                     "spec":{"template":{"spec":{"restartPolicy":"Never",
                      "containers":[{"name":"app","image":"busybox:1.36"}]}}}}""".formatted(name));
        }

        assertThat(call("DELETE", JOBS + "?labelSelector=set%3Dcoll-job", null).code()).isEqualTo(200);

        for (String name : List.of("coll-job-1", "coll-job-2")) {
            assertThat(finalizers(call("GET", JOBS + "/" + name, null).body())).containsExactly("orphan");
        }
    }

    @Test
    void deleteCollectionWithAnUnknownPolicyIsInvalidAndDeletesNothing() throws Exception {
        labelledConfigMap("coll-bad", "coll-bad");

        Answer a = call("DELETE", MAPS + "?labelSelector=set%3Dcoll-bad", "{\"propagationPolicy\":\"Sideways\"}");

        assertThat(a.code()).isEqualTo(422);
        assertThat(a.body().path("details").path("causes").path(0).path("field").asText())
                .isEqualTo("propagationPolicy");
        assertThat(call("GET", MAPS + "/coll-bad", null).code()).isEqualTo(200);
    }

    @Test
    void deleteCollectionInTheBackgroundRemovesEachSelectedObjectAtOnce() throws Exception {
        labelledConfigMap("coll-bg-1", "coll-bg");
        labelledConfigMap("coll-bg-2", "coll-bg");

        assertThat(call("DELETE", MAPS + "?labelSelector=set%3Dcoll-bg", null).code()).isEqualTo(200);

        assertThat(call("GET", MAPS + "/coll-bg-1", null).code()).isEqualTo(404);
        assertThat(call("GET", MAPS + "/coll-bg-2", null).code()).isEqualTo(404);
    }

    @Test
    void markingADeploymentAsDeletingRaisesItsGenerationOnce() throws Exception {
        long generation = deployment("gen-mark").path("metadata").path("generation").asLong();
        assertThat(generation).isEqualTo(1);

        JsonNode marked = call("DELETE", DEPLOYMENTS + "/gen-mark", "{\"propagationPolicy\":\"Orphan\"}").body();
        JsonNode again = call("DELETE", DEPLOYMENTS + "/gen-mark", "{\"propagationPolicy\":\"Foreground\"}").body();

        assertThat(marked.path("metadata").path("generation").asLong()).isEqualTo(2);
        assertThat(again.path("metadata").path("generation").asLong()).as("already being deleted").isEqualTo(2);
        assertThat(finalizers(again)).containsExactly("foregroundDeletion");
        assertThat(call("GET", DEPLOYMENTS + "/gen-mark", null).body().path("metadata").path("generation").asLong())
                .isEqualTo(2);
    }

    @Test
    void markingAConfigMapAsDeletingGivesItNoGeneration() throws Exception {
        created(MAPS, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"gen-none\","
                + "\"finalizers\":[\"example.com/keep\"]}}");

        JsonNode marked = call("DELETE", MAPS + "/gen-none", null).body();

        assertThat(marked.path("metadata").path("deletionTimestamp").asText()).isNotEmpty();
        assertThat(marked.path("metadata").has("generation")).isFalse();
    }

    @Test
    void anUpdateAddingAFinalizerToAnObjectBeingDeletedIsForbidden() throws Exception {
        created(MAPS, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"late\","
                + "\"finalizers\":[\"example.com/keep\"]}}");
        JsonNode marked = call("DELETE", MAPS + "/late", null).body();
        ObjectNode update = marked.deepCopy();
        update.with("metadata").putArray("finalizers").add("example.com/keep").add("example.com/late")
                .add("example.com/also");

        Answer a = call("PUT", MAPS + "/late", update.toString());

        String body = "Forbidden: no new finalizers can be added if the object is being deleted, found new "
                + "finalizers []string{\"example.com/also\", \"example.com/late\"}";
        assertThat(a.code()).isEqualTo(422);
        assertThat(a.body().path("reason").asText()).isEqualTo("Invalid");
        assertThat(a.body().path("message").asText())
                .isEqualTo("ConfigMap \"late\" is invalid: metadata.finalizers: " + body);
        assertThat(a.body().path("details").path("kind").asText()).isEqualTo("ConfigMap");
        assertThat(a.body().path("details").path("name").asText()).isEqualTo("late");
        JsonNode cause = a.body().path("details").path("causes").path(0);
        assertThat(cause.path("reason").asText()).isEqualTo("FieldValueForbidden");
        assertThat(cause.path("field").asText()).isEqualTo("metadata.finalizers");
        assertThat(cause.path("message").asText()).isEqualTo(body);
        assertThat(finalizers(call("GET", MAPS + "/late", null).body())).containsExactly("example.com/keep");
    }

    @Test
    void aPatchAddingAFinalizerToADeploymentBeingDeletedIsForbiddenWithItsGroup() throws Exception {
        deployment("late-patch");
        call("DELETE", DEPLOYMENTS + "/late-patch", "{\"propagationPolicy\":\"Orphan\"}");

        Answer a = RawApi.call(sim, "PATCH", DEPLOYMENTS + "/late-patch", "application/json-patch+json",
                "[{\"op\":\"add\",\"path\":\"/metadata/finalizers/-\",\"value\":\"example.com/late\"}]");

        assertThat(a.code()).isEqualTo(422);
        assertThat(a.body().path("message").asText()).isEqualTo("Deployment.apps \"late-patch\" is invalid: "
                + "metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, "
                + "found new finalizers []string{\"example.com/late\"}");
        assertThat(a.body().path("details").path("group").asText()).isEqualTo("apps");
    }

    @Test
    void anUpdateOfAnObjectBeingDeletedMayKeepOrDropItsFinalizers() throws Exception {
        created(MAPS, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"keep-two\","
                + "\"finalizers\":[\"example.com/a\",\"example.com/b\"]}}");
        JsonNode marked = call("DELETE", MAPS + "/keep-two", null).body();
        ObjectNode update = marked.deepCopy();
        update.with("metadata").putArray("finalizers").add("example.com/b");

        Answer a = call("PUT", MAPS + "/keep-two", update.toString());

        assertThat(a.code()).isEqualTo(200);
        assertThat(finalizers(a.body())).containsExactly("example.com/b");
    }

    @Test
    void deleteCollectionAcrossNamespacesOfANamespacedResourceIsNotAllowed() throws Exception {
        labelledConfigMap("coll-everywhere", "coll-everywhere");

        Answer a = call("DELETE", "/api/v1/configmaps?labelSelector=set%3Dcoll-everywhere", null);

        assertThat(a.code()).isEqualTo(405);
        assertThat(a.body().path("reason").asText()).isEqualTo("MethodNotAllowed");
        assertThat(a.body().path("message").asText())
                .isEqualTo("the server does not allow this method on the requested resource");
        assertThat(call("GET", MAPS + "/coll-everywhere", null).code()).isEqualTo(200);
    }
}
