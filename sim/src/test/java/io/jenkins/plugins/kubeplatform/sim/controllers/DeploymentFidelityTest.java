package io.jenkins.plugins.kubeplatform.sim.controllers;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
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
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * The deployment controller as k8s.io/kubernetes pkg/controller/deployment (v1.32) behaves: the new ReplicaSet is the
 * oldest owned one whose template equals the deployment's ignoring {@code pod-template-hash}
 * ({@code FindNewReplicaSet}); a paused deployment is only scaled ({@code sync}/{@code scale}), never rolled.
 */
class DeploymentFidelityTest {

    private static final String NS = "default";

    @AutoClose
    static final SimulatedCluster sim = SimulatedCluster.start(SimOptions.builder().speed(50).build());
    static final KubernetesClient client = sim.client();

    private static Deployment recreate(String name, String image) {
        return new DeploymentBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata().withNewSpec()
                .addNewContainer().withName("app").withImage(image).endContainer().endSpec().endTemplate()
                .withNewStrategy().withType("Recreate").endStrategy().endSpec().build();
    }

    private static Deployment await(String name, Predicate<Deployment> condition) {
        return Pods.await(client.apps().deployments().inNamespace(NS).withName(name),
                d -> d != null && d.getStatus() != null && condition.test(d));
    }

    /** Rolled out: status observed the current generation, one updated available replica, the rollout complete. */
    private static boolean rolledOut(Deployment d, String image) {
        return d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage().equals(image)
                && d.getMetadata().getGeneration().equals(d.getStatus().getObservedGeneration())
                && Integer.valueOf(1).equals(d.getStatus().getUpdatedReplicas())
                && Integer.valueOf(1).equals(d.getStatus().getAvailableReplicas())
                && Integer.valueOf(1).equals(d.getStatus().getReplicas())
                && progressing(d).map(c -> c.getReason().equals("NewReplicaSetAvailable")).orElse(false);
    }

    private static Optional<DeploymentCondition> progressing(Deployment d) {
        return d.getStatus().getConditions() == null ? Optional.empty() : d.getStatus().getConditions().stream()
                .filter(c -> c.getType().equals("Progressing")).findFirst();
    }

    private static List<ReplicaSet> sets(String app) {
        return client.apps().replicaSets().inNamespace(NS).withLabel("app", app).list().getItems();
    }

    private static Pod onlyPod(String app) {
        List<Pod> pods = client.pods().inNamespace(NS).withLabel("app", app).list().getItems();
        assertThat(pods).hasSize(1);
        return pods.get(0);
    }

    /** The deployment's one pod (rolled out, so it exists) once Ready with this image. */
    private static Pod awaitReadyPod(String app, String image) {
        return Pods.await(client, NS, onlyPod(app).getMetadata().getName(), p -> PodStates.isReady(p)
                && image.equals(p.getStatus().getContainerStatuses().get(0).getImage()));
    }

    private static void setImage(String name, String image, boolean paused) {
        client.apps().deployments().inNamespace(NS).withName(name).edit(d -> new DeploymentBuilder(d).editSpec()
                .withPaused(paused).editTemplate().editSpec().editFirstContainer().withImage(image).endContainer()
                .endSpec().endTemplate().endSpec().build());
    }

    private static String revision(io.fabric8.kubernetes.api.model.HasMetadata o) {
        return o.getMetadata().getAnnotations().get("deployment.kubernetes.io/revision");
    }

