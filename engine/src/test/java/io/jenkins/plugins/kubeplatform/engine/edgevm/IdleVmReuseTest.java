package io.jenkins.plugins.kubeplatform.engine.edgevm;

import static io.jenkins.plugins.kubeplatform.engine.edgevm.EdgeFixtures.record;
import static io.jenkins.plugins.kubeplatform.engine.edgevm.EdgeFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class IdleVmReuseTest {

    private static Inventory of(VmRecord... records) {
        return new Inventory(List.of(records), List.of());
    }

    @Test
    void picksTheSmallestIdleVmThatFitsWhenSeveralDo() {
        Inventory inventory = of(record("demo", "big", "paris", "edge-par", 4, 8192, VmState.IDLE),
                record("demo", "small", "paris", "edge-par", 2, 4096, VmState.IDLE),
                record("demo", "tiny", "paris", "edge-par", 1, 4096, VmState.IDLE));

        assertThat(IdleVmReuse.candidate(inventory, request("web", "demo", 2, "2Gi")))
                .map(VmRecord::vm).contains("demo-small");
    }

    @Test
    void ignoresRunningVmsOtherTenantsAndOtherImages() {
        VmRecord otherImage = VmRecord.builder().vm("demo-x").name("x").tenant("demo").site("paris")
                .namespace("edge-paris").edgeCluster("edge-par").node("demo-x").cpu(8).memoryMi(8192).diskGi(10)
                .image("quay.io/containerdisks/fedora:40").state(VmState.IDLE).start(EdgeFixtures.T0).build();
        Inventory inventory = of(record("demo", "busy", "paris", "edge-par", 8, 8192, VmState.RUNNING),
                record("acme", "idle", "paris", "edge-par", 8, 8192, VmState.IDLE), otherImage);

        assertThat(IdleVmReuse.candidate(inventory, request("web", "demo", 1, "1Gi"))).isEmpty();
    }

    @Test
    void takesTheTenantsIdleVmOfTheSameNameEvenWhenAnotherIsSmaller() {
        Inventory inventory = of(record("demo", "web", "paris", "edge-par", 4, 8192, VmState.IDLE),
                record("demo", "small", "paris", "edge-par", 1, 1024, VmState.IDLE));

        assertThat(IdleVmReuse.candidate(inventory, request("web", "demo", 1, "1Gi")))
                .map(VmRecord::vm).contains("demo-web");
    }

    @Test
    void findsNothingWhenTheSameNameIsLiveAndBusy() {
        Inventory inventory = of(record("demo", "web", "paris", "edge-par", 4, 8192, VmState.RUNNING),
                record("demo", "spare", "paris", "edge-par", 4, 8192, VmState.IDLE));

        assertThat(IdleVmReuse.candidate(inventory, request("web", "demo", 1, "1Gi"))).isEmpty();
    }

    @Test
    void doesNotReuseAVmOfAnExclusiveClusterForASharedRequest() {
        VmRecord idle = record("demo", "old", "paris", "edge-par", 4, 8192, VmState.IDLE);
        EdgeSettings.EdgeCluster own = EdgeFixtures.settings().edgeCluster("edge-par").orElseThrow();
        Inventory exclusive = new Inventory(List.of(idle), List.of(new EdgeClusterRecord(own, "paris", true,
                EdgeFixtures.T0)));

        assertThat(IdleVmReuse.candidate(exclusive, request("web", "demo", 1, "1Gi"))).isEmpty();
        assertThat(IdleVmReuse.candidate(of(idle), request("web", "demo", 1, "1Gi"))).contains(idle);
    }

    @Test
    void reusesAnIdleVmExactlyAsLargeAsTheRequest() {
        // record(): 2 vCPU, 4096Mi, 10Gi disk; request(): 2 vCPU, 4Gi = 4096Mi, 10Gi disk. "At least the size" (EVM-3).
        VmRecord idle = record("demo", "old", "paris", "edge-par", 2, 4096, VmState.IDLE);

        assertThat(IdleVmReuse.candidate(of(idle), request("web", "demo", 2, "4Gi"))).contains(idle);
    }

    @Test
    void reusesAVmOfASharedCreatedClusterOrOfAnotherExclusiveCluster() {
        VmRecord idle = record("demo", "old", "paris", "edge-par", 4, 8192, VmState.IDLE);
        EdgeSettings settings = EdgeFixtures.settings();
        EdgeSettings.EdgeCluster own = settings.edgeCluster("edge-par").orElseThrow();
        EdgeSettings.EdgeCluster other = settings.edgeCluster("edge-fra").orElseThrow();
        Inventory shared = new Inventory(List.of(idle), List.of(new EdgeClusterRecord(own, "paris", false,
                EdgeFixtures.T0), new EdgeClusterRecord(other, "frankfurt", true, EdgeFixtures.T0)));

        assertThat(IdleVmReuse.candidate(shared, request("web", "demo", 1, "1Gi"))).contains(idle);
    }

    @Test
    void reusedVmTakesTheNewNameAndRunsOnceItsNodeIsKnown() {
        VmRecord joined = record("demo", "old", "paris", "edge-par", 4, 8192, VmState.IDLE);
        VmRecord neverJoined = record("demo", "old", "paris", "edge-par", 4, 8192, VmState.PROVISIONING)
                .toBuilder().state(VmState.IDLE).build();

        VmRecord running = IdleVmReuse.reused(joined, request("web", "demo", 1, "1Gi"));
        VmRecord provisioning = IdleVmReuse.reused(neverJoined, request("web", "demo", 1, "1Gi"));

        assertThat(running.name()).isEqualTo("web");
        assertThat(running.vm()).isEqualTo("demo-old");
        assertThat(running.state()).isEqualTo(VmState.RUNNING);
        assertThat(provisioning.state()).isEqualTo(VmState.PROVISIONING);
    }
}
