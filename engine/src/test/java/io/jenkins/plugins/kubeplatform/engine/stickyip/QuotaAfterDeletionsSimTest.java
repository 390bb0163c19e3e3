package io.jenkins.plugins.kubeplatform.engine.stickyip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A quota that is short only because pods being deleted still count (a quota charges a terminating pod until its
 * grace period has passed) does not fail the deploy: an app torn down just before the deploy that replaces it is a
 * wait, and the ReplicaSets get their pods once those are gone. Pods being deleted that do not make enough room
 * still fail it before any write.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class QuotaAfterDeletionsSimTest {

    @TempDir
    Path stateDir;

    /** The kubelet takes 20 simulated minutes (12 s at speed 100) to stop a deleted pod with a long grace period. */
    @AutoClose
    private final SimulatedCluster sim = TestNamespaces.with(SimulatedCluster.start(SimOptions.builder().speed(100)
            .podTerminationDelay(Duration.ofMinutes(20)).build()));

    private final List<String> warnings = new CopyOnWriteArrayList<>();

    private final Progress progress = Warnings.into(warnings);

    private StickyIpDeployer deployer() {
        return StickyIpDeployerSimTest.onDefaultPool(sim.client(), stateDir);
    }

    private static DeployRequest web(int replicas) {
        return DeployRequest.of("shop", "web", "registry.example.com/web:1", replicas, 8080, "default")
                .withTimeout(Duration.ofSeconds(90));
    }

    private void podQuota(int pods) {
        sim.client().resourceQuotas().inNamespace("shop").resource(new ResourceQuotaBuilder().withNewMetadata()
                .withName("pod-count").endMetadata().withNewSpec().addToHard("pods", new Quantity(String.valueOf(pods)))
                .endSpec().build()).create();
    }

    /** {@code n} running pods of another app, each with an hour's grace period. */
    private void otherPods(int n) {
        for (int i = 1; i <= n; i++) {
            sim.client().pods().inNamespace("shop").resource(new PodBuilder().withNewMetadata().withName("old-" + i)
                    .addToLabels("app", "old").endMetadata().withNewSpec().withTerminationGracePeriodSeconds(3600L)
                    .addNewContainer().withName("old").withImage("busybox:1").endContainer().endSpec().build())
                    .create();
        }
        sim.client().pods().inNamespace("shop").withLabel("app", "old").informOnCondition(pods -> pods.size() == n
                && pods.stream().allMatch(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase())))
                .orTimeout(30, TimeUnit.SECONDS).join();
    }

    /** Deletes {@code n} of the other app's pods (gracefully: they stay Terminating) and waits until all are marked. */
    private void deleteOtherPods(int n) {
        for (int i = 1; i <= n; i++) {
            sim.client().pods().inNamespace("shop").withName("old-" + i).delete();
        }
        sim.client().pods().inNamespace("shop").withLabel("app", "old").informOnCondition(pods -> pods.stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() != null).count() == n)
                .orTimeout(30, TimeUnit.SECONDS).join();
    }

    private void awaitPodUsage(int used) {
        sim.client().resourceQuotas().inNamespace("shop").withName("pod-count").waitUntilCondition(q -> q != null
                && q.getStatus() != null && q.getStatus().getUsed() != null && q.getStatus().getUsed().get("pods") != null
                && q.getStatus().getUsed().get("pods").getNumericalAmount().intValue() == used, 30, TimeUnit.SECONDS);
    }

    @Test
    void aFullQuotaThatPodsBeingDeletedWillFreeWarnsAndTheNewIdentitiesStartOnceTheyAreGone() {
        otherPods(3);
        podQuota(3);
        awaitPodUsage(3);
        deleteOtherPods(3);

        DeployResult result = deployer().deploy(web(2), progress);

        assertThat(result.identities()).hasSize(2);
        assertThat(warnings).anySatisfy(w -> assertThat(w).startsWith("[warn] the ResourceQuota of shop has room for "
                + "the 2 new pod(s) of shop/web only once the 3 pod(s) being deleted there are gone (quota "
                + "shop/pod-count: pods hard 3, used 3, of which 3 by pods being deleted)"));
        assertThat(warnings).as("one warning says why the deploy goes on, not a second about the dry run")
                .noneMatch(w -> w.contains("did not say whether it admits"));
        List<Pod> left = sim.client().pods().inNamespace("shop").withLabel("app", "old").list().getItems();
        assertThat(left).as("the old app's pods went before the new identities got theirs").isEmpty();
    }

    @Test
    void aQuotaWithRoomForOneOfTwoNewIdentitiesUntilAPodBeingDeletedIsGoneWarnsAndDeploys() {
        otherPods(3);
        podQuota(4);
        awaitPodUsage(3);
        deleteOtherPods(1);

        DeployResult result = deployer().deploy(web(2), progress);

        assertThat(result.identities()).hasSize(2);
        assertThat(warnings).anySatisfy(w -> assertThat(w).startsWith("[warn] the ResourceQuota of shop has room for "
                + "the 2 new pod(s) of shop/web only once the 1 pod(s) being deleted there are gone (quota "
                + "shop/pod-count: pods hard 4, used 3, of which 1 by pods being deleted)"));
    }

    @Test
    void podsBeingDeletedThatDoNotMakeRoomForEveryNewIdentityStillFailTheDeployBeforeAnyWrite() {
        otherPods(3);
        podQuota(4);
        awaitPodUsage(3);
        deleteOtherPods(1);

        assertThatThrownBy(() -> deployer().deploy(web(3), progress))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("quota shop/pod-count: pods hard 4, used 3, the 3 new identities need 3 "
                        + "(1 each): room for 1");

        assertThat(sim.client().apps().deployments().inNamespace("shop").list().getItems()).isEmpty();
    }
}
