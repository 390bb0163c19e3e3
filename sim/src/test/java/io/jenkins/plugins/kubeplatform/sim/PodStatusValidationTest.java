package io.jenkins.plugins.kubeplatform.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.PodResource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Writes of {@code pods/<name>/status} through a fabric8 client, judged as kube-apiserver v1.32 judges them
 * ({@code podStatusStrategy.ValidateUpdate} → {@code ValidatePodStatusUpdate}): PUT and the three patch types are
 * refused with 422 Invalid naming the field, and nothing is stored. A bare API server (no
 * controllers), so only the test writes the pods.
 */
class PodStatusValidationTest {

    private static final String NS = "status-rules";

    @AutoClose
    private static final SimulatedCluster sim = SimulatedCluster.start(SimOptions.builder()
            .builtInControllers(false).build());
    private static final KubernetesClient client = sim.client();

    @BeforeAll
    static void start() {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
                .create();
    }

    private static PodResource pod(String name) {
        return client.pods().inNamespace(NS).withName(name);
    }

    private static Pod create(String name, String restartPolicy) {
        return client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withRestartPolicy(restartPolicy).addNewContainer().withName("app").withImage("nginx:1.27")
                .endContainer().endSpec().build()).create();
    }

    /** The pod with its one container in {@code state} (terminated with {@code exitCode}, or running). */
    private static Pod withContainer(Pod pod, Integer exitCode) {
        ContainerStateBuilder state = new ContainerStateBuilder();
        if (exitCode == null) {
            state.withNewRunning().withStartedAt("2026-01-01T00:00:00Z").endRunning();
        } else {
            state.withNewTerminated().withExitCode(exitCode).withReason("Completed").endTerminated();
        }
        return new PodBuilder(pod).editStatus().withContainerStatuses(new ContainerStatusBuilder().withName("app")
                .withImage("nginx:1.27").withImageID("").withReady(false).withRestartCount(0).withState(state.build())
                .build()).endStatus().build();
    }

    private static void assertInvalid(KubernetesClientException e, String name, String field, String reason,
            String message) {
        assertThat(e).as("the write was refused").isNotNull();
        assertThat(e.getCode()).isEqualTo(422);
        assertThat(e.getStatus().getReason()).isEqualTo("Invalid");
        assertThat(e.getStatus().getMessage()).isEqualTo("Pod \"" + name + "\" is invalid: " + field + ": " + message);
        assertThat(e.getStatus().getDetails().getCauses()).singleElement().satisfies((StatusCause c) -> {
            assertThat(c.getField()).isEqualTo(field);
            assertThat(c.getReason()).isEqualTo(reason);
            assertThat(c.getMessage()).isEqualTo(message);
        });
    }

    @Test
    void refusesATerminatedContainerRunningAgainWhenUpdateStatusWritesItUnderRestartPolicyNever() {
        Pod created = create("once", "Never");
        Pod done = client.pods().inNamespace(NS).resource(withContainer(created, 0)).updateStatus();

        KubernetesClientException e = catchThrowableOfType(KubernetesClientException.class,
                () -> client.pods().inNamespace(NS).resource(withContainer(done, null)).updateStatus());

        assertInvalid(e, "once", "status.containerStatuses[0].state", "FieldValueForbidden",
                "Forbidden: may not be transitioned to non-terminated state");
        assertThat(pod("once").get().getStatus().getContainerStatuses().get(0).getState().getTerminated())
                .isNotNull();
    }

    @Test
    void letsAFailedContainerRunAgainUnderRestartPolicyOnFailure() {
        Pod failed = client.pods().inNamespace(NS).resource(withContainer(create("retried", "OnFailure"), 1))
                .updateStatus();

        Pod again = client.pods().inNamespace(NS).resource(withContainer(failed, null)).updateStatus();

        assertThat(again.getStatus().getContainerStatuses().get(0).getState().getRunning()).isNotNull();
    }

    @Test
    void refusesAChangedQosClassWhenAMergePatchOfStatusWritesIt() {
        create("qos-merge", "Always");

        KubernetesClientException e = catchThrowableOfType(KubernetesClientException.class,
                () -> pod("qos-merge").subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE),
                        "{\"status\":{\"qosClass\":\"Guaranteed\"}}"));

        assertInvalid(e, "qos-merge", "status.qosClass", "FieldValueInvalid",
                "Invalid value: \"Guaranteed\": field is immutable");
        assertThat(pod("qos-merge").get().getStatus().getQosClass()).isEqualTo("BestEffort");
    }

    @Test
    void keepsTheStoredQosClassWhenAStatusWriteLeavesItOut() {
        Pod created = create("qos-kept", "Always");
        Pod withoutQos = new PodBuilder(created).editStatus().withQosClass(null).withPhase("Running").endStatus()
                .build();

        Pod written = client.pods().inNamespace(NS).resource(withoutQos).updateStatus();

        assertThat(written.getStatus().getQosClass()).isEqualTo("BestEffort");
        assertThat(written.getStatus().getPhase()).isEqualTo("Running");
    }

    @Test
    void refusesTwoIpv4PodIpsWhenAStrategicMergePatchOfStatusWritesThem() {
        create("two-v4", "Always");

        KubernetesClientException e = catchThrowableOfType(KubernetesClientException.class,
                () -> pod("two-v4").subresource("status").patch(PatchContext.of(PatchType.STRATEGIC_MERGE),
                        "{\"status\":{\"podIP\":\"10.0.0.1\",\"podIPs\":[{\"ip\":\"10.0.0.1\"},{\"ip\":\"10.0.0.2\"}]}}"));

        assertInvalid(e, "two-v4", "status.podIPs", "FieldValueInvalid", "Invalid value: []core.PodIP{core.PodIP{"
                + "IP:\"10.0.0.1\"}, core.PodIP{IP:\"10.0.0.2\"}}: may specify no more than one IP for each IP family");
        assertThat(pod("two-v4").get().getStatus().getPodIPs()).isEmpty();
    }

    @Test
    void refusesAPodIpThatIsNotAnIpWhenAJsonPatchOfStatusWritesIt() {
        create("bad-ip", "Always");

        KubernetesClientException e = catchThrowableOfType(KubernetesClientException.class,
                () -> pod("bad-ip").subresource("status").patch(PatchContext.of(PatchType.JSON),
                        "[{\"op\":\"add\",\"path\":\"/status/podIPs\",\"value\":[{\"ip\":\"10.0.0.300\"}]}]"));

        assertInvalid(e, "bad-ip", "status.podIPs[0]", "FieldValueInvalid",
                "Invalid value: \"10.0.0.300\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
    }

    @Test
    void refusesANominatedNodeNameThatIsNotANodeNameWhenPatchStatusWritesIt() {
        Pod created = create("nominated", "Always");
        Pod nominated = new PodBuilder(created).editStatus().withNominatedNodeName("Node_1").endStatus().build();

        KubernetesClientException e = catchThrowableOfType(KubernetesClientException.class,
                () -> client.pods().inNamespace(NS).resource(nominated).patchStatus());

        assertInvalid(e, "nominated", "status.nominatedNodeName", "FieldValueInvalid",
                "Invalid value: \"Node_1\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
                        + "characters, '-' or '.', and must start and end with an alphanumeric character (e.g. "
                        + "'example.com', regex used for validation is "
                        + "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
        assertThat(pod("nominated").get().getStatus().getNominatedNodeName()).isNull();
    }
}
