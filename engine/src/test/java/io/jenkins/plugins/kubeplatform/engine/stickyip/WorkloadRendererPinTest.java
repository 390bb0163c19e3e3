package io.jenkins.plugins.kubeplatform.engine.stickyip;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pin is merged into the template's own node affinity, never replacing it. */
class WorkloadRendererPinTest {

    private static Affinity zoneRequired() {
        return new AffinityBuilder().withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .addNewNodeSelectorTerm().addNewMatchExpression().withKey("topology.kubernetes.io/zone")
                .withOperator("In").withValues("eu-central-1a").endMatchExpression().endNodeSelectorTerm()
                .addNewNodeSelectorTerm().addNewMatchExpression().withKey("topology.kubernetes.io/zone")
                .withOperator("In").withValues("eu-central-1b").endMatchExpression().endNodeSelectorTerm()
                .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity()
                .withNewPodAntiAffinity().endPodAntiAffinity().build();
    }

    @Test
    void andsARequiredPinIntoEachOfTheTemplatesRequiredTerms() {
        Affinity merged = WorkloadRenderer.withPin(zoneRequired(), new WorkloadRenderer.Pin("node-2", "node-2", true));

        var terms = merged.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms();
        assertThat(terms).hasSize(2).allSatisfy(t -> assertThat(t.getMatchExpressions())
                .extracting(NodeSelectorRequirement::getKey)
                .containsExactly("topology.kubernetes.io/zone", "kubernetes.io/hostname"));
        assertThat(terms.get(0).getMatchExpressions().get(1).getValues()).isEqualTo(List.of("node-2"));
        assertThat(merged.getPodAntiAffinity()).as("other affinity kept").isNotNull();
    }

    @Test
    void addsAPreferredPinBesideTheTemplatesRequiredTerms() {
        Affinity merged = WorkloadRenderer.withPin(zoneRequired(), new WorkloadRenderer.Pin("node-2", null, false));

        var na = merged.getNodeAffinity();
        assertThat(na.getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms()).hasSize(2)
                .allSatisfy(t -> assertThat(t.getMatchExpressions()).hasSize(1));
        assertThat(na.getPreferredDuringSchedulingIgnoredDuringExecution()).singleElement()
                .satisfies(p -> assertThat(p.getPreference().getMatchFields().get(0).getValues()).containsExactly("node-2"));
    }
}
