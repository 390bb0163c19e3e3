package io.jenkins.plugins.kubeplatform.repair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.AbortException;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.kube.ApiRetry;
import io.jenkins.plugins.kubeplatform.engine.repair.NodeRepairer;
import io.jenkins.plugins.kubeplatform.engine.repair.RepairBoard;
import io.jenkins.plugins.kubeplatform.engine.repair.RepairRequest;
import io.jenkins.plugins.kubeplatform.engine.repair.RepairSettings;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The "Node repairs" page model over the simulated cluster: a failed repair is shown with its reason and released. */
class NodeRepairsPageTest {

    static final RepairSettings SETTINGS = RepairSettings.builder().maxConcurrent(1).leaseTtl(Duration.ofSeconds(30))
            .leaseWaitTimeout(Duration.ofSeconds(20)).deregistrationGrace(Duration.ofMillis(200))
            .deregistrationTimeout(Duration.ofSeconds(5)).taskTimeout(Duration.ofSeconds(20))
            .drainTimeout(Duration.ofSeconds(30)).repairTimeout(Duration.ofSeconds(10))
            .verifyTimeout(Duration.ofSeconds(10)).stabilizationWindow(Duration.ofMillis(300))
            .recheckInterval(Duration.ofSeconds(1)).build();

    SimulatedCluster sim;
    KubernetesClient client;
    final ApiRetry retry = new ApiRetry(6, Duration.ofMillis(20), Duration.ofMillis(200), d -> Thread.sleep(d.toMillis()));

    @BeforeEach
    void start() {
        sim = io.jenkins.plugins.kubeplatform.common.SimNamespaces.with(SimulatedCluster.start(SimOptions.builder().builtInControllers(false).build()));
        client = sim.client();
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void showsAFailedRepairWithReasonAndBuildLinkAndReleasesIt() throws Exception {
        new NodeRepairer(client, retry, SETTINGS, Clock.systemUTC()).repair(
                RepairRequest.of("node-2", "jenkins:team a/disk-fix#12"), (node, p) -> {
                    throw new IllegalStateException("fsck found bad blocks");
                }, Progress.silent());
        RepairBoard board = new RepairBoard(client, retry, SETTINGS, Clock.systemUTC());

        RepairsViewModel page = RepairsViewModel.of(board.list(), Instant.now());

        assertThat(page.rows()).singleElement().satisfies(r -> {
            assertThat(r.node()).isEqualTo("node-2");
            assertThat(r.pool()).isEqualTo("default");
            assertThat(r.state()).isEqualTo("FAILED");
            assertThat(r.reason()).isEqualTo("repair failed: fsck found bad blocks");
            assertThat(r.buildUrl()).isEqualTo("job/team%20a/job/disk-fix/12/");
            assertThat(r.releasable()).isTrue();
            assertThat(r.toMap()).containsEntry("reason", "repair failed: fsck found bad blocks")
                    .containsEntry("build", "job/team%20a/job/disk-fix/12/");
        });

        NodeRepairsLink.release(board, "node-2");

        assertThat(RepairsViewModel.of(board.list(), Instant.now()).rows()).isEmpty();
        assertThat(client.nodes().withName("node-2").get().getSpec().getUnschedulable()).isNotEqualTo(Boolean.TRUE);
        assertThatThrownBy(() -> NodeRepairsLink.release(board, "node-2")).isInstanceOf(AbortException.class)
                .hasMessageContaining("not under repair");
    }

    @Test
    void linksNoBuildWhenTheOwnerIsNotABuild() {
        assertThat(RepairsViewModel.buildUrl("cli:alice@host")).isEmpty();
        assertThat(RepairsViewModel.buildUrl("jenkins:folder/job#")).isEmpty();
        assertThat(RepairsViewModel.buildUrl("jenkins:folder/job#7")).isEqualTo("job/folder/job/job/7/");
    }
}
