package io.jenkins.plugins.kubeplatform.engine.repair;

import static io.jenkins.plugins.kubeplatform.engine.repair.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FaultDetectorTest {

    private static final DetectRules RULES = new DetectRules(Duration.ofMinutes(5),
            List.of("KernelDeadlock", "ReadonlyFilesystem"), List.of("example.com/broken"));

    private static NodeView node(String name, List<String> taints, Optional<MaintenanceRecord> record,
                                 NodeView.Condition... conditions) {
        return new NodeView(name, "1", Map.of(), false, taints, List.of(conditions), record, Optional.empty());
    }

    @Test
    void findsANodeNotReadyForLongerThanTheRule() {
        var n = node("n1", List.of(), Optional.empty(), Fixtures.ready("False", T0.minus(Duration.ofMinutes(6))));
        assertThat(FaultDetector.detect(List.of(n), RULES, T0)).singleElement()
                .satisfies(f -> assertThat(f.faults()).singleElement().asString().startsWith("Ready=False since"));
    }

    @Test
    void ignoresANodeThatWentNotReadyOnlyRecently() {
        var n = node("n1", List.of(), Optional.empty(), Fixtures.ready("Unknown", T0.minus(Duration.ofMinutes(4))));
        assertThat(FaultDetector.detect(List.of(n), RULES, T0)).isEmpty();
    }

    @Test
    void findsNodeProblemDetectorConditionsAndTaints() {
        var n = node("n1", List.of("example.com/broken"), Optional.empty(), Fixtures.ready("True", T0),
                new NodeView.Condition("ReadonlyFilesystem", "True", Optional.of(T0), "FilesystemIsReadOnly"),
                new NodeView.Condition("KernelDeadlock", "False", Optional.of(T0), ""));
        assertThat(FaultDetector.detect(List.of(n), RULES, T0).get(0).faults())
                .containsExactly("ReadonlyFilesystem=True (FilesystemIsReadOnly)", "taint example.com/broken");
    }

    @Test
    void leavesHealthyNodesOut() {
        var n = node("n1", List.of(), Optional.empty(), Fixtures.ready("True", T0));
        assertThat(FaultDetector.detect(List.of(n), RULES, T0)).isEmpty();
    }

    @Test
    void skipsFaultyNodesThatAreInMaintenanceOrLeftFailed() {
        var busy = node("n1", List.of(), Optional.of(Fixtures.record("x", MaintenanceState.DRAINING, T0)),
                Fixtures.ready("False", T0.minus(Duration.ofHours(1))));
        var failed = node("n2", List.of(), Optional.of(Fixtures.record("y", MaintenanceState.FAILED, T0)),
                Fixtures.ready("False", T0.minus(Duration.ofHours(1))));
        var findings = FaultDetector.detect(List.of(busy, failed), RULES, T0);
        assertThat(findings.get(0).skip()).hasValueSatisfying(s -> assertThat(s).contains("in maintenance by x"));
        assertThat(findings.get(1).skip()).hasValueSatisfying(s -> assertThat(s).contains("left FAILED by y"));
    }

    @Test
    void findsANodeNotReadyForExactlyTheRuleDuration() {
        var n = node("n1", List.of(), Optional.empty(), Fixtures.ready("False", T0.minus(Duration.ofMinutes(5))));
        assertThat(FaultDetector.detect(List.of(n), RULES, T0)).singleElement()
                .satisfies(f -> assertThat(f.faults()).containsExactly("Ready=False since " + T0.minus(Duration.ofMinutes(5))));
    }

    @Test
    void findsANodeWithoutAReadyConditionAtOnce() {
        var n = node("n1", List.of(), Optional.empty());
        assertThat(FaultDetector.detect(List.of(n), RULES, T0)).singleElement()
                .satisfies(f -> assertThat(f.faults()).containsExactly("Ready=missing"));
    }

    @Test
    void namesATrueConditionWithoutReasonByItsTypeOnly() {
        var n = node("n1", List.of(), Optional.empty(), Fixtures.ready("True", T0),
                new NodeView.Condition("KernelDeadlock", "True", Optional.of(T0), ""));
        assertThat(FaultDetector.detect(List.of(n), RULES, T0).get(0).faults()).containsExactly("KernelDeadlock=True");
    }

    @Test
    void skipsAFaultyNodeWhoseMaintenanceAnnotationCannotBeRead() {
        var n = new NodeView("n1", "1", Map.of(), false, List.of("example.com/broken"), List.of(Fixtures.ready("True", T0)),
                Optional.empty(), Optional.of("not JSON"));
        assertThat(FaultDetector.detect(List.of(n), RULES, T0)).singleElement()
                .satisfies(f -> assertThat(f.skip()).contains("maintenance annotation cannot be read: not JSON"));
    }

    @Test
    void leavesANodeReadyForLongerThanTheRuleOut() {
        var n = node("n1", List.of(), Optional.empty(), Fixtures.ready("True", T0.minus(Duration.ofDays(3))));
        assertThat(FaultDetector.detect(List.of(n), RULES, T0)).isEmpty();
    }

    @Test
    void detectsByDefaultReadyNotTrueForFiveMinutesAndTheConfiguredFaultConditions() {
        DetectRules defaults = DetectRules.defaults(Fixtures.SETTINGS);
        assertThat(defaults.notReadyFor()).isEqualTo(Duration.ofMinutes(5));
        assertThat(defaults.conditions()).isEqualTo(Fixtures.SETTINGS.faultConditions());
        assertThat(defaults.taints()).isEmpty();
    }
}
