package io.jenkins.plugins.kubeplatform.engine.repair;

import static io.jenkins.plugins.kubeplatform.engine.repair.Fixtures.ME;
import static io.jenkins.plugins.kubeplatform.engine.repair.Fixtures.OTHER;
import static io.jenkins.plugins.kubeplatform.engine.repair.Fixtures.SETTINGS;
import static io.jenkins.plugins.kubeplatform.engine.repair.Fixtures.T0;
import static io.jenkins.plugins.kubeplatform.engine.repair.Fixtures.pod;
import static io.jenkins.plugins.kubeplatform.engine.repair.Fixtures.ready;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kubeplatform.engine.repair.Decision.Act;
import io.jenkins.plugins.kubeplatform.engine.repair.Decision.RunRepair;
import io.jenkins.plugins.kubeplatform.engine.repair.Decision.Stop;
import io.jenkins.plugins.kubeplatform.engine.repair.Decision.Wait;
import io.jenkins.plugins.kubeplatform.engine.repair.MaintenanceAction.AcquireLease;
import io.jenkins.plugins.kubeplatform.engine.repair.MaintenanceAction.Deregister;
import io.jenkins.plugins.kubeplatform.engine.repair.MaintenanceAction.Enter;
import io.jenkins.plugins.kubeplatform.engine.repair.MaintenanceAction.EvictPass;
import io.jenkins.plugins.kubeplatform.engine.repair.MaintenanceAction.Fail;
import io.jenkins.plugins.kubeplatform.engine.repair.MaintenanceAction.Record;
import io.jenkins.plugins.kubeplatform.engine.repair.MaintenanceAction.Release;
import io.jenkins.plugins.kubeplatform.engine.repair.MaintenanceAction.RenewLease;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RepairPlannerTest {

    private static MaintenanceAction action(Decision d) {
        assertThat(d).isInstanceOf(Act.class);
        return ((Act) d).action();
    }

    private static MaintenanceRecord recorded(Decision d) {
        MaintenanceAction a = action(d);
        assertThat(a).isInstanceOf(Record.class);
        return ((Record) a).record();
    }

    @Test
    void takesAFreeSlotBeforeTouchingTheNode() {
        var o = new Fixtures.Obs();
        o.leases = Fixtures.noLeases();
        assertThat(action(o.decide())).isEqualTo(new AcquireLease(new PoolLeases.FreeSlot(
                "kubeplatform-repair-default-0", Optional.empty())));
    }

    @Test
    void entersMaintenanceRememberingTheNodeWasSchedulable() {
        MaintenanceAction a = action(new Fixtures.Obs().decide());
        assertThat(a).isInstanceOf(Enter.class);
        MaintenanceRecord r = ((Enter) a).record();
        assertThat(r.state()).isEqualTo(MaintenanceState.CORDONED);
        assertThat(r.owner()).isEqualTo(ME);
        assertThat(r.wasUnschedulable()).isFalse();
    }

    @Test
    void remembersThatANodeWasCordonedBeforeTheRepair() {
        var o = new Fixtures.Obs();
        o.node = Fixtures.node(true, Optional.empty(), ready("True", T0));
        assertThat(((Enter) action(o.decide())).record().wasUnschedulable()).isTrue();
    }

    @Test
    void waitsForASlotWhenThePoolIsFull() {
        var o = new Fixtures.Obs();
        o.leases = Fixtures.leaseHeld(OTHER, "n2", T0);
        Decision d = o.decide();
        assertThat(d).isInstanceOf(Wait.class);
        assertThat(((Wait) d).why()).contains("no free repair slot").contains("n2").contains(OTHER);
    }

    @Test
    void defersInsteadOfWaitingInScheduledMode() {
        var o = new Fixtures.Obs();
        o.leases = Fixtures.leaseHeld(OTHER, "n2", T0);
        o.waitForLease = false;
        assertThat(o.decide()).isInstanceOf(Stop.class)
                .extracting(d -> ((Stop) d).outcome()).isEqualTo(RepairOutcome.DEFERRED);
    }

    @Test
    void givesUpWaitingForASlotAfterTheLeaseWaitTimeout() {
        var o = new Fixtures.Obs();
        o.leases = Fixtures.leaseHeld(OTHER, "n2", T0.plus(Duration.ofHours(1)));
        o.now = T0.plus(SETTINGS.leaseWaitTimeout());
        assertThat(((Stop) o.decide()).outcome()).isEqualTo(RepairOutcome.DEFERRED);
    }

    @Test
    void takesAnExpiredSlotAtItsResourceVersion() {
        var o = new Fixtures.Obs();
        o.leases = Fixtures.leaseHeld(OTHER, "n2", T0.minus(SETTINGS.leaseTtl()));
        assertThat(action(o.decide())).isEqualTo(new AcquireLease(new PoolLeases.FreeSlot(
                "kubeplatform-repair-default-0", Optional.of("11"))));
    }

    @Test
    void renewsItsLeaseWhenAThirdOfTheTtlHasPassed() {
        var o = new Fixtures.Obs().recorded(MaintenanceState.DRAINING, T0);
        o.now = T0.plus(SETTINGS.leaseTtl().dividedBy(3));
        assertThat(action(o.decide())).isInstanceOf(RenewLease.class);
    }

    @Test
    void refusesANodeInMaintenanceByAnotherOwnerWithALiveLease() {
        var o = new Fixtures.Obs();
        o.node = Fixtures.node(true, Optional.of(Fixtures.record(OTHER, MaintenanceState.DRAINING, T0)), ready("True", T0));
        o.leases = Fixtures.leaseHeld(OTHER, "n1", T0);
        Stop stop = (Stop) o.decide();
        assertThat(stop.outcome()).isEqualTo(RepairOutcome.REFUSED);
        assertThat(stop.message()).contains(OTHER).contains("DRAINING");
    }

    @Test
    void takesOverFromAnOwnerWhoseLeaseExpiredKeepingItsStateAndCordonMemory() {
        var o = new Fixtures.Obs();
        MaintenanceRecord theirs = new MaintenanceRecord(OTHER, MaintenanceState.DRAINING, T0, true, "", "default", T0);
        o.node = Fixtures.node(true, Optional.of(theirs), ready("True", T0));
        o.leases = Fixtures.leaseHeld(OTHER, "n1", T0.minus(Duration.ofHours(1)));
        o.now = T0.plus(Duration.ofMinutes(1));
        assertThat(action(o.decide())).isInstanceOf(AcquireLease.class);

        o.leases = Fixtures.leaseHeld(ME, "n1", o.now);
        MaintenanceRecord mine = recorded(o.decide());
        assertThat(mine.owner()).isEqualTo(ME);
        assertThat(mine.state()).isEqualTo(MaintenanceState.DRAINING);
        assertThat(mine.wasUnschedulable()).isTrue();
        assertThat(mine.reason()).contains("taken over from " + OTHER);
    }

    @Test
    void refusesAnUnreadableAnnotation() {
        var o = new Fixtures.Obs();
        o.node = new NodeView("n1", "1", java.util.Map.of(), false, List.of(), List.of(), Optional.empty(),
                Optional.of("not a maintenance record: 'x'"));
        assertThat(((Stop) o.decide()).outcome()).isEqualTo(RepairOutcome.REFUSED);
    }

    @Test
    void resumesFromCordonedByMovingToDeregistering() {
        var o = new Fixtures.Obs().recorded(MaintenanceState.CORDONED, T0).pods(pod("web-1", PodRole.SERVING));
        MaintenanceRecord next = recorded(o.decide());
        assertThat(next.state()).isEqualTo(MaintenanceState.DEREGISTERING);
        assertThat(next.reason()).contains("1 serving pod");
    }

    @Test
    void resumesFromDeregisteringByRemovingTheTrafficLabelFromRegisteredPods() {
        var o = new Fixtures.Obs().recorded(MaintenanceState.DEREGISTERING, T0)
                .pods(pod("web-1", PodRole.SERVING), pod("job-1", PodRole.TASK));
        assertThat(action(o.decide())).isEqualTo(new Deregister(List.of("default/web-1")));
    }

    @Test
    void waitsForEndpointsToDropDeregisteredPodsThenForTheGrace() {
        PodView deregistered = new PodView("default", "web-1", PodRole.SERVING, java.util.Map.of(), true, false, false,
                false, true);
        var o = new Fixtures.Obs().recorded(MaintenanceState.DEREGISTERING, T0).pods(deregistered);
        o.services = List.of(new ServiceView("default/web", true, true));
        assertThat(((Wait) o.decide()).why()).contains("endpoints of default/web");

        o.services = List.of(new ServiceView("default/web", false, true));
        assertThat(((Wait) o.decide()).why()).contains("in-flight");

        o.at(T0.plus(SETTINGS.deregistrationGrace()));
        assertThat(recorded(o.decide()).state()).isEqualTo(MaintenanceState.WAITING_FOR_TASKS);
    }

    @Test
    void notesWhenAServiceHasNoEndpointElsewhere() {
        PodView deregistered = new PodView("default", "web-1", PodRole.SERVING, java.util.Map.of(), true, false, false,
                false, true);
        var o = new Fixtures.Obs().recorded(MaintenanceState.DEREGISTERING, T0).pods(deregistered)
                .at(T0.plus(SETTINGS.deregistrationGrace()));
        o.services = List.of(new ServiceView("default/web", false, false));
        assertThat(recorded(o.decide()).reason()).contains("no ready endpoint outside n1 for default/web");
    }

    @Test
    void skipsTheGraceWhenNothingServes() {
        var o = new Fixtures.Obs().recorded(MaintenanceState.DEREGISTERING, T0).pods(pod("x", PodRole.OTHER));
        assertThat(recorded(o.decide()).state()).isEqualTo(MaintenanceState.WAITING_FOR_TASKS);
    }

    @Test
    void resumesWaitingForTasksUntilJobAndAgentPodsFinish() {
        var o = new Fixtures.Obs().recorded(MaintenanceState.WAITING_FOR_TASKS, T0)
                .pods(pod("job-1", PodRole.TASK), pod("agent-1", PodRole.AGENT), pod("web-1", PodRole.SERVING));
        Wait w = (Wait) o.decide();
        assertThat(w.why()).contains("default/job-1").contains("default/agent-1").doesNotContain("web-1");

        PodView finished = new PodView("default", "job-1", PodRole.TASK, java.util.Map.of(), false, true, false, false, false);
        o.pods(finished, pod("web-1", PodRole.SERVING));
        assertThat(recorded(o.decide()).state()).isEqualTo(MaintenanceState.DRAINING);
    }

    @Test
    void evictsTasksStillRunningAtTheTimeoutByDefault() {
        var o = new Fixtures.Obs().recorded(MaintenanceState.WAITING_FOR_TASKS, T0).pods(pod("job-1", PodRole.TASK))
                .at(T0.plus(SETTINGS.taskTimeout()));
        MaintenanceRecord next = recorded(o.decide());
        assertThat(next.state()).isEqualTo(MaintenanceState.DRAINING);
        assertThat(next.reason()).contains("still running").contains("default/job-1");
    }

    @Test
    void failsAtTheTaskTimeoutWhenConfiguredTo() {
        RepairSettings failing = RepairSettings.builder().onTaskTimeout(TaskTimeoutAction.FAIL).build();
        var o = new Fixtures.Obs().recorded(MaintenanceState.WAITING_FOR_TASKS, T0).pods(pod("job-1", PodRole.TASK))
                .at(T0.plus(SETTINGS.taskTimeout()));
        MaintenanceAction a = action(RepairPlanner.decide(o.build(), failing));
        assertThat(a).isInstanceOf(Fail.class);
        assertThat(((Fail) a).record().state()).isEqualTo(MaintenanceState.FAILED);
    }

    @Test
    void resumesDrainingWithAnEvictionPassSkippingDaemonSetPods() {
        var o = new Fixtures.Obs().recorded(MaintenanceState.DRAINING, T0)
                .pods(pod("web-1", PodRole.SERVING), pod("ds-1", PodRole.DAEMON));
        assertThat(action(o.decide())).isInstanceOf(EvictPass.class);

        o.pods(pod("ds-1", PodRole.DAEMON), pod("static", PodRole.MIRROR));
        assertThat(recorded(o.decide()).state()).isEqualTo(MaintenanceState.REPAIRING);
    }

    @Test
    void waitsOutTheBackoffWhenBudgetsBlockAndReportsThem() {
        var o = new Fixtures.Obs().recorded(MaintenanceState.DRAINING, T0).pods(pod("web-1", PodRole.SERVING));
        o.block = Optional.of(new Observation.EvictionBlock(T0.plusSeconds(4), List.of("default/web-1 by default/web-pdb")));
        Wait w = (Wait) o.decide();
        assertThat(w.atMost()).isEqualTo(Duration.ofSeconds(4));
        assertThat(w.why()).contains("default/web-1 by default/web-pdb");

        o.at(T0.plusSeconds(4));
        assertThat(action(o.decide())).isInstanceOf(EvictPass.class);
    }

    @Test
    void failsTheDrainAtItsTimeoutNamingTheBlockingBudget() {
        var o = new Fixtures.Obs().recorded(MaintenanceState.DRAINING, T0).pods(pod("web-1", PodRole.SERVING))
                .at(T0.plus(SETTINGS.drainTimeout()));
        o.block = Optional.of(new Observation.EvictionBlock(T0.plus(Duration.ofHours(1)), List.of("default/web-1 by default/web-pdb")));
        Fail fail = (Fail) action(o.decide());
        assertThat(fail.record().reason()).contains("drain did not finish").contains("default/web-pdb");
    }

    @Test
    void waitsForEvictedPodsToTerminate() {
        PodView leaving = new PodView("default", "web-1", PodRole.OTHER, java.util.Map.of(), true, false, true, false, false);
        var o = new Fixtures.Obs().recorded(MaintenanceState.DRAINING, T0).pods(leaving);
        assertThat(((Wait) o.decide()).why()).contains("terminate");
    }

    @Test
    void resumesRepairingByRunningTheRepairAgain() {
        var o = new Fixtures.Obs().recorded(MaintenanceState.REPAIRING, T0);
        assertThat(o.decide()).isInstanceOf(RunRepair.class);
        o.repair = RepairStatus.RUNNING;
        assertThat(o.decide()).isInstanceOf(Wait.class);
        o.repair = RepairStatus.succeeded();
        assertThat(recorded(o.decide()).state()).isEqualTo(MaintenanceState.VERIFYING);
        o.repair = RepairStatus.failed("fsck found errors");
        assertThat(((Fail) action(o.decide())).record().reason()).isEqualTo("repair failed: fsck found errors");
    }

    @Test
    void releasesOnlyAfterTheNodeWasHealthyForTheWholeWindow() {
        Instant becameReady = T0.plusSeconds(30);
        var o = new Fixtures.Obs().recorded(MaintenanceState.VERIFYING, T0, ready("True", becameReady));
        o.at(becameReady.plus(SETTINGS.stabilizationWindow()).minusSeconds(1));
        assertThat(o.decide()).isInstanceOf(Wait.class);
        o.at(becameReady.plus(SETTINGS.stabilizationWindow()));
        assertThat(action(o.decide())).isInstanceOf(Release.class);
    }

    @Test
    void keepsVerifyingWhileAFaultConditionIsTrueAndFailsAtTheTimeout() {
        NodeView.Condition deadlock = new NodeView.Condition("KernelDeadlock", "True", Optional.of(T0), "DockerHung");
        var o = new Fixtures.Obs().recorded(MaintenanceState.VERIFYING, T0, ready("True", T0.minusSeconds(600)), deadlock);
        o.at(T0.plusSeconds(120));
        assertThat(((Wait) o.decide()).why()).contains("KernelDeadlock=True (DockerHung)");
        o.at(T0.plus(SETTINGS.verifyTimeout()));
        Fail fail = (Fail) action(o.decide());
        assertThat(fail.record().reason()).contains("verification failed").contains("KernelDeadlock=True");
        assertThat(fail.record().state()).isEqualTo(MaintenanceState.FAILED);
    }

    @Test
    void reportsItsOwnFailedRecordWhenResumed() {
        var o = new Fixtures.Obs().recorded(MaintenanceState.FAILED, T0);
        o.fresh = false;
        assertThat(((Stop) o.decide()).outcome()).isEqualTo(RepairOutcome.FAILED);
    }

    @Test
    void startsOverFromAFailedRecordOnANewRun() {
        var o = new Fixtures.Obs().recorded(MaintenanceState.FAILED, T0);
        MaintenanceRecord next = recorded(o.decide());
        assertThat(next.state()).isEqualTo(MaintenanceState.CORDONED);
        assertThat(next.reason()).startsWith("starting over after FAILED");
    }

    @Test
    void startsOverFromAnotherOwnersAbortedRecordWithoutWaitingForItsLease() {
        var o = new Fixtures.Obs();
        o.node = Fixtures.node(true, Optional.of(Fixtures.record(OTHER, MaintenanceState.ABORTED, T0)), ready("True", T0));
        MaintenanceRecord next = recorded(o.decide());
        assertThat(next.owner()).isEqualTo(ME);
        assertThat(next.state()).isEqualTo(MaintenanceState.CORDONED);
    }

    @Test
    void saysTheNodeStaysCordonedWhenItWasCordonedBeforeTheRepair() {
        var o = new Fixtures.Obs();
        o.node = Fixtures.node(true, Optional.empty(), ready("True", T0));
        assertThat(((Enter) action(o.decide())).record().reason())
                .isEqualTo("tainted (it was already cordoned; it stays cordoned after the repair)");
        assertThat(((Enter) action(new Fixtures.Obs().decide())).record().reason()).isEqualTo("cordoned and tainted");
    }

    @Test
    void failsItsOwnRepairWhenItLostItsSlotAndNoneFreesUpWithinTheLeaseWaitTimeout() {
        var o = new Fixtures.Obs().recorded(MaintenanceState.DRAINING, T0);
        o.now = T0.plus(SETTINGS.leaseWaitTimeout());
        o.leases = Fixtures.leaseHeld(OTHER, "n2", o.now);
        Fail fail = (Fail) action(o.decide());
        assertThat(fail.record().state()).isEqualTo(MaintenanceState.FAILED);
        assertThat(fail.record().reason()).startsWith("lost its repair slot and pool default has no free repair slot");
    }

    @Test
    void countsOnlyActiveServingPodsWhenLeavingCordoned() {
        PodView finishedServer = new PodView("default", "web-0", PodRole.SERVING, java.util.Map.of(), false, true,
                false, true, false);
        var o = new Fixtures.Obs().recorded(MaintenanceState.CORDONED, T0)
                .pods(finishedServer, pod("job-1", PodRole.TASK));
        assertThat(recorded(o.decide()).reason()).isEqualTo("no serving pods to take out of Service endpoints");
    }

    @Test
    void movesOnWithANoteWhenEndpointsStillListDeregisteredPodsAtTheDeregistrationTimeout() {
        PodView deregistered = new PodView("default", "web-1", PodRole.SERVING, java.util.Map.of(), true, false, false,
                false, true);
        var o = new Fixtures.Obs().recorded(MaintenanceState.DEREGISTERING, T0).pods(deregistered)
                .at(T0.plus(SETTINGS.deregistrationTimeout()));
        o.services = List.of(new ServiceView("default/web", true, true));
        MaintenanceRecord next = recorded(o.decide());
        assertThat(next.state()).isEqualTo(MaintenanceState.WAITING_FOR_TASKS);
        assertThat(next.reason()).isEqualTo("no tasks running; note: endpoints of default/web still listed "
                + "deregistered pods after PT2M");
    }

    @Test
    void leavesNoNoteWhenEveryServiceIsReadyElsewhereAndCountsTheTasks() {
        PodView deregistered = new PodView("default", "web-1", PodRole.SERVING, java.util.Map.of(), true, false, false,
                false, true);
        var o = new Fixtures.Obs().recorded(MaintenanceState.DEREGISTERING, T0)
                .pods(deregistered, pod("job-1", PodRole.TASK)).at(T0.plus(SETTINGS.deregistrationGrace()));
        o.services = List.of(new ServiceView("default/web", false, true));
        assertThat(recorded(o.decide()).reason()).isEqualTo("waiting for 1 task(s) to finish");
    }

    /** A pod evicted at {@code since}, still terminating. */
    private static PodView terminating(String name, Instant since) {
        return new PodView("default", name, PodRole.OTHER, java.util.Map.of(), true, false, true, false, false,
                Optional.of(since));
    }

    @Test
    void stopsWaitingForPodsTerminatingMoreThanFiveMinutesOnAnUnreachableNodeAndRunsTheRepair() {
        NodeView.Condition unknown = new NodeView.Condition("Ready", "Unknown", Optional.of(T0),
                "NodeStatusUnknown");
        Instant now = T0.plus(Duration.ofMinutes(7));
        var o = new Fixtures.Obs().recorded(MaintenanceState.DRAINING, T0, unknown)
                .pods(terminating("web-1", T0.plus(Duration.ofSeconds(30))), terminating("web-2", T0.plus(Duration.ofMinutes(1))))
                .at(now);
        MaintenanceRecord next = recorded(o.decide());
        assertThat(next.state()).isEqualTo(MaintenanceState.REPAIRING);
        assertThat(next.reason()).isEqualTo("node drained but for 2 pod(s) terminating for more than PT5M on the "
                + "unreachable node, no longer waited for: default/web-1, default/web-2; running the repair");
    }

    @Test
    void waitsOnAnUnreachableNodeForPodsTerminatingForLessThanFiveMinutes() {
        NodeView.Condition unknown = new NodeView.Condition("Ready", "Unknown", Optional.of(T0),
                "NodeStatusUnknown");
        var o = new Fixtures.Obs().recorded(MaintenanceState.DRAINING, T0, unknown)
                .pods(terminating("web-1", T0.plus(Duration.ofMinutes(2))), terminating("web-2", T0.plus(Duration.ofMinutes(1))))
                .at(T0.plus(Duration.ofMinutes(4)));
        Wait wait = (Wait) o.decide();
        assertThat(wait.why()).isEqualTo("waiting for 2 evicted pod(s) to terminate: default/web-1, default/web-2");
        // one past five minutes, one not: only the other is no longer waited for
        o.at(T0.plus(Duration.ofMinutes(6).plusSeconds(30)));
        assertThat(((Wait) o.decide()).why()).isEqualTo("waiting for 1 evicted pod(s) to terminate: default/web-1");
    }

    @Test
    void keepsWaitingForTerminatingPodsOfANodeWhoseKubeletStillReports() {
        // Ready False (the kubelet reports, and stops the pods) and Ready True: the drain waits as before
        for (String status : List.of("False", "True")) {
            var o = new Fixtures.Obs().recorded(MaintenanceState.DRAINING, T0,
                            new NodeView.Condition("Ready", status, Optional.of(T0), ""))
                    .pods(terminating("web-1", T0)).at(T0.plus(Duration.ofMinutes(10)));
            assertThat(o.decide()).as(status).isInstanceOf(Wait.class);
        }
    }

    @Test
    void namesThePodsStillTerminatingWhenTheDrainTimesOut() {
        PodView leaving = new PodView("default", "web-1", PodRole.OTHER, java.util.Map.of(), true, false, true, false,
                false);
        var o = new Fixtures.Obs().recorded(MaintenanceState.DRAINING, T0).pods(leaving)
                .at(T0.plus(SETTINGS.drainTimeout()));
        assertThat(((Fail) action(o.decide())).record().reason())
                .isEqualTo("drain did not finish within PT15M: still terminating: default/web-1");
    }

    @Test
    void doesNotReleaseANodeThatIsNotReadyOrHasNoReadyCondition() {
        NodeView.Condition notReady = new NodeView.Condition("Ready", "False", Optional.of(T0), "KubeletNotReady");
        var o = new Fixtures.Obs().recorded(MaintenanceState.VERIFYING, T0, notReady)
                .at(T0.plus(SETTINGS.stabilizationWindow()));
        assertThat(((Wait) o.decide()).why()).isEqualTo("waiting for the node to be healthy: Ready=False (KubeletNotReady)");

        o.recorded(MaintenanceState.VERIFYING, T0, ready("Unknown", T0));
        assertThat(((Wait) o.decide()).why()).isEqualTo("waiting for the node to be healthy: Ready=Unknown");

        NodeView.Condition deadlockCleared = new NodeView.Condition("KernelDeadlock", "False", Optional.of(T0), "");
        o.recorded(MaintenanceState.VERIFYING, T0, deadlockCleared);
        assertThat(((Wait) o.decide()).why()).isEqualTo("waiting for the node to be healthy: Ready=missing");
    }

    @Test
    void namesATrueFaultConditionWithoutAReasonByItsTypeOnly() {
        NodeView.Condition deadlock = new NodeView.Condition("KernelDeadlock", "True", Optional.of(T0), "");
        var o = new Fixtures.Obs().recorded(MaintenanceState.VERIFYING, T0, ready("True", T0.minusSeconds(600)),
                deadlock).at(T0.plusSeconds(10));
        assertThat(((Wait) o.decide()).why()).isEqualTo("waiting for the node to be healthy: KernelDeadlock=True");
    }

    @Test
    void countsTheStabilizationWindowFromEnteringVerificationNotFromAnOlderReadyTransition() {
        var o = new Fixtures.Obs().recorded(MaintenanceState.VERIFYING, T0, ready("True", T0.minus(Duration.ofDays(1))));
        o.at(T0.plus(SETTINGS.stabilizationWindow()).minusSeconds(1));
        assertThat(o.decide()).isInstanceOf(Wait.class);
        o.at(T0.plus(SETTINGS.stabilizationWindow()));
        assertThat(action(o.decide())).isInstanceOf(Release.class);
    }

    @Test
    void restartsTheStabilizationWindowWhenAFaultConditionClearedDuringVerification() {
        Instant cleared = T0.plusSeconds(60);
        NodeView.Condition deadlockCleared = new NodeView.Condition("KernelDeadlock", "False", Optional.of(cleared), "");
        var o = new Fixtures.Obs().recorded(MaintenanceState.VERIFYING, T0, ready("True", T0.minus(Duration.ofDays(1))),
                deadlockCleared);
        o.at(cleared.plus(SETTINGS.stabilizationWindow()).minusSeconds(1));
        assertThat(o.decide()).isInstanceOf(Wait.class);
        o.at(cleared.plus(SETTINGS.stabilizationWindow()));
        assertThat(action(o.decide())).isInstanceOf(Release.class);
    }
}
