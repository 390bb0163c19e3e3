package io.jenkins.plugins.kubeplatform.engine.repair;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.kube.ApiRetry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The "Node repairs" board against the simulated cluster: failed and stuck repairs are listed and released. */
class RepairBoardSimTest {

    static final RepairSettings SETTINGS = NodeRepairSimTest.FAST;
    static final String N1 = RepairSimCluster.N1;

    RepairSimCluster cluster;
    KubernetesClient client;
    final ApiRetry retry = RepairSimCluster.retry();

    @BeforeEach
    void start() {
        cluster = RepairSimCluster.start();
        client = cluster.client;
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    RepairBoard board() {
        return new RepairBoard(client, retry, SETTINGS, Clock.systemUTC());
    }

    @Test
    void listsAFailedRepairWithItsReasonAndReleasesItWhenAsked() throws Exception {
        new NodeRepairer(client, retry, SETTINGS, Clock.systemUTC()).repair(RepairRequest.of(N1, "jenkins:ops/fix#4"),
                (node, p) -> {
                    throw new IllegalStateException("disk /dev/sdb still read-only");
                }, Progress.silent());

        List<RepairBoard.Entry> entries = board().list();
        assertThat(entries).singleElement().satisfies(e -> {
            assertThat(e.node()).isEqualTo(N1);
            assertThat(e.record().state()).isEqualTo(MaintenanceState.FAILED);
            assertThat(e.record().reason()).isEqualTo("repair failed: disk /dev/sdb still read-only");
            assertThat(e.record().owner()).isEqualTo("jenkins:ops/fix#4");
            assertThat(e.releasable()).isTrue();
        });

        assertThat(board().release(N1)).isEqualTo(RepairBoard.ReleaseOutcome.RELEASED);

        Node node = client.nodes().withName(N1).get();
        assertThat(node.getSpec().getUnschedulable()).isNotEqualTo(Boolean.TRUE);
        assertThat(node.getMetadata().getAnnotations()).doesNotContainKey(MaintenanceRecord.ANNOTATION);
        assertThat(node.getSpec().getTaints() == null ? List.of() : node.getSpec().getTaints())
                .noneMatch(t -> RepairSettings.TAINT_KEY.equals(t.getKey()));
        assertThat(board().list()).isEmpty();
        assertThat(board().release(N1)).isEqualTo(RepairBoard.ReleaseOutcome.NOT_UNDER_REPAIR);
    }

    @Test
    void refusesToReleaseWhenTheRepairIsStillRunning() {
        Instant since = Instant.now().minusSeconds(5);
        writeRecord(N1, new MaintenanceRecord("jenkins:ops/fix#5", MaintenanceState.DRAINING, since, false, "", "default",
                since));

        assertThat(board().list()).singleElement().satisfies(e -> {
            assertThat(e.stuck()).isFalse();
            assertThat(e.releasable()).isFalse();
        });
        assertThat(board().release(N1)).isEqualTo(RepairBoard.ReleaseOutcome.STILL_RUNNING);
        assertThat(client.nodes().withName(N1).get().getMetadata().getAnnotations())
                .containsKey(MaintenanceRecord.ANNOTATION);
    }

    @Test
    void marksARepairStuckWhenItOutlivedItsStateTimeoutAndLease() {
        // FAST: drainTimeout 30s plus leaseTtl 30s; 2 minutes in DRAINING is past both
        Instant since = Instant.now().minus(Duration.ofMinutes(2));
        writeRecord(N1, new MaintenanceRecord("jenkins:ops/fix#6", MaintenanceState.DRAINING, since, false, "", "default",
                since));

        assertThat(board().list()).singleElement().satisfies(e -> assertThat(e.stuck()).isTrue());
        assertThat(board().release(N1)).isEqualTo(RepairBoard.ReleaseOutcome.RELEASED);
        assertThat(client.nodes().withName(N1).get().getSpec().getUnschedulable()).isNotEqualTo(Boolean.TRUE);
    }

    private void writeRecord(String node, MaintenanceRecord record) {
        client.nodes().withName(node).edit(n -> {
            n.getMetadata().getAnnotations().put(MaintenanceRecord.ANNOTATION, record.toJson());
            n.getSpec().setUnschedulable(true);
            return n;
        });
    }
}
