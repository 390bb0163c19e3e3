package io.jenkins.plugins.kubeplatform.sim.controllers;

import io.jenkins.plugins.kubeplatform.sim.model.PodStates;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.sim.Pods;
import io.jenkins.plugins.kubeplatform.sim.SimAnnotations;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

class KubeletTest {

    static final String IP_ANNOTATION = "cni.projectcalico.org/ipAddrs";

    @AutoClose
    static final SimulatedCluster sim = SimulatedCluster.start(SimOptions.builder().speed(50).build());
    static final KubernetesClient client = sim.client();

    @Test
    void startsAPodUntilRunningAndReadyWithPodAndHostIp() {
        Pods.create(client, Pods.pod("plain").build());
        Pod ready = Pods.awaitReady(client, "default", "plain");
        assertThat(ready.getStatus().getPhase()).isEqualTo("Running");
        assertThat(ready.getSpec().getNodeName()).startsWith("node-");
        assertThat(ready.getStatus().getPodIP()).startsWith("10.42.");
        assertThat(ready.getStatus().getHostIP()).startsWith("192.168.56.");
        assertThat(ready.getStatus().getContainerStatuses()).singleElement()
                .satisfies(cs -> assertThat(cs.getReady()).isTrue());
    }

    @Test
    void givesACalicoPodExactlyTheRequestedAddress() {
        Pods.create(client, Pods.pod("pinned").editMetadata().addToAnnotations(IP_ANNOTATION, "[\"10.42.7.7\"]")
                .endMetadata().build());
        assertThat(Pods.awaitReady(client, "default", "pinned").getStatus().getPodIP()).isEqualTo("10.42.7.7");
    }

    @Test
    void keepsASecondPodWantingATakenAddressContainerCreatingWithAWarning() {
        Pods.create(client, Pods.pod("holder").editMetadata().addToAnnotations(IP_ANNOTATION, "[\"10.42.9.9\"]")
                .endMetadata().build());
        Pods.awaitReady(client, "default", "holder");
        Pods.create(client, Pods.pod("clash").editMetadata().addToAnnotations(IP_ANNOTATION, "[\"10.42.9.9\"]")
                .endMetadata().build());

        Event event = Pods.awaitEvent(client, "default", "clash", "FailedCreatePodSandBox");
        assertThat(event.getType()).isEqualTo("Warning");
        assertThat(event.getMessage()).contains("10.42.9.9").contains("Address already assigned");
        Pod clash = client.pods().inNamespace("default").withName("clash").get();
        assertThat(clash.getStatus().getPhase()).isEqualTo("Pending");
        assertThat(clash.getStatus().getPodIP()).isNull();
        assertThat(clash.getStatus().getContainerStatuses().get(0).getState().getWaiting().getReason())
                .isEqualTo("ContainerCreating");
    }

    @Test
    void givesAFreedAddressToTheWaitingPodOnceItsHolderIsDeleted() {
        Pods.create(client, Pods.pod("first").editMetadata().addToAnnotations(IP_ANNOTATION, "[\"10.42.8.8\"]")
                .endMetadata().build());
        Pods.awaitReady(client, "default", "first");
        Pods.create(client, Pods.pod("second").editMetadata().addToAnnotations(IP_ANNOTATION, "[\"10.42.8.8\"]")
                .endMetadata().build());
        Pods.awaitEvent(client, "default", "second", "FailedCreatePodSandBox");

        client.pods().inNamespace("default").withName("first").delete();

        assertThat(Pods.awaitReady(client, "default", "second").getStatus().getPodIP()).isEqualTo("10.42.8.8");
    }

    @Test
    void keepsAPodWantingAnAddressOutsideEveryPoolContainerCreating() {
        Pods.create(client, Pods.pod("outside").editMetadata().addToAnnotations(IP_ANNOTATION, "[\"10.99.0.1\"]")
                .endMetadata().build());
        Event event = Pods.awaitEvent(client, "default", "outside", "FailedCreatePodSandBox");
        assertThat(event.getMessage()).contains("not in a configured pool");
        assertThat(client.pods().inNamespace("default").withName("outside").get().getStatus().getPodIP()).isNull();
    }

