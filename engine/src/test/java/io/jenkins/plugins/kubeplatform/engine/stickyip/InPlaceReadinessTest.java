package io.jenkins.plugins.kubeplatform.engine.stickyip;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When a pod updated in place counts as done: its changed containers ran again from their new images. */
class InPlaceReadinessTest {

    private static Pod pod(String specImage, String statusImage, int restarts, boolean ready, boolean running) {
        PodBuilder b = new PodBuilder().withNewMetadata().withName("web-0-abc").endMetadata()
                .withNewSpec().addNewContainer().withName("web").withImage(specImage).endContainer()
                .addNewContainer().withName("sidecar").withImage("envoy:1").endContainer().endSpec();
        var status = b.withNewStatus().addNewContainerStatus().withName("web").withImage(statusImage)
                .withRestartCount(restarts).withReady(ready);
        status = running ? status.withNewState().withNewRunning().endRunning().endState()
                : status.withNewState().withNewWaiting().withReason("ContainerCreating").endWaiting().endState();
        return status.endContainerStatus().addNewContainerStatus().withName("sidecar").withImage("envoy:1")
                .withRestartCount(0).withReady(true).withNewState().withNewRunning().endRunning().endState()
                .endContainerStatus().endStatus().build();
    }

    @Test
    void isNotDoneWhileTheStatusStillShowsTheOldContainer() {
        assertThat(PodVerifier.restartedWithNewImages(pod("shop/web:2", "shop/web:1", 0, true, true),
                Map.of("web", 0))).isFalse();
    }

    @Test
    void isNotDoneWhileTheNewContainerIsNotReady() {
        assertThat(PodVerifier.restartedWithNewImages(pod("shop/web:2", "shop/web:2", 1, false, true),
                Map.of("web", 0))).isFalse();
        assertThat(PodVerifier.restartedWithNewImages(pod("shop/web:2", "shop/web:2", 1, false, false),
                Map.of("web", 0))).isFalse();
    }

    @Test
    void isDoneWhenTheContainerRunsReadyFromTheNewImage() {
        assertThat(PodVerifier.restartedWithNewImages(pod("shop/web:2", "shop/web:2", 1, true, true),
                Map.of("web", 0))).isTrue();
    }

    @Test
    void isDoneWhenTheKubeletReportsTheImageByItsFullNameOrAnotherTagAfterARestart() {
        assertThat(PodVerifier.restartedWithNewImages(pod("shop/web:2", "docker.io/shop/web:2", 0, true, true),
                Map.of("web", 0))).as("the same image, named in full").isTrue();
        assertThat(PodVerifier.restartedWithNewImages(pod("shop/web:2", "docker.io/shop/web:stable", 3, true, true),
                Map.of("web", 2))).as("another tag of the same image, restarted since the update").isTrue();
        assertThat(PodVerifier.restartedWithNewImages(pod("shop/web:2", "docker.io/shop/web:stable", 2, true, true),
                Map.of("web", 2))).as("another tag, not restarted since the update").isFalse();
    }

    @Test
    void normalizesReferencesAsAKubeletReportsThem() {
        assertThat(PodVerifier.sameImage("nginx", "docker.io/library/nginx:latest")).isTrue();
        assertThat(PodVerifier.sameImage("docker.io/nginx:1.27", "docker.io/library/nginx:1.27")).isTrue();
        assertThat(PodVerifier.sameImage("shop/web:2", "docker.io/shop/web:2")).isTrue();
        assertThat(PodVerifier.sameImage("registry.example.com:5000/web", "registry.example.com:5000/web:latest"))
                .isTrue();
        assertThat(PodVerifier.sameImage("localhost/web@sha256:ab", "localhost/web@sha256:ab")).isTrue();
        assertThat(PodVerifier.sameImage("registry.example.com/web:1", "docker.io/registry.example.com/web:1"))
                .isFalse();
        assertThat(PodVerifier.sameImage("shop/web:1", "shop/web:2")).isFalse();
        assertThat(PodVerifier.sameImage("shop/web@sha256:ab", "shop/web:latest")).isFalse();
    }
}
