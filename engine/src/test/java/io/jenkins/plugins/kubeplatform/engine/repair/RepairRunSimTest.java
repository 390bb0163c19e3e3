package io.jenkins.plugins.kubeplatform.engine.repair;

import static io.jenkins.plugins.kubeplatform.engine.repair.RepairSimCluster.N1;
import static io.jenkins.plugins.kubeplatform.engine.repair.RepairSimCluster.N2;
import static io.jenkins.plugins.kubeplatform.engine.repair.RepairSimCluster.N3;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.kube.ApiRetry;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The engine's repair run driven turn by turn, as the Pipeline step drives it, including a restart of its driver. */
class RepairRunSimTest {

    /** Two repair slots in the default pool; tasks may run up to 60 s. */
    static final RepairSettings TWO = RepairSimCluster.fastSettings().maxConcurrent(2)
            .taskTimeout(Duration.ofSeconds(60)).build();
    static final DetectRules RULES = new DetectRules(Duration.ofSeconds(1), List.of("KernelDeadlock"), List.of());

    RepairSimCluster cluster;
    SimulatedCluster sim;
    KubernetesClient client;
    final List<String> log = Collections.synchronizedList(new ArrayList<>());
    final ApiRetry retry = RepairSimCluster.retry();
    /** A minute ahead: the faults have lasted longer than the rule's second without sleeping. */
    final Clock later = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(1));

    @BeforeEach
    void start() {
        cluster = RepairSimCluster.start();
        sim = cluster.sim;
        client = cluster.client;
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    /** Records what the run asks of its driver; a repair ends when the test says so. */
    static class RecordingPort implements RepairRun.Port {
        final List<String> started = Collections.synchronizedList(new ArrayList<>());
        final List<String> watched = Collections.synchronizedList(new ArrayList<>());
        final List<String> finished = Collections.synchronizedList(new ArrayList<>());
        int saves;

        @Override
        public void startRepair(String node) {
            started.add(node);
        }

        @Override
        public void watch(String node) {
            watched.add(node);
        }

        @Override
        public void nodeFinished(RepairResult result) {
            finished.add(result.node() + " " + result.outcome());
        }

        @Override
        public void saveState() {
            saves++;
        }
    }

    @Test
    void repairsTwoFaultyNodesAtOnceAndResumesBothFromTheSerializedStateInANewRun() throws Exception {
        sim.nodes().fail(N2);
        cluster.setCondition(N3, "KernelDeadlock", "True");
        cluster.createPod("batch-2", N2, "Job", "batch");
        RepairRunState state = RepairRunState.forPool("default", RULES, "test/cron#7");
        RepairRun first = run(state);
        RecordingPort before = new RecordingPort();

        await(() -> turn(first, before) instanceof RunTurn.Waiting && before.started.contains(N3)
                && cluster.state(N2).equals("WAITING_FOR_TASKS"), "node-3 repairing while node-2 waits for its task");

        assertThat(state.getActive().keySet()).as("both in progress at once (two slots)").containsExactly(N2, N3);
        assertThat(state.getActive().get(N2).getPhase()).isEqualTo("WAITING_FOR_TASKS");
        assertThat(state.getActive().get(N2).isCordoned()).isTrue();
        assertThat(List.of(state.getActive().get(N2).getLease(), state.getActive().get(N3).getLease()))
                .as("each holds one of the pool's two slots").containsExactlyInAnyOrder(
                        PoolLeases.slotName("default", 0), PoolLeases.slotName("default", 1));
        assertThat(state.getActive().get(N3).isRepairRunning()).isTrue();
        assertThat(state.getReports()).extracting(RepairRunState.NodeReport::getOutcome).containsOnly("QUEUED");
        assertThat(before.watched).containsExactly(N2, N3);
        assertThat(before.saves).as("saved before the repair action started").isPositive();
        String json = new ObjectMapper().writeValueAsString(state);
        assertThat(json).contains("\"pool\":\"default\"").contains("\"phase\":\"WAITING_FOR_TASKS\"")
                .contains("\"repairRunning\":true")
                .contains("\"lease\":\"" + PoolLeases.slotName("default", 0));

        // the driver is gone; a new one reads the state back and continues; node-3's repair ends meanwhile
        RepairRunState restored = roundTrip(state);
        RepairRun second = run(restored);
        RecordingPort after = new RecordingPort();
        cluster.setCondition(N3, "KernelDeadlock", "False");
        second.repairEnded(N3, true, "");
        cluster.finishJob("batch-2");
        AtomicReference<RunTurn> last = new AtomicReference<>();
        await(() -> {
            RunTurn t = turn(second, after);
            if (after.started.contains(N2) && second.activeNodes().contains(N2)
                    && restored.getActive().get(N2).isRepairRunning()) {
                sim.nodes().recover(N2);
                second.repairEnded(N2, true, "");
            }
            last.set(t);
            return t instanceof RunTurn.Finished;
        }, "both repaired");

        RunTurn.Finished done = (RunTurn.Finished) last.get();
        assertThat(done.node()).isEmpty();
        assertThat(done.report().nodesChecked()).isEqualTo(3);
        assertThat(done.report().nodes()).extracting(ScheduledReport.Entry::node).containsExactly(N2, N3);
        assertThat(done.report().nodes()).allSatisfy(e -> assertThat(e.outcome()).isEqualTo("REPAIRED"));
        assertThat(after.started).as("node-3's repair ran once, before the restart").containsExactly(N2);
        assertThat(after.watched).containsExactly(N2, N3);
        assertThat(done.report().nodes().get(0).timeline()).extracting(TimelineEntry::state)
                .as("resumed where the node's record was, not started over").doesNotContain("CORDONED");
        assertThat(cluster.state(N2)).isEmpty();
        assertThat(cluster.state(N3)).isEmpty();
    }

    @Test
    void repairsOneNamedNodeAndHandsBackItsResult() throws Exception {
        RepairRun run = run(RepairRunState.forNode(N1, "test/one#1"));
        RecordingPort port = new RecordingPort() {
            @Override
            public void startRepair(String node) {
                super.startRepair(node);
                run.repairEnded(node, false, "disk still broken");
            }
        };
        AtomicReference<RunTurn> last = new AtomicReference<>();

        await(() -> {
            last.set(turn(run, port));
            return last.get() instanceof RunTurn.Finished;
        }, "the repair ends");

        RunTurn.Finished done = (RunTurn.Finished) last.get();
        assertThat(done.node()).hasValueSatisfying(r -> {
            assertThat(r.outcome()).isEqualTo(RepairOutcome.FAILED);
            assertThat(r.message()).contains("disk still broken");
        });
        assertThat(done.anyFailed()).isTrue();
        assertThat(port.finished).containsExactly(N1 + " FAILED");
        assertThat(client.nodes().withName(N1).get().getSpec().getUnschedulable()).as("stays cordoned").isTrue();
    }

    @Test
    void abortsEveryNodeInProgressAndLeavesThemCordoned() throws Exception {
        cluster.createPod("batch-1", N1, "Job", "batch");
        RepairRunState state = RepairRunState.forNode(N1, "test/abort#1");
        RepairRun run = run(state);
        RecordingPort port = new RecordingPort();
        await(() -> turn(run, port) instanceof RunTurn.Waiting && cluster.state(N1).equals("WAITING_FOR_TASKS"),
                "waiting for the task");

        List<String> lines = run(roundTrip(state)).abort("build aborted");

        assertThat(lines).singleElement().asString().contains("aborted in WAITING_FOR_TASKS").contains("stays cordoned");
        assertThat(cluster.state(N1)).isEqualTo("ABORTED");
    }

    private RepairRun run(RepairRunState state) {
        return new RepairRun(client, retry, TWO, later, Progress.lines(log::add), Optional.empty(), state);
    }

    private static RunTurn turn(RepairRun run, RepairRun.Port port) {
        try {
            return run.advance(port);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static RepairRunState roundTrip(RepairRunState state) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(state);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (RepairRunState) in.readObject();
        }
    }

    private static void await(java.util.concurrent.Callable<Boolean> condition, String what) {
        Awaitility.await(what).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(condition);
    }

}
