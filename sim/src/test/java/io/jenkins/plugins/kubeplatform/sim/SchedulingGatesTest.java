package io.jenkins.plugins.kubeplatform.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.sim.RawApi.Answer;
import java.util.Optional;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * Scheduling gates as kube-apiserver and kube-scheduler v1.32 treat them: a gated pod is never bound (the scheduler's
 * {@code SchedulingGates} PreEnqueue plugin, and {@code BindingREST} refuses it), a gate cannot be added after
 * creation nor a pod created bound to a node while gated ({@code ValidatePodUpdate}, {@code ValidatePodCreate} in
 * pkg/apis/core/validation/validation.go), and removing the last gate lets the scheduler bind the pod.
 */
class SchedulingGatesTest {

    private static final String NS = "default";
    private static final String PODS = "/api/v1/namespaces/" + NS + "/pods";

    @AutoClose
    private static final SimulatedCluster sim = SimulatedCluster.start(SimOptions.builder().speed(50).build());
    private static final KubernetesClient client = sim.client();

    private static Pod gated(String name, String... gates) {
        var spec = Pods.pod(name).editSpec();
        for (String gate : gates) {
            spec.addNewSchedulingGate().withName(gate).endSchedulingGate();
        }
        return Pods.create(client, spec.endSpec().build());
    }

    /**
     * Creates an ungated pod and waits until the scheduler bound it: the scheduler handles pod events in order on one
     * thread, so every pod change made before has been considered by then.
     */
    private static void schedulerCaughtUp(String witness) {
        Pods.create(client, Pods.pod(witness).build());
        Pods.await(client, NS, witness, p -> p.getSpec().getNodeName() != null);
    }

    private static Optional<PodCondition> scheduled(Pod pod) {
        return pod.getStatus().getConditions().stream().filter(c -> c.getType().equals("PodScheduled")).findFirst();
    }

    private static void removeGates(String name, String json) {
        client.pods().inNamespace(NS).withName(name).patch(
                io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                        io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE), json);
    }

    @Test
    void leavesAGatedPodUnboundUntilItsLastGateIsRemovedThenSchedulesIt() {
        gated("held", "example.com/quota", "example.com/storage");
        schedulerCaughtUp("held-witness-1");

        Pod waiting = client.pods().inNamespace(NS).withName("held").get();
        assertThat(waiting.getSpec().getNodeName()).isNull();
        assertThat(scheduled(waiting)).get().satisfies(c -> {
            assertThat(c.getStatus()).isEqualTo("False");
            assertThat(c.getReason()).isEqualTo("SchedulingGated");
        });

        removeGates("held", "{\"spec\":{\"schedulingGates\":[{\"name\":\"example.com/storage\"}]}}");
        schedulerCaughtUp("held-witness-2");
        assertThat(client.pods().inNamespace(NS).withName("held").get().getSpec().getNodeName()).isNull();

        removeGates("held", "{\"spec\":{\"schedulingGates\":null}}");
        Pod bound = Pods.await(client, NS, "held", p -> p.getSpec().getNodeName() != null);
        assertThat(bound.getSpec().getNodeName()).startsWith("node-");
        assertThat(scheduled(Pods.await(client, NS, "held", p -> scheduled(p).map(c -> c.getStatus().equals("True"))
                .orElse(false)))).get().satisfies(c -> assertThat(c.getReason()).isNull());
    }

    @Test
    void refusesToAddASchedulingGateAfterCreation() throws Exception {
        gated("late-gate", "example.com/first");

        Answer a = RawApi.call(sim, "PATCH", PODS + "/late-gate", "application/merge-patch+json",
                "{\"spec\":{\"schedulingGates\":[{\"name\":\"example.com/first\"},{\"name\":\"example.com/late\"}]}}");

        assertThat(a.code()).isEqualTo(422);
        assertThat(a.body().path("reason").asText()).isEqualTo("Invalid");
        assertThat(a.body().path("message").asText()).isEqualTo("Pod \"late-gate\" is invalid: "
                + "spec.schedulingGates[1].name: Forbidden: only deletion is allowed, but found new scheduling gate "
                + "'example.com/late'");
        JsonNode cause = a.body().path("details").path("causes").path(0);
        assertThat(cause.path("field").asText()).isEqualTo("spec.schedulingGates[1].name");
        assertThat(cause.path("reason").asText()).isEqualTo("FieldValueForbidden");
    }

    @Test
    void refusesToCreateAPodBoundToANodeWhileItHasSchedulingGates() throws Exception {
        Answer a = RawApi.call(sim, "POST", PODS, "application/json", """
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"pinned"},
                 "spec":{"nodeName":"node-1","schedulingGates":[{"name":"example.com/quota"}],
                  "containers":[{"name":"app","image":"nginx:1.27"}]}}""");

        assertThat(a.code()).isEqualTo(422);
        assertThat(a.body().path("message").asText()).isEqualTo("Pod \"pinned\" is invalid: spec.nodeName: "
                + "Forbidden: cannot be set until all schedulingGates have been cleared");
        assertThat(a.body().path("details").path("kind").asText()).isEqualTo("Pod");
        JsonNode cause = a.body().path("details").path("causes").path(0);
        assertThat(cause.path("field").asText()).isEqualTo("spec.nodeName");
        assertThat(cause.path("reason").asText()).isEqualTo("FieldValueForbidden");
        assertThat(cause.path("message").asText())
                .isEqualTo("Forbidden: cannot be set until all schedulingGates have been cleared");
        assertThat(client.pods().inNamespace(NS).withName("pinned").get()).isNull();
    }

    @Test
    void refusesToBindAGatedPod() throws Exception {
        gated("unbindable", "example.com/quota");

        Answer a = RawApi.call(sim, "POST", PODS + "/unbindable/binding", "application/json", """
                {"apiVersion":"v1","kind":"Binding","metadata":{"name":"unbindable"},
                 "target":{"apiVersion":"v1","kind":"Node","name":"node-1"}}""");

        assertThat(a.code()).isEqualTo(409);
        assertThat(a.body().path("message").asText()).isEqualTo("Operation cannot be fulfilled on pods/binding "
                + "\"unbindable\": pod unbindable has non-empty .spec.schedulingGates");
        assertThat(client.pods().inNamespace(NS).withName("unbindable").get().getSpec().getNodeName()).isNull();
    }
}
