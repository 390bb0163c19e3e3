package io.jenkins.plugins.kubeplatform.engine.edgevm;

import static io.jenkins.plugins.kubeplatform.engine.edgevm.EdgeFixtures.T0;
import static io.jenkins.plugins.kubeplatform.engine.edgevm.EdgeFixtures.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException;
import java.util.List;
import org.junit.jupiter.api.Test;

class EdgeInventoryTest {

    private final EdgeSettings settings = EdgeFixtures.settings();

    @Test
    void findsACreatedClusterAndFailsNamingTheSettingForAnUnknownOne() {
        EdgeSettings.EdgeCluster created = EdgeSettings.EdgeCluster.builder().name("edge-new-1").location("48.86,2.35")
                .maxNodes(4).joinMethod("k3s").server("https://x:6443").build();
        Inventory inventory = new Inventory(List.of(), List.of(new EdgeClusterRecord(created, "paris", false, T0)));

        assertThat(EdgeInventory.edgeCluster(settings, "edge-new-1", inventory)).isEqualTo(created);
        assertThat(EdgeInventory.edgeCluster(settings, "edge-par", inventory).maxNodes()).isEqualTo(4);
        assertThatThrownBy(() -> EdgeInventory.edgeCluster(settings, "gone", inventory))
                .isInstanceOf(OperationFailedException.class).hasMessageContaining("edge.edgeClusters");
    }

    @Test
    void keepsAReleaseMadeDuringTheSyncAndMergesOnlyItsCounters() {
        VmRecord seen = record("demo", "web", "paris", "edge-par", 1, 1024, VmState.RUNNING);
        VmRecord released = seen.toBuilder().state(VmState.IDLE).build();
        VmRecord next = seen.toBuilder().attempts(1).build().observed("NotReady", T0);

        assertThat(EdgeInventory.mergeSync(seen, seen, next)).isEqualTo(next);
        VmRecord merged = EdgeInventory.mergeSync(released, seen, next);
        assertThat(merged.state()).isEqualTo(VmState.IDLE);
        assertThat(merged.attempts()).isEqualTo(1);
        assertThat(merged.observed()).isEqualTo("NotReady");
        assertThat(merged.observedSince()).isEqualTo(T0);
    }

    @Test
    void asksForTheTenantWhenTwoTenantsUseTheName(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        EdgeInventory inventory = new EdgeInventory(settings, EdgeVmEngine.inventoryStore(dir));
        inventory.update(inv -> io.jenkins.plugins.kubeplatform.engine.store.StateStore.Update.to(inv
                .add(record("demo", "web", "paris", "edge-par", 1, 1024, VmState.RUNNING))
                .add(record("acme", "web", "paris", "edge-par", 1, 1024, VmState.RUNNING)), null));

        assertThatThrownBy(() -> inventory.findLive(null, "web")).isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo("tenant"));
        assertThat(inventory.find("acme", "web").vm()).isEqualTo("acme-web");
        assertThatThrownBy(() -> inventory.find("other", "web")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("no edge VM named 'web' for tenant 'other' is in the inventory");
    }
}