    @Test
    void reportsErrImagePullThenImagePullBackOffForAnImageThatCannotBePulled() {
        Pods.create(client, Pods.pod("badimage").editSpec().editFirstContainer()
                .withImage("registry.example/" + SimAnnotations.FAIL_PULL_IMAGE_MARKER + ":1").endContainer().endSpec()
                .build());
        Pod pod = Pods.await(client, "default", "badimage", p -> waitingReason(p).equals("ImagePullBackOff"));
        assertThat(pod.getStatus().getPhase()).isEqualTo("Pending");
        assertThat(Pods.awaitEvent(client, "default", "badimage", "BackOff").getMessage())
                .contains("Back-off pulling image");
    }

    @Test
    void restartsAPodOnDemandAndMakesItReadyAgain() {
        Pods.create(client, Pods.pod("restarted").build());
        Pods.awaitReady(client, "default", "restarted");

        sim.pods().restart("default", "restarted");

        Pod again = Pods.await(client, "default", "restarted", p -> PodStates.isReady(p)
                && p.getStatus().getContainerStatuses().get(0).getRestartCount() == 1);
        assertThat(again.getStatus().getContainerStatuses().get(0).getLastState().getTerminated()).isNotNull();
    }

    /**
     * Under OnFailure the kubelet starts again only the container that failed (ShouldContainerBeRestarted); the one
     * that exited 0 stays terminated, as the API server would refuse to see it running again.
     */
    @Test
    void restartsOnlyTheFailedContainerOfAnOnFailurePod() {
        Pods.create(client, Pods.pod("onfailure").editSpec().withRestartPolicy("OnFailure").addNewContainer()
                .withName("worker").withImage("busybox:1.36").endContainer().endSpec().build());
        Pods.awaitReady(client, "default", "onfailure");

        client.pods().inNamespace("default").withName("onfailure").editStatus(p -> {
            for (ContainerStatus cs : p.getStatus().getContainerStatuses()) {
                int exitCode = cs.getName().equals("app") ? 0 : 1;
                cs.setState(new ContainerStateBuilder().withNewTerminated().withExitCode(exitCode)
                        .withReason(exitCode == 0 ? "Completed" : "Error").endTerminated().build());
                cs.setReady(false);
            }
            return p;
        });

        Pod after = Pods.await(client, "default", "onfailure", p -> container(p, "worker").getState().getRunning()
                != null);
        assertThat(container(after, "app").getState().getTerminated().getExitCode()).isZero();
    }

    private static ContainerStatus container(Pod p, String name) {
        return p.getStatus().getContainerStatuses().stream().filter(cs -> cs.getName().equals(name)).findFirst()
                .orElseThrow();
    }

    @Test
    void holdsReadinessUntilTheReadinessGateConditionIsTrue() {
        Pods.create(client, Pods.pod("gated").editSpec().addNewReadinessGate().withConditionType("example.com/ok")
                .endReadinessGate().endSpec().build());
        Pod running = Pods.await(client, "default", "gated", p -> PodStates.condition(p, "ContainersReady"));
        assertThat(PodStates.isReady(running)).isFalse();

        Pods.setCondition(client, "default", "gated", "example.com/ok");

        Pods.awaitReady(client, "default", "gated");
    }

    @Test
    void completesAPodThatRunsForAGivenTime() {
        Pods.create(client, Pods.pod("batch").editMetadata().addToAnnotations(SimAnnotations.RUN_FOR, "2s")
                .endMetadata().editSpec().withRestartPolicy("Never").endSpec().build());
        Pod done = Pods.await(client, "default", "batch", p -> "Succeeded".equals(PodStates.phase(p)));
        assertThat(done.getStatus().getContainerStatuses().get(0).getState().getTerminated().getReason())
                .isEqualTo("Completed");
    }

    private static String waitingReason(Pod p) {
        if (p.getStatus() == null || p.getStatus().getContainerStatuses() == null
                || p.getStatus().getContainerStatuses().isEmpty()
                || p.getStatus().getContainerStatuses().get(0).getState().getWaiting() == null) {
            return "";
        }
        return p.getStatus().getContainerStatuses().get(0).getState().getWaiting().getReason();
    }
}
