package io.jenkins.plugins.kubeplatform.engine.edgevm;

import static io.jenkins.plugins.kubeplatform.engine.edgevm.EdgeFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SyncDeciderTest {

    static final SyncDecider.Timeouts TIMEOUTS = new SyncDecider.Timeouts(Duration.ofMinutes(10),
            Duration.ofMinutes(5), 2);

    static SyncDecider.Observation vm(String status, Boolean nodeReady) {
        return new SyncDecider.Observation(true, Optional.of(status), Optional.ofNullable(nodeReady),
                Optional.of("10.0.2.2"));
    }

    static final SyncDecider.Observation MISSING = new SyncDecider.Observation(false, Optional.empty(),
            Optional.empty(), Optional.empty());

    private VmRecord record = EdgeFixtures.record("demo", "web", "paris", "edge-par", 2, 2048, VmState.PROVISIONING);

    private SyncDecider.Action step(SyncDecider.Observation seen, Duration at) {
        SyncDecider.Decision d = SyncDecider.decide(record, seen, T0.plus(at), TIMEOUTS);
        record = d.next();
        return d.action();
    }

    @Test
    void recordsTheNodeWhenRunningAndReady() {
        assertThat(step(vm("Running", true), Duration.ZERO)).isInstanceOf(SyncDecider.MarkJoined.class);
        assertThat(record.state()).isEqualTo(VmState.RUNNING);
        assertThat(record.node()).isEqualTo("demo-web");
        assertThat(record.address()).isEqualTo("10.0.2.2");
        assertThat(step(vm("Running", true), Duration.ofMinutes(1))).isInstanceOf(SyncDecider.Wait.class);
    }

    @Test
    void recreatesAVmStuckStartingOnlyAfterTheStartTimeout() {
        assertThat(step(vm("Starting", null), Duration.ZERO)).isInstanceOf(SyncDecider.Wait.class);
        assertThat(step(vm("Starting", null), Duration.ofMinutes(9))).isInstanceOf(SyncDecider.Wait.class);
        assertThat(step(vm("Starting", null), Duration.ofMinutes(10))).isEqualTo(new SyncDecider.Recreate(
                "demo-web: VM Starting, node missing for 10m, past the start timeout; deleting and recreating it "
                        + "(attempt 1 of 2)", 1));
        assertThat(record.attempts()).isEqualTo(1);
    }

    @Test
    void honoursTheAttemptLimitThenGivesUp() {
        step(vm("CrashLoopBackOff", null), Duration.ZERO);
        assertThat(step(vm("CrashLoopBackOff", null), Duration.ofMinutes(10))).isInstanceOf(SyncDecider.Recreate.class);
        // The recreated VM gets a full start timeout again.
        assertThat(step(vm("Starting", null), Duration.ofMinutes(15))).isInstanceOf(SyncDecider.Wait.class);
        assertThat(step(vm("ErrorUnschedulable", null), Duration.ofMinutes(20))).isInstanceOf(SyncDecider.Recreate.class);
        assertThat(step(vm("ErrorUnschedulable", null), Duration.ofMinutes(30))).isInstanceOf(SyncDecider.GiveUp.class);
        assertThat(record.state()).isEqualTo(VmState.FAILED);
        assertThat(step(vm("ErrorUnschedulable", null), Duration.ofMinutes(60))).isInstanceOf(SyncDecider.Wait.class);
    }

    @Test
    void flappingBetweenFailingStatusesKeepsOneTimer() {
        step(vm("Starting", null), Duration.ZERO);
        step(vm("CrashLoopBackOff", null), Duration.ofMinutes(4));
        step(vm("Starting", null), Duration.ofMinutes(8));
        assertThat(step(vm("CrashLoopBackOff", null), Duration.ofMinutes(10))).isInstanceOf(SyncDecider.Recreate.class);
    }

    @Test
    void aHealthyObservationResetsTheTimer() {
        step(vm("Running", false), Duration.ZERO);
        step(vm("Running", true), Duration.ofMinutes(4));
        assertThat(step(vm("Running", false), Duration.ofMinutes(6))).isInstanceOf(SyncDecider.Wait.class);
        assertThat(step(vm("Running", false), Duration.ofMinutes(10))).isInstanceOf(SyncDecider.Wait.class);
        assertThat(step(vm("Running", false), Duration.ofMinutes(11))).isInstanceOf(SyncDecider.Restart.class);
    }

    @Test
    void restartsARunningVmWhoseNodeNeverJoined() {
        step(vm("Running", null), Duration.ZERO);
        SyncDecider.Action action = step(vm("Running", null), Duration.ofMinutes(5));
        assertThat(action).isInstanceOf(SyncDecider.Restart.class);
        assertThat(action.reason()).contains("node missing").contains("past the join timeout");
        // The restart resets the timer: no second restart right away.
        assertThat(step(vm("Running", null), Duration.ofMinutes(6))).isInstanceOf(SyncDecider.Wait.class);
    }

    @Test
    void recreatesAMissingVmAfterTheStartTimeout() {
        record = record.toBuilder().state(VmState.RUNNING).build();
        step(MISSING, Duration.ZERO);
        assertThat(step(MISSING, Duration.ofMinutes(10))).isInstanceOf(SyncDecider.Recreate.class);
    }

    @Test
    void waitsWhileKubeVirtIsMigratingOrStopping() {
        step(vm("Migrating", null), Duration.ZERO);
        assertThat(step(vm("Migrating", null), Duration.ofHours(1))).isInstanceOf(SyncDecider.Wait.class);
    }

    @Test
    void describesWhatItSawOfTheVmAndItsNode() {
        assertThat(MISSING.describe()).isEqualTo("VM missing");
        assertThat(vm("Running", false).describe()).isEqualTo("VM Running, node NotReady");
        assertThat(vm("Running", true).describe()).isEqualTo("VM Running, node Ready");
        assertThat(vm("Starting", null).describe()).isEqualTo("VM Starting, node missing");
        assertThat(new SyncDecider.Observation(true, Optional.empty(), Optional.empty(), Optional.empty()).describe())
                .isEqualTo("VM (no status yet), node missing");
    }

    @Test
    void writesDurationsFromTwoMinutesOnInWholeMinutes() {
        assertThat(SyncDecider.human(Duration.ofSeconds(119))).isEqualTo("119s");
        assertThat(SyncDecider.human(Duration.ofSeconds(120))).isEqualTo("2m");
        assertThat(SyncDecider.human(Duration.ofSeconds(179))).isEqualTo("2m");
    }
}