    private static List<Deployment> record(String name, List<Watch> watches) {
        List<Deployment> seen = new CopyOnWriteArrayList<>();
        watches.add(client.apps().deployments().inNamespace(NS).withName(name).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Deployment d) {
                seen.add(d);
            }

            @Override
            public void onClose(WatcherException cause) {
                // the test closes it
            }
        }));
        return seen;
    }

    @Test
    void reusesTheOldReplicaSetWhenTheTemplateIsReverted() {
        client.apps().deployments().inNamespace(NS).resource(recreate("undo", "nginx:1.26")).create();
        await("undo", d -> rolledOut(d, "nginx:1.26"));
        String first = sets("undo").get(0).getMetadata().getName();
        setImage("undo", "nginx:1.27", false);
        await("undo", d -> rolledOut(d, "nginx:1.27"));

        setImage("undo", "nginx:1.26", false);
        Deployment back = await("undo", d -> rolledOut(d, "nginx:1.26"));

        List<ReplicaSet> sets = sets("undo");
        assertThat(sets).hasSize(2);
        ReplicaSet reused = sets.stream().filter(r -> r.getMetadata().getName().equals(first)).findFirst().orElseThrow();
        assertThat(reused.getSpec().getReplicas()).isEqualTo(1);
        assertThat(revision(reused)).isEqualTo("3");
        assertThat(reused.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision-history", "1");
        assertThat(revision(back)).isEqualTo("3");
    }

    @Test
    void neitherCreatesAReplicaSetNorReplacesThePodWhenAPausedDeploymentChangesItsTemplate() {
        client.apps().deployments().inNamespace(NS).resource(recreate("held", "nginx:1.26")).create();
        await("held", d -> rolledOut(d, "nginx:1.26"));
        String uid = awaitReadyPod("held", "nginx:1.26").getMetadata().getUid();

        setImage("held", "nginx:1.27", true);
        Deployment paused = await("held", d -> d.getMetadata().getGeneration().equals(d.getStatus()
                .getObservedGeneration()) && progressing(d).map(c -> c.getReason().equals("DeploymentPaused"))
                .orElse(false));

        DeploymentCondition condition = progressing(paused).orElseThrow();
        assertThat(condition.getStatus()).isEqualTo("Unknown");
        assertThat(condition.getMessage()).isEqualTo("Deployment is paused");
        assertThat(paused.getStatus().getUpdatedReplicas()).isZero();
        assertThat(paused.getStatus().getAvailableReplicas()).isEqualTo(1);
        assertThat(sets("held")).hasSize(1);
        assertThat(onlyPod("held").getMetadata().getUid()).isEqualTo(uid);
    }

    @Test
    void scalesTheOneActiveReplicaSetWhenAPausedDeploymentIsScaled() {
        client.apps().deployments().inNamespace(NS).resource(recreate("grown", "nginx:1.26")).create();
        await("grown", d -> rolledOut(d, "nginx:1.26"));
        setImage("grown", "nginx:1.27", true);

        client.apps().deployments().inNamespace(NS).withName("grown").edit(d -> new DeploymentBuilder(d).editSpec()
                .withReplicas(2).endSpec().build());
        Deployment scaled = await("grown", d -> Integer.valueOf(2).equals(d.getStatus().getAvailableReplicas()));

        assertThat(sets("grown")).singleElement().satisfies(r -> {
            assertThat(r.getSpec().getReplicas()).isEqualTo(2);
            assertThat(r.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("nginx:1.26");
        });
        assertThat(scaled.getStatus().getUpdatedReplicas()).isZero();
    }

    @Test
    void keepsThePodWhenTheDeploymentReplicaSetAndPodAreUpdatedInPlace() {
        client.apps().deployments().inNamespace(NS).resource(recreate("kept", "registry.example/app:1.0")).create();
        await("kept", d -> rolledOut(d, "registry.example/app:1.0"));
        Pod before = awaitReadyPod("kept", "registry.example/app:1.0");
        String rs = sets("kept").get(0).getMetadata().getName();
        List<Watch> watches = new CopyOnWriteArrayList<>();
        List<Deployment> seen = record("kept", watches);

        setImage("kept", "registry.example/app:2.0", true);
        // the controller has seen the pause (a pause undone before it looks is never reported, as on a real cluster)
        await("kept", d -> d.getMetadata().getGeneration().equals(d.getStatus().getObservedGeneration())
                && progressing(d).map(c -> c.getReason().equals("DeploymentPaused")).orElse(false));
        client.apps().replicaSets().inNamespace(NS).withName(rs).edit(r -> {
            r.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("registry.example/app:2.0");
            return r;
        });
        client.pods().inNamespace(NS).withName(before.getMetadata().getName()).patch(
                PatchContext.of(PatchType.STRATEGIC_MERGE),
                "{\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"registry.example/app:2.0\"}]}}");
        client.apps().deployments().inNamespace(NS).withName("kept").edit(d -> new DeploymentBuilder(d).editSpec()
                .withPaused(false).endSpec().build());
        Deployment done = await("kept", d -> rolledOut(d, "registry.example/app:2.0"));
        Pod after = awaitReadyPod("kept", "registry.example/app:2.0");
        watches.forEach(Watch::close);

        assertThat(sets("kept")).singleElement().satisfies(r -> {
            assertThat(r.getMetadata().getName()).isEqualTo(rs);
            assertThat(revision(r)).isEqualTo("1");
        });
        assertThat(revision(done)).isEqualTo("1");
        assertThat(after.getMetadata().getUid()).isEqualTo(before.getMetadata().getUid());
        assertThat(after.getStatus().getPodIP()).isEqualTo(before.getStatus().getPodIP());
        assertThat(after.getSpec().getNodeName()).isEqualTo(before.getSpec().getNodeName());
        ContainerStatus app = after.getStatus().getContainerStatuses().get(0);
        assertThat(app.getRestartCount()).isEqualTo(1);
        assertThat(app.getState().getRunning()).isNotNull();
        assertThat(seen).anySatisfy(d -> assertThat(progressing(d)).hasValueSatisfying(c -> {
            assertThat(c.getReason()).isEqualTo("DeploymentResumed");
            assertThat(c.getMessage()).isEqualTo("Deployment is resumed");
        }));
    }

    @Test
    void namesANewReplicaSetAfterACollisionWhenAnEditedReplicaSetHoldsTheName() {
        client.apps().deployments().inNamespace(NS).resource(recreate("taken", "nginx:1.26")).create();
        await("taken", d -> rolledOut(d, "nginx:1.26"));
        String rs = sets("taken").get(0).getMetadata().getName();
        setImage("taken", "nginx:1.27", true);
        client.apps().replicaSets().inNamespace(NS).withName(rs).edit(r -> {
            r.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("nginx:1.27");
            return r;
        });
        client.apps().deployments().inNamespace(NS).withName("taken").edit(d -> new DeploymentBuilder(d).editSpec()
                .withPaused(false).endSpec().build());
        await("taken", d -> rolledOut(d, "nginx:1.27"));

        setImage("taken", "nginx:1.26", false);
        Deployment back = await("taken", d -> rolledOut(d, "nginx:1.26"));

        assertThat(back.getStatus().getCollisionCount()).isEqualTo(1);
        List<ReplicaSet> sets = sets("taken");
        assertThat(sets).hasSize(2);
        assertThat(sets).filteredOn(r -> !r.getMetadata().getName().equals(rs)).singleElement().satisfies(r -> {
            assertThat(r.getSpec().getReplicas()).isEqualTo(1);
            assertThat(r.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("nginx:1.26");
            assertThat(revision(r)).isEqualTo("2");
        });
    }
}
