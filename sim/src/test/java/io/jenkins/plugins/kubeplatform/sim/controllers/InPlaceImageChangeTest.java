package io.jenkins.plugins.kubeplatform.sim.controllers;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.jenkins.plugins.kubeplatform.sim.Pods;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import io.jenkins.plugins.kubeplatform.sim.model.PodStates;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * A running pod's container image changed in place, as a real kubelet (v1.32) handles it: the changed container is
 * killed ("definition changed, will be restarted") and started again from the new image in the same sandbox; the
 * pod keeps its UID, node and IP, other containers keep running.
 */
class InPlaceImageChangeTest {

    /** 30 s simulated at speed 100: a pull takes 0.3 s of wall-clock time, a container start 10 ms. */
    private static final Duration PULL = Duration.ofSeconds(30);

    @AutoClose
    static final SimulatedCluster sim = SimulatedCluster.start(SimOptions.builder()
            .speed(100).imagePullDelay(PULL).build());
    static final KubernetesClient client = sim.client();

    private static Pod twoContainers(String name, String node) {
        return Pods.pod(name).editSpec().withNodeName(node).editFirstContainer().withName("web")
                .withImage("registry.example/web:1.0").endContainer().addNewContainer().withName("side")
                .withImage("registry.example/side:1.0").endContainer().endSpec().build();
    }

    private static void setImage(String name, String container, String image) {
        client.pods().inNamespace("default").withName(name).patch(PatchContext.of(PatchType.STRATEGIC_MERGE),
                "{\"spec\":{\"containers\":[{\"name\":\"" + container + "\",\"image\":\"" + image + "\"}]}}");
    }

    private static ContainerStatus status(Pod pod, String container) {
        return pod.getStatus().getContainerStatuses().stream().filter(c -> c.getName().equals(container)).findFirst()
                .orElseThrow();
    }

