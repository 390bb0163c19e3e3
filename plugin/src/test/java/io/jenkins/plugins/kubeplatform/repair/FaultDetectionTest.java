package io.jenkins.plugins.kubeplatform.repair;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class FaultDetectionTest {

    @Test
    void keepsEachNameWhenPipelineGivesAList() {
        FaultDetection d = new FaultDetection();
        d.setConditions(List.of("KernelDeadlock", "ReadonlyFilesystem"));
        assertThat(d.getConditions()).containsExactly("KernelDeadlock", "ReadonlyFilesystem");
    }

    @Test
    void splitsTheTextWhenAFormSubmitsOneCommaSeparatedEntry() {
        // Stapler binds a text box value for a List<String> property as a one-element list
        FaultDetection d = new FaultDetection();
        d.setTaints(List.of(" example.com/broken,  node.kubernetes.io/unreachable "));
        assertThat(d.getTaints()).containsExactly("example.com/broken", "node.kubernetes.io/unreachable");
        assertThat(d.getTaintsText()).isEqualTo("example.com/broken, node.kubernetes.io/unreachable");
    }

    @Test
    void detectsNothingExtraWhenTheStepGivesNoDetection() {
        RepairNodeStep step = new RepairNodeStep();
        step.setDetect(null);
        assertThat(step.getDetect().getNotReadyFor()).isEmpty();
        assertThat(step.getDetect().getConditions()).isEmpty();
    }
}
