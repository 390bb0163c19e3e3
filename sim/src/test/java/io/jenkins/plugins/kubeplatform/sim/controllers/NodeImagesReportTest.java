package io.jenkins.plugins.kubeplatform.sim.controllers;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerImage;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.sim.ApiRequest;
import io.jenkins.plugins.kubeplatform.sim.Pods;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * The simulated kubelet reports the images its node holds in {@code node.status.images}, as a real kubelet v1.32
 * with containerd does: fully-qualified names (the repository digest, then the tag), written through
 * {@code nodes/status} some time after the pull, one write for the pulls finished meanwhile.
 */
class NodeImagesReportTest {

    @AutoClose
    static final SimulatedCluster sim = SimulatedCluster.start(SimOptions.builder().nodes(3).speed(100)
            .imagePullDelay(Duration.ofSeconds(5)).nodeImagesReportDelay(Duration.ofSeconds(20)).build());
    static final KubernetesClient client = sim.client();

    private static Node awaitImages(String node, String... names) {
        return Pods.await(client.nodes().withName(node), n -> n != null && n.getStatus().getImages() != null
                && n.getStatus().getImages().stream().flatMap(i -> i.getNames().stream()).toList()
                        .containsAll(List.of(names)));
    }

    private static ContainerImage image(Node node, String name) {
        return node.getStatus().getImages().stream().filter(i -> i.getNames().contains(name)).findFirst()
                .orElseThrow();
    }

    @Test
    void reportsAPulledImageUnderItsFullyQualifiedDigestAndTag() {
        Pods.create(client, Pods.pod("short-name").editSpec().withNodeName("node-1").editFirstContainer()
                .withImage("nginx:1.27").endContainer().endSpec().build());

        Node node = awaitImages("node-1", "docker.io/library/nginx:1.27");

        ContainerImage nginx = image(node, "docker.io/library/nginx:1.27");
        assertThat(nginx.getNames()).hasSize(2);
        assertThat(nginx.getNames().get(0)).matches("docker\\.io/library/nginx@sha256:[0-9a-f]{64}");
        assertThat(nginx.getNames().get(1)).isEqualTo("docker.io/library/nginx:1.27");
        assertThat(nginx.getSizeBytes()).isPositive();
        // containerd's imageID of the container is the same repository digest
        assertThat(client.pods().inNamespace("default").withName("short-name").get().getStatus()
                .getContainerStatuses().get(0).getImageID()).isEqualTo(nginx.getNames().get(0));
        assertThat(client.nodes().withName("node-3").get().getStatus().getImages()).isNullOrEmpty();
    }

    @Test
    void reportsThePullsOfOneNodeThatEndTogetherInOneStatusWrite() {
        Pods.create(client, Pods.pod("batch-a").editSpec().withNodeName("node-2").editFirstContainer()
                .withImage("registry.example.com/batch/a:1").endContainer().endSpec().build());
        Pods.create(client, Pods.pod("batch-b").editSpec().withNodeName("node-2").editFirstContainer()
                .withImage("registry.example.com/batch/b:1").endContainer().endSpec().build());

        awaitImages("node-2", "registry.example.com/batch/a:1", "registry.example.com/batch/b:1");

        List<ApiRequest> writes = sim.requests().allIncludingInternal().stream()
                .filter(r -> r.resource().equals("nodes") && r.name().equals("node-2")
                        && r.subresource().equals("status") && r.persisted())
                .toList();
        assertThat(writes).as("node-2 status writes").hasSize(1);
    }
}
