package io.jenkins.plugins.kubeplatform.sim.controllers;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.sim.Pods;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** The kubelet's per-node image cache and {@code imagePullPolicy}, as a real kubelet (v1.32) applies them. */
class ImageCacheTest {

    /** 200 s simulated at speed 100: a pull takes 2 s of wall-clock time, a container start 10 ms. */
    private static final Duration PULL = Duration.ofSeconds(200);
    private static final long PULL_WALL_MILLIS = 2_000;

    @AutoClose
    static final SimulatedCluster sim = SimulatedCluster.start(SimOptions.builder()
            .speed(100).imagePullDelay(PULL).build());
    static final KubernetesClient client = sim.client();

    private static Pod onNode(String name, String node, String image, String policy) {
        return Pods.pod(name).editSpec().withNodeName(node).editFirstContainer().withImage(image)
                .withImagePullPolicy(policy).endContainer().endSpec().build();
    }

    private static long readyAfterMillis(Pod pod) {
        long start = System.nanoTime();
        Pods.create(client, pod);
        Pods.awaitReady(client, "default", pod.getMetadata().getName());
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void startsASecondPodOfAnImageOnANodeWithoutThePullDelay() {
        long first = readyAfterMillis(onNode("cache-first", "node-1", "registry.example/cached:1.0", "IfNotPresent"));
        long second = readyAfterMillis(onNode("cache-second", "node-1", "registry.example/cached:1.0", null));
        long never = readyAfterMillis(onNode("cache-never", "node-1", "registry.example/cached:1.0", "Never"));

        assertThat(first).isGreaterThanOrEqualTo(PULL_WALL_MILLIS);
        assertThat(second).isLessThan(PULL_WALL_MILLIS);
        assertThat(never).isLessThan(PULL_WALL_MILLIS);
        assertThat(Pods.awaitEvent(client, "default", "cache-second", "Pulled").getMessage())
                .isEqualTo("Container image \"registry.example/cached:1.0\" already present on machine");
    }

    @Test
    void reportsErrImageNeverPullForAnImageThatIsNotOnTheNode() {
        Pods.create(client, onNode("never-absent", "node-2", "registry.example/absent:2.0", "Never"));

        Pod pod = Pods.await(client, "default", "never-absent", p -> waitingReason(p).equals("ErrImageNeverPull"));
        assertThat(pod.getStatus().getPhase()).isEqualTo("Pending");
        assertThat(pod.getStatus().getContainerStatuses().get(0).getState().getWaiting().getMessage())
                .isEqualTo("Container image \"registry.example/absent:2.0\" is not present with pull policy of Never");
        assertThat(Pods.awaitEvent(client, "default", "never-absent", "ErrImageNeverPull").getType())
                .isEqualTo("Warning");
    }

    @Test
    void pullsAnImageOnceForPodsStartedTogetherOnOneNodeAndAgainOnAnotherNode() {
        Pods.create(client, onNode("shared-a", "node-3", "registry.example/shared:3.0", "IfNotPresent"));
        Pods.create(client, onNode("shared-b", "node-3", "registry.example/shared:3.0", "IfNotPresent"));
        Pods.create(client, onNode("shared-c", "node-2", "registry.example/shared:3.0", "IfNotPresent"));
        for (String name : List.of("shared-a", "shared-b", "shared-c")) {
            Pods.awaitReady(client, "default", name);
        }

        List<Event> pulling = client.v1().events().inNamespace("default").list().getItems().stream()
                .filter(e -> "Pulling".equals(e.getReason()) && e.getInvolvedObject().getName().startsWith("shared-"))
                .toList();
        assertThat(pulling).extracting(e -> e.getInvolvedObject().getName())
                .containsExactlyInAnyOrder("shared-a", "shared-c");
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
