package io.jenkins.plugins.kubeplatform.engine.edgevm;

import static io.jenkins.plugins.kubeplatform.engine.edgevm.EdgeFixtures.T0;
import static io.jenkins.plugins.kubeplatform.engine.edgevm.EdgeFixtures.record;
import static io.jenkins.plugins.kubeplatform.engine.edgevm.EdgeFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.store.StateStore.Update;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VmPlacementTest {

    private final EdgeSettings settings = EdgeFixtures.settings();

    @Test
    void countsTheLargerOfRecordedAndObservedNodesPerCluster() {
        Inventory inventory = new Inventory(List.of(record("demo", "a", "paris", "edge-par", 1, 512, VmState.RUNNING),
                record("demo", "b", "paris", "edge-par", 1, 512, VmState.RUNNING),
                record("demo", "c", "paris", "edge-fra", 1, 512, VmState.DELETED)), List.of());

        Map<String, Integer> nodes = VmPlacement.clusterViews(settings, inventory, Map.of("edge-fra", 1, "edge-par", 1))
                .stream().collect(java.util.stream.Collectors.toMap(ClusterPlanner.ClusterView::name,
                        ClusterPlanner.ClusterView::nodes));

        assertThat(nodes).containsExactlyInAnyOrderEntriesOf(Map.of("edge-fra", 1, "edge-par", 2, "edge-ams", 0));
    }

    @Test
    void numbersTheVmNameWhileALiveVmHoldsIt() {
        Inventory inventory = new Inventory(List.of(record("demo", "web", "paris", "edge-par", 1, 512,
                VmState.RUNNING).toBuilder().name("old").build(), VmRecord.builder().vm("demo-web-2").name("other")
                .tenant("demo").site("paris").namespace("edge-paris").edgeCluster("edge-par").cpu(1).memoryMi(512)
                .diskGi(10).image("x").state(VmState.IDLE).start(T0).build()),
                List.of());

        assertThat(VmPlacement.freeVmName(inventory, request("web", "demo", 1, "1Gi"))).isEqualTo("demo-web-3");
        assertThat(VmPlacement.freeVmName(Inventory.empty(), request("web", "demo", 1, "1Gi"))).isEqualTo("demo-web");
    }

    @Test
    void addsANewProvisioningVmWithItsPlacementExplained() {
        EdgeVmRequest inParis = EdgeVmRequest.of("web", "demo", 2, "4Gi", "10Gi", "quay.io/containerdisks/ubuntu:22.04",
                false, "48.85,2.35", null, null, null, null);

        Update<Inventory, CreateDecision> placed = VmPlacement.place(settings, Inventory.empty(), inParis, Map.of(), T0);

        CreateDecision.Fresh fresh = (CreateDecision.Fresh) placed.result();
        assertThat(fresh.record().vm()).isEqualTo("demo-web");
        assertThat(fresh.record().site()).isEqualTo("paris");
        assertThat(fresh.record().namespace()).isEqualTo("edge-paris");
        assertThat(fresh.record().edgeCluster()).isEqualTo("edge-par");
        assertThat(fresh.record().state()).isEqualTo(VmState.PROVISIONING);
        assertThat(fresh.record().start()).isEqualTo(T0);
        assertThat(fresh.newCluster()).isFalse();
        assertThat(fresh.explanation().get(0)).startsWith("quota ok: 1/3 VMs, 2/6 vCPU");
        assertThat(placed.state().live()).containsExactly(fresh.record());
        assertThat(placed.state().createdClusters()).isEmpty();
    }

    @Test
    void recordsANewClusterForAnExclusiveRequest() {
        EdgeVmRequest exclusive = EdgeVmRequest.of("web", "demo", 1, "1Gi", "10Gi", "quay.io/containerdisks/ubuntu:22.04",
                true, "48.85,2.35", null, null, null, null);

        Update<Inventory, CreateDecision> placed = VmPlacement.place(settings, Inventory.empty(), exclusive, Map.of(),
                T0);

        CreateDecision.Fresh fresh = (CreateDecision.Fresh) placed.result();
        assertThat(fresh.newCluster()).isTrue();
        assertThat(fresh.record().edgeCluster()).startsWith("edge-new");
        assertThat(placed.state().createdClusters()).singleElement().satisfies(c -> {
            assertThat(c.settings().name()).isEqualTo(fresh.record().edgeCluster());
            assertThat(c.exclusive()).isTrue();
            assertThat(c.site()).isEqualTo("paris");
            assertThat(c.created()).isEqualTo(T0);
        });
    }

    @Test
    void refusesBeyondTheQuotaBeforeChoosingASite() {
        assertThatThrownBy(() -> VmPlacement.place(settings, Inventory.empty(), request("web", "demo", 7, "1Gi"),
                Map.of(), T0)).isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo("cpu"));
    }
}
