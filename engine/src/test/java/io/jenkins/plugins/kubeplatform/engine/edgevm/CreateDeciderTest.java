package io.jenkins.plugins.kubeplatform.engine.edgevm;

import static io.jenkins.plugins.kubeplatform.engine.edgevm.EdgeFixtures.T0;
import static io.jenkins.plugins.kubeplatform.engine.edgevm.EdgeFixtures.record;
import static io.jenkins.plugins.kubeplatform.engine.edgevm.EdgeFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kubeplatform.engine.store.StateStore.Update;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CreateDeciderTest {

    private final EdgeSettings settings = EdgeFixtures.settings();

    @Test
    void convergesTheExistingVmWithoutChangingTheInventory() {
        VmRecord web = record("demo", "web", "paris", "edge-par", 2, 2048, VmState.RUNNING);
        Inventory inventory = new Inventory(List.of(web), List.of());

        Update<Inventory, CreateDecision> decided = CreateDecider.decide(settings, inventory,
                request("web", "demo", 2, "2Gi"), Map.of(), T0);

        assertThat(decided.result()).isEqualTo(new CreateDecision.Existing(web));
        assertThat(decided.changed()).isFalse();
    }

    @Test
    void reusesAnIdleVmBeforePlacingANewOne() {
        VmRecord idle = record("demo", "old", "paris", "edge-par", 2, 2048, VmState.IDLE);
        Inventory inventory = new Inventory(List.of(idle), List.of());

        Update<Inventory, CreateDecision> decided = CreateDecider.decide(settings, inventory,
                request("web", "demo", 1, "1Gi"), Map.of(), T0);

        CreateDecision.Reuse reuse = (CreateDecision.Reuse) decided.result();
        assertThat(reuse.before()).isEqualTo(idle);
        assertThat(reuse.record().name()).isEqualTo("web");
        assertThat(decided.state().live()).containsExactly(reuse.record());
    }

    @Test
    void placesANewVmWhenNoIdleOneFits() {
        VmRecord idle = record("demo", "old", "paris", "edge-par", 1, 1024, VmState.IDLE);
        Inventory inventory = new Inventory(List.of(idle), List.of());

        Update<Inventory, CreateDecision> decided = CreateDecider.decide(settings, inventory,
                request("web", "demo", 2, "1Gi"), Map.of(), T0);

        assertThat(decided.result()).isInstanceOf(CreateDecision.Fresh.class);
        assertThat(decided.state().live()).extracting(VmRecord::vm).containsExactly("demo-old", "demo-web");
    }
}
