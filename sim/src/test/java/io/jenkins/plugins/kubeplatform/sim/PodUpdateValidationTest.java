package io.jenkins.plugins.kubeplatform.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.sim.RawApi.Answer;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Updates of a pod as kube-apiserver v1.32 judges them ({@code ValidatePodUpdate} in
 * k8s.io/kubernetes pkg/apis/core/validation): only images, activeDeadlineSeconds, added tolerations, removed
 * scheduling gates and a negative grace period set to 1 may change in spec. And the pods/binding subresource. A bare
 * API server (no controllers), so nothing else writes the pods.
 */
class PodUpdateValidationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NS = "immutable";
    private static final String FORBIDDEN = "spec: Forbidden: pod updates may not change fields other than "
            + "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,"
            + "`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` "
            + "(allow it to be set to 1 if it was previously negative)";

    @AutoClose
    private static final SimulatedCluster sim = SimulatedCluster.start(SimOptions.builder()
            .builtInControllers(false).build());
    private static final KubernetesClient client = sim.client();

    @BeforeAll
    static void start() {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
                .create();
    }

    private static Answer call(String method, String path, String contentType, String body) throws Exception {
        return RawApi.call(sim, method, path, contentType, body);
    }

    private static Pod create(String name, String spec) throws Exception {
        Answer a = call("POST", "/api/v1/namespaces/" + NS + "/pods", "application/json",
                "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\",\"labels\":{\"app\":\"x\"}},"
                        + "\"spec\":" + spec + "}");
        assertThat(a.code()).as(a.body().toString()).isEqualTo(201);
        return client.pods().inNamespace(NS).withName(name).get();
    }

    /**
     * A pod without the service account token volume and mount, so that a merge patch replacing its containers list
     * changes only what the patch names (with the mount, a real server refuses such a patch: it drops the mount).
     */
    private static Pod create(String name) throws Exception {
        return create(name, "{\"automountServiceAccountToken\":false,"
                + "\"containers\":[{\"name\":\"web\",\"image\":\"nginx:1.26\",\"ports\":[{\"containerPort\":80}]}]}");
    }

    private static Answer patch(String name, String type, String body) throws Exception {
        return call("PATCH", "/api/v1/namespaces/" + NS + "/pods/" + name, type, body);
    }

    private static Answer put(Pod pod) throws Exception {
        return call("PUT", "/api/v1/namespaces/" + NS + "/pods/" + pod.getMetadata().getName(), "application/json",
                JSON.writeValueAsString(pod));
    }

    private static void assertInvalid(Answer a, String name, String field, String reason, String errorMessage) {
        assertThat(a.code()).as(a.body().toString()).isEqualTo(422);
        assertThat(a.body().path("reason").asText()).isEqualTo("Invalid");
        assertThat(a.body().path("message").asText()).startsWith("Pod \"" + name + "\" is invalid: " + errorMessage);
        assertThat(a.body().path("details").path("name").asText()).isEqualTo(name);
        assertThat(a.body().path("details").path("kind").asText()).isEqualTo("Pod");
        JsonNode cause = a.body().path("details").path("causes").path(0);
        assertThat(cause.path("field").asText()).isEqualTo(field);
        assertThat(cause.path("reason").asText()).isEqualTo(reason);
        assertThat(errorMessage).startsWith(field + ": ");
        assertThat(field + ": " + cause.path("message").asText()).startsWith(errorMessage);
    }

    @Test
    void refusesANodeNameChangeWhenAPodIsUpdated() throws Exception {
        Pod pod = create("moved", "{\"nodeName\":\"node-a\",\"containers\":[{\"name\":\"web\",\"image\":\"nginx:1.26\"}]}");

        Answer a = put(new PodBuilder(pod).editSpec().withNodeName("node-b").endSpec().build());

        assertInvalid(a, "moved", "spec", "FieldValueForbidden", FORBIDDEN + "\n");
        assertThat(a.body().path("message").asText()).contains("- spec.nodeName: \"node-a\"")
                .contains("+ spec.nodeName: \"node-b\"");
        assertThat(client.pods().inNamespace(NS).withName("moved").get().getSpec().getNodeName()).isEqualTo("node-a");
    }

    @Test
    void changesTheImageInPlaceWhenAPodIsPatchedAnyWay() throws Exception {
        create("imaged");

        Answer merge = patch("imaged", "application/merge-patch+json",
                "{\"spec\":{\"containers\":[{\"name\":\"web\",\"image\":\"nginx:1.27\",\"ports\":[{\"containerPort\":80}]}]}}");
        Answer strategic = patch("imaged", "application/strategic-merge-patch+json",
                "{\"spec\":{\"containers\":[{\"name\":\"web\",\"image\":\"nginx:1.28\"}]}}");
        Answer json = patch("imaged", "application/json-patch+json",
                "[{\"op\":\"replace\",\"path\":\"/spec/containers/0/image\",\"value\":\"nginx:1.29\"}]");

        assertThat(merge.code()).as(merge.body().toString()).isEqualTo(200);
        assertThat(strategic.code()).as(strategic.body().toString()).isEqualTo(200);
        assertThat(json.code()).as(json.body().toString()).isEqualTo(200);
        assertThat(client.pods().inNamespace(NS).withName("imaged").get().getSpec().getContainers().get(0).getImage())
                .isEqualTo("nginx:1.29");
    }

    @Test
    void keepsLabelsAnnotationsAndStatusMutableWhenTheSpecIsUntouched() throws Exception {
        Pod pod = create("relabelled");

        Answer a = put(new PodBuilder(pod).editMetadata().addToLabels("tier", "web").addToAnnotations("a", "b")
                .endMetadata().build());
        Pod status = client.pods().inNamespace(NS).withName("relabelled").editStatus(p -> new PodBuilder(p)
                .editOrNewStatus().withPhase("Running").endStatus().build());

        assertThat(a.code()).as(a.body().toString()).isEqualTo(200);
        assertThat(status.getMetadata().getLabels()).containsEntry("tier", "web");
        assertThat(status.getStatus().getPhase()).isEqualTo("Running");
    }

    @Test
    void refusesAddingAContainerWithTheContainerError() throws Exception {
        create("grown");

        Answer a = patch("grown", "application/merge-patch+json", "{\"spec\":{\"containers\":["
                + "{\"name\":\"web\",\"image\":\"nginx:1.26\"},{\"name\":\"side\",\"image\":\"busybox:1.36\"}]}}");

        assertInvalid(a, "grown", "spec.containers", "FieldValueForbidden",
                "spec.containers: Forbidden: pod updates may not add or remove containers");
    }

    @Test
    void refusesAPortChangeWhenTheImageChangesWithIt() throws Exception {
        create("ported");

        Answer a = patch("ported", "application/merge-patch+json", "{\"spec\":{\"containers\":["
                + "{\"name\":\"web\",\"image\":\"nginx:1.27\",\"ports\":[{\"containerPort\":8080}]}]}}");

        assertInvalid(a, "ported", "spec", "FieldValueForbidden", FORBIDDEN);
        assertThat(client.pods().inNamespace(NS).withName("ported").get().getSpec().getContainers().get(0).getImage())
                .isEqualTo("nginx:1.26");
    }

    @Test
    void refusesAnInvalidUpdateInADryRunToo() throws Exception {
        create("rehearsed", "{\"nodeName\":\"node-a\",\"containers\":[{\"name\":\"web\",\"image\":\"nginx:1.26\"}]}");

        Answer a = call("PATCH", "/api/v1/namespaces/" + NS + "/pods/rehearsed?dryRun=All",
                "application/merge-patch+json", "{\"spec\":{\"nodeName\":\"node-c\"}}");

        assertInvalid(a, "rehearsed", "spec", "FieldValueForbidden", FORBIDDEN);
    }

    @Test
    void allowsOnlyAdditionsToTolerations() throws Exception {
        create("tolerant", "{\"containers\":[{\"name\":\"web\",\"image\":\"nginx:1.26\"}],\"tolerations\":["
                + "{\"key\":\"k\",\"operator\":\"Exists\",\"effect\":\"NoExecute\",\"tolerationSeconds\":30}]}");

        Answer added = patch("tolerant", "application/json-patch+json", "[{\"op\":\"add\",\"path\":\"/spec/tolerations/-\","
                + "\"value\":{\"key\":\"other\",\"operator\":\"Exists\"}},{\"op\":\"replace\",\"path\":"
                + "\"/spec/tolerations/0/tolerationSeconds\",\"value\":10}]");
        Answer changed = patch("tolerant", "application/json-patch+json",
                "[{\"op\":\"replace\",\"path\":\"/spec/tolerations/0/effect\",\"value\":\"NoSchedule\"}]");

        assertThat(added.code()).as(added.body().toString()).isEqualTo(200);
        assertInvalid(changed, "tolerant", "spec.tolerations", "FieldValueForbidden",
                "spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds");
    }

    @Test
    void allowsLoweringButNotRaisingTheActiveDeadline() throws Exception {
        create("deadline", "{\"activeDeadlineSeconds\":100,\"containers\":[{\"name\":\"web\",\"image\":\"nginx:1.26\"}]}");

        Answer lowered = patch("deadline", "application/merge-patch+json", "{\"spec\":{\"activeDeadlineSeconds\":50}}");
        Answer raised = patch("deadline", "application/merge-patch+json", "{\"spec\":{\"activeDeadlineSeconds\":60}}");

        assertThat(lowered.code()).as(lowered.body().toString()).isEqualTo(200);
        assertInvalid(raised, "deadline", "spec.activeDeadlineSeconds", "FieldValueInvalid",
                "spec.activeDeadlineSeconds: Invalid value: 60: must be less than or equal to previous value");
    }

    @Test
    void allowsANegativeGracePeriodToBecomeOneAndNothingElse() throws Exception {
        create("graceful", "{\"terminationGracePeriodSeconds\":-1,\"containers\":[{\"name\":\"web\",\"image\":\"nginx:1.26\"}]}");
        create("graceless", "{\"terminationGracePeriodSeconds\":30,\"containers\":[{\"name\":\"web\",\"image\":\"nginx:1.26\"}]}");

        Answer one = patch("graceful", "application/merge-patch+json", "{\"spec\":{\"terminationGracePeriodSeconds\":1}}");
        Answer shorter = patch("graceless", "application/merge-patch+json",
                "{\"spec\":{\"terminationGracePeriodSeconds\":1}}");

        assertThat(one.code()).as(one.body().toString()).isEqualTo(200);
        assertInvalid(shorter, "graceless", "spec", "FieldValueForbidden", FORBIDDEN);
    }

    @Test
    void allowsRemovingButNotAddingSchedulingGates() throws Exception {
        create("gated", "{\"schedulingGates\":[{\"name\":\"a\"},{\"name\":\"b\"}],"
                + "\"containers\":[{\"name\":\"web\",\"image\":\"nginx:1.26\"}]}");

        Answer removed = patch("gated", "application/merge-patch+json", "{\"spec\":{\"schedulingGates\":[{\"name\":\"b\"}]}}");
        Answer added = patch("gated", "application/merge-patch+json",
                "{\"spec\":{\"schedulingGates\":[{\"name\":\"b\"},{\"name\":\"c\"}]}}");

        assertThat(removed.code()).as(removed.body().toString()).isEqualTo(200);
        assertInvalid(added, "gated", "spec.schedulingGates[1].name", "FieldValueForbidden",
                "spec.schedulingGates[1].name: Forbidden: only deletion is allowed, but found new scheduling gate 'c'");
    }

    @Test
    void bindsAPodToANodeThroughTheBindingSubresourceOnce() throws Exception {
        create("bound");
        String binding = "{\"apiVersion\":\"v1\",\"kind\":\"Binding\",\"metadata\":{\"name\":\"bound\","
                + "\"annotations\":{\"scheduled-by\":\"test\"}},\"target\":{\"kind\":\"Node\",\"name\":\"node-a\"}}";
        String path = "/api/v1/namespaces/" + NS + "/pods/bound/binding";

        Answer first = call("POST", path, "application/json", binding);
        Answer again = call("POST", path, "application/json", binding.replace("node-a", "node-b"));

        assertThat(first.code()).as(first.body().toString()).isEqualTo(201);
        assertThat(first.body().path("status").asText()).isEqualTo("Success");
        Pod pod = client.pods().inNamespace(NS).withName("bound").get();
        assertThat(pod.getSpec().getNodeName()).isEqualTo("node-a");
        assertThat(pod.getMetadata().getAnnotations()).containsEntry("scheduled-by", "test");
        assertThat(pod.getStatus().getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("PodScheduled");
            assertThat(c.getStatus()).isEqualTo("True");
        });
        assertThat(again.code()).isEqualTo(409);
        assertThat(again.body().path("reason").asText()).isEqualTo("Conflict");
        assertThat(again.body().path("message").asText()).isEqualTo("Operation cannot be fulfilled on pods/binding "
                + "\"bound\": pod bound is already assigned to node \"node-a\"");
    }

    @Test
    void refusesABindingWhoseNameIsNotThePods() throws Exception {
        create("named");

        Answer a = call("POST", "/api/v1/namespaces/" + NS + "/pods/named/binding", "application/json",
                "{\"apiVersion\":\"v1\",\"kind\":\"Binding\",\"metadata\":{\"name\":\"other\"},"
                        + "\"target\":{\"kind\":\"Node\",\"name\":\"node-a\"}}");

        assertThat(a.code()).isEqualTo(400);
        assertThat(a.body().path("message").asText()).isEqualTo("name in URL does not match name in Binding object");
    }
}