    /** Every version of the pod seen from now on. */
    private static List<Pod> record(String name, List<Watch> watches) {
        List<Pod> seen = new CopyOnWriteArrayList<>();
        watches.add(client.pods().inNamespace("default").withName(name).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                seen.add(pod);
            }

            @Override
            public void onClose(WatcherException cause) {
                // the test closes it
            }
        }));
        return seen;
    }

    /**
     * Waits until the recording watch, too, has delivered the final version: it is a watch of its own, so it may lag
     * behind the one {@link Pods#await} returned from, and closing it early would lose the versions in between.
     */
    private static void awaitSeen(List<Pod> seen, java.util.function.Predicate<Pod> last) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> seen.stream().anyMatch(last));
    }

    private static boolean restartedOn(Pod p, String container, String image, int restarts) {
        ContainerStatus cs = status(p, container);
        return image.equals(cs.getImage()) && cs.getRestartCount() == restarts && cs.getState().getRunning() != null
                && PodStates.isReady(p);
    }

    @Test
    void restartsOnlyTheChangedContainerInTheSamePodWhenItsImageChanges() {
        Pods.create(client, twoContainers("inplace", "node-1"));
        Pod before = Pods.awaitReady(client, "default", "inplace");
        List<Watch> watches = new CopyOnWriteArrayList<>();
        List<Pod> seen = record("inplace", watches);

        setImage("inplace", "web", "registry.example/web:2.0");
        Pod after = Pods.await(client, "default", "inplace", p -> restartedOn(p, "web", "registry.example/web:2.0", 1));
        awaitSeen(seen, p -> restartedOn(p, "web", "registry.example/web:2.0", 1));
        watches.forEach(Watch::close);

        assertThat(after.getMetadata().getUid()).isEqualTo(before.getMetadata().getUid());
        assertThat(after.getSpec().getNodeName()).isEqualTo("node-1");
        assertThat(after.getStatus().getPodIP()).isEqualTo(before.getStatus().getPodIP());
        ContainerStatus web = status(after, "web");
        assertThat(web.getImageID()).startsWith("registry.example/web@sha256:")
                .isNotEqualTo(status(before, "web").getImageID());
        assertThat(web.getContainerID()).isNotEqualTo(status(before, "web").getContainerID());
        assertThat(web.getLastState().getTerminated().getContainerID())
                .isEqualTo(status(before, "web").getContainerID());
        ContainerStatus side = status(after, "side");
        assertThat(side.getRestartCount()).isZero();
        assertThat(side.getContainerID()).isEqualTo(status(before, "side").getContainerID());
        assertThat(seen).anySatisfy(p -> {
            assertThat(PodStates.isReady(p)).isFalse();
            assertThat(PodStates.condition(p, "ContainersReady")).isFalse();
            assertThat(status(p, "web").getState().getTerminated()).isNotNull();
            assertThat(status(p, "side").getReady()).isTrue();
        });
        assertThat(Pods.awaitEvent(client, "default", "inplace", "Killing").getMessage())
                .isEqualTo("Container web definition changed, will be restarted");
    }

    @Test
    void startsTheNewImageWithoutAPullWhenTheNodeHasIt() {
        Pods.create(client, Pods.pod("holder").editSpec().withNodeName("node-2").editFirstContainer()
                .withImage("registry.example/cached:2.0").endContainer().endSpec().build());
        Pods.create(client, Pods.pod("switcher").editSpec().withNodeName("node-2").editFirstContainer()
                .withImage("registry.example/cached:1.0").endContainer().endSpec().build());
        Pods.awaitReady(client, "default", "holder");
        Pods.awaitReady(client, "default", "switcher");

        setImage("switcher", "app", "registry.example/cached:2.0");
        Pod after = Pods.await(client, "default", "switcher",
                p -> restartedOn(p, "app", "registry.example/cached:2.0", 1));

        assertThat(status(after, "app").getImageID()).startsWith("registry.example/cached@sha256:");
        List<io.fabric8.kubernetes.api.model.Event> events = client.v1().events().inNamespace("default").list()
                .getItems().stream().filter(e -> e.getInvolvedObject().getName().equals("switcher")).toList();
        assertThat(events).anySatisfy(e -> assertThat(e.getReason() + " " + e.getMessage())
                .isEqualTo("Pulled Container image \"registry.example/cached:2.0\" already present on machine"));
        assertThat(events).noneSatisfy(e -> assertThat(e.getReason() + " " + e.getMessage())
                .isEqualTo("Pulling Pulling image \"registry.example/cached:2.0\""));
    }

    @Test
    void waitsInImagePullBackOffAndRecoversWhenTheImageIsFixed() {
        Pods.create(client, twoContainers("broken", "node-3"));
        Pods.awaitReady(client, "default", "broken");

        setImage("broken", "web", "registry.example/fail-pull:2.0");
        Pod failing = Pods.await(client, "default", "broken", p -> status(p, "web").getState().getWaiting() != null
                && "ImagePullBackOff".equals(status(p, "web").getState().getWaiting().getReason()));

        assertThat(PodStates.isReady(failing)).isFalse();
        assertThat(failing.getStatus().getPhase()).isEqualTo("Running");
        assertThat(status(failing, "web").getLastState().getTerminated()).isNotNull();
        assertThat(status(failing, "side").getState().getRunning()).isNotNull();
        assertThat(status(failing, "side").getReady()).isTrue();

        setImage("broken", "web", "registry.example/web:3.0");
        Pod fixed = Pods.await(client, "default", "broken", p -> restartedOn(p, "web", "registry.example/web:3.0", 1));
        assertThat(status(fixed, "side").getRestartCount()).isZero();
    }

    @Test
    void becomesReadyAfterTheReadinessDelayWhenTheContainerHasAProbe() {
        Pods.create(client, new PodBuilder(Pods.pod("probed").editSpec().withNodeName("node-1").editFirstContainer()
                .withImage("registry.example/probed:1.0").withNewReadinessProbe().withNewTcpSocket()
                .withNewPort(80).endTcpSocket().endReadinessProbe().endContainer().endSpec().build()).build());
        Pods.awaitReady(client, "default", "probed");
        List<Watch> watches = new CopyOnWriteArrayList<>();
        List<Pod> seen = record("probed", watches);

        setImage("probed", "app", "registry.example/probed:2.0");
        Pods.await(client, "default", "probed", p -> restartedOn(p, "app", "registry.example/probed:2.0", 1));
        awaitSeen(seen, p -> restartedOn(p, "app", "registry.example/probed:2.0", 1));
        watches.forEach(Watch::close);

        assertThat(seen).anySatisfy(p -> {
            ContainerStatus app = status(p, "app");
            assertThat(app.getRestartCount()).isEqualTo(1);
            assertThat(app.getStarted()).isTrue();
            assertThat(app.getReady()).isFalse();
            assertThat(PodStates.isReady(p)).isFalse();
        });
    }
}
