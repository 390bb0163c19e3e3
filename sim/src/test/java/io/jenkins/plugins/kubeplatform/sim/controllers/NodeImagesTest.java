package io.jenkins.plugins.kubeplatform.sim.controllers;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerImage;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@link NodeImages} reports, checked against the kubelet's node status setter and containerd's names. */
class NodeImagesTest {

    private static final String DIGEST = "sha256:" + "0123456789abcdef".repeat(4);

    @Test
    void findsAnImageByAnyReferenceThatNormalisesToTheSameName() {
        NodeImages images = new NodeImages();

        images.add("node-1", "nginx:1.27");

        assertThat(images.has("node-1", "docker.io/library/nginx:1.27")).isTrue();
        assertThat(images.has("node-1", "index.docker.io/nginx:1.27")).isTrue();
        assertThat(images.has("node-1", "nginx")).isFalse();
        assertThat(images.has("node-1", "nginx:1.26")).isFalse();
        assertThat(images.has("node-2", "nginx:1.27")).isFalse();
    }

    @Test
    void namesAnImagePulledByDigestOnlyByItsDigest() {
        NodeImages images = new NodeImages();

        images.add("node-1", "registry.example.com/web:2@" + DIGEST);

        assertThat(images.status("node-1")).singleElement().satisfies(i -> assertThat(i.getNames())
                .containsExactly("registry.example.com/web@" + DIGEST));
        assertThat(images.has("node-1", "registry.example.com/web@" + DIGEST)).isTrue();
        assertThat(images.has("node-1", "registry.example.com/web:2")).isFalse();
    }

    @Test
    void reportsAtMostFiftyImagesLargestFirst() {
        NodeImages images = new NodeImages();
        for (int i = 0; i < 60; i++) {
            images.add("node-1", "registry.example.com/app-" + i + ":1");
        }

        List<ContainerImage> status = images.status("node-1");

        // nodeStatusMaxImages defaults to 50
        assertThat(status).hasSize(50);
        assertThat(status).isSortedAccordingTo(Comparator.comparing(ContainerImage::getSizeBytes).reversed());
        long left = java.util.stream.IntStream.range(0, 60)
                .filter(i -> status.stream().noneMatch(s -> s.getNames().contains(
                        "registry.example.com/app-" + i + ":1"))).count();
        assertThat(left).isEqualTo(10);
    }

    @Test
    void forgetsTheImagesOfARemovedNode() {
        NodeImages images = new NodeImages();
        images.add("node-1", "nginx:1.27");

        images.removeNode("node-1");

        assertThat(images.has("node-1", "nginx:1.27")).isFalse();
        assertThat(images.status("node-1")).isEmpty();
    }
}
