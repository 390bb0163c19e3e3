package io.jenkins.plugins.kubeplatform.engine.edgevm;

import static io.jenkins.plugins.kubeplatform.engine.edgevm.EdgeFixtures.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException;
import java.util.List;
import org.junit.jupiter.api.Test;

class SitePlacementTest {

    private final EdgeSettings settings = EdgeFixtures.settings();

    private static EdgeVmRequest near(String location) {
        return EdgeVmRequest.of("web", "demo", 2, "4Gi", "10Gi", "quay.io/containerdisks/ubuntu:22.04", false,
                location, null, null, null, null);
    }

    @Test
    void choosesTheClosestSiteWithCapacity() {
        // Mainz is 35 km from Frankfurt and 450 km from Paris.
        assertThat(SitePlacement.choose(settings, near("49.99,8.27"), List.of()).site().name()).isEqualTo("frankfurt");
        // Lyon is closer to Paris.
        assertThat(SitePlacement.choose(settings, near("45.76,4.83"), List.of()).site().name()).isEqualTo("paris");
    }

    @Test
    void skipsTheClosestSiteWhenItIsFull() {
        List<VmRecord> live = List.of(record("acme", "a", "frankfurt", "edge-fra", 4, 1024, VmState.RUNNING),
                record("acme", "b", "frankfurt", "edge-fra", 3, 1024, VmState.IDLE));

        SitePlacement.Choice choice = SitePlacement.choose(settings, near("49.99,8.27"), live);

        assertThat(choice.site().name()).isEqualTo("paris");
        assertThat(choice.explanation()).anySatisfy(l -> assertThat(l)
                .startsWith("site frankfurt: free 1 vCPU").endsWith("(too little free capacity)"));
    }

    @Test
    void deletedVmsFreeTheirCapacity() {
        List<VmRecord> live = List.of(record("acme", "a", "frankfurt", "edge-fra", 8, 1024, VmState.DELETED));

        assertThat(SitePlacement.choose(settings, near("49.99,8.27"), live).site().name()).isEqualTo("frankfurt");
    }

    @Test
    void prefersTheRequestedZoneWithoutCoordinates() {
        // Without a zone, frankfurt wins the tie on free vCPU share by name; zone par-1 must turn that round.
        EdgeVmRequest anywhere = EdgeVmRequest.of("web", "demo", 1, "1Gi", "1Gi", "quay.io/x/y:1", false, null,
                null, null, null, null);
        EdgeVmRequest inParis = EdgeVmRequest.of("web", "demo", 1, "1Gi", "1Gi", "quay.io/x/y:1", false, null,
                null, "par-1", null, null);

        assertThat(SitePlacement.choose(settings, anywhere, List.of()).site().name()).isEqualTo("frankfurt");
        assertThat(SitePlacement.choose(settings, inParis, List.of()).site().name()).isEqualTo("paris");
    }

    @Test
    void prefersTheRequestedZoneOverMoreFreeCapacityElsewhere() {
        // paris is half full, frankfurt empty: free share alone would pick frankfurt.
        List<VmRecord> live = List.of(record("acme", "a", "paris", "edge-par", 4, 1024, VmState.RUNNING));
        EdgeVmRequest anywhere = EdgeVmRequest.of("web", "demo", 1, "1Gi", "1Gi", "quay.io/x/y:1", false, null,
                null, null, null, null);
        EdgeVmRequest inParis = EdgeVmRequest.of("web", "demo", 1, "1Gi", "1Gi", "quay.io/x/y:1", false, null,
                null, "par-1", null, null);

        assertThat(SitePlacement.choose(settings, anywhere, live).site().name()).isEqualTo("frankfurt");
        assertThat(SitePlacement.choose(settings, inParis, live).site().name()).isEqualTo("paris");
    }

    @Test
    void failsBeforeAnythingWhenNoSiteHasRoom() {
        EdgeVmRequest big = EdgeVmRequest.of("web", "acme", 20, "1Gi", "1Gi", "quay.io/x/y:1", false, null, null,
                null, null, null);

        assertThatThrownBy(() -> SitePlacement.choose(settings, big, List.of()))
                .isInstanceOf(OperationFailedException.class).hasMessageContaining("No edge site can host 20 vCPU")
                .hasMessageContaining("nothing was created");
    }

    @Test
    void rejectsAnUnknownRequestedSite() {
        EdgeVmRequest request = EdgeVmRequest.of("web", "demo", 1, "1Gi", "1Gi", "quay.io/x/y:1", false, null, null,
                null, "tokyo", null);

        assertThatThrownBy(() -> SitePlacement.choose(settings, request, List.of()))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("site:");
    }

    @Test
    void takesASiteWhoseFreeCapacityIsExactlyTheRequest() {
        // frankfurt (8 vCPU, 16Gi, 4 VMs) keeps exactly 2 vCPU, 4Gi and one VM slot free
        List<VmRecord> live = List.of(record("acme", "a", "frankfurt", "edge-fra", 2, 4096, VmState.RUNNING),
                record("acme", "b", "frankfurt", "edge-fra", 2, 4096, VmState.RUNNING),
                record("acme", "c", "frankfurt", "edge-fra", 2, 4096, VmState.IDLE));
        EdgeVmRequest exact = EdgeVmRequest.of("web", "demo", 2, "4Gi", "10Gi", "quay.io/x/y:1", false, "49.99,8.27",
                null, null, null, null);

        SitePlacement.Choice choice = SitePlacement.choose(settings, exact, live);

        assertThat(choice.site().name()).isEqualTo("frankfurt");
        assertThat(choice.explanation()).contains("site frankfurt: free 2 vCPU, 4Gi, 1 VM slot(s), 32 km away",
                "site paris: free 16 vCPU, 32Gi, 8 VM slot(s), 446 km away",
                "site chosen: frankfurt (closest with capacity to 49.9900,8.2700)");
    }

    @Test
    void refusesASiteThatLacksOneVmSlotMemoryOrCpu() {
        EdgeVmRequest small = EdgeVmRequest.of("web", "demo", 1, "1Gi", "10Gi", "quay.io/x/y:1", false, "49.99,8.27",
                null, null, null, null);
        List<VmRecord> noSlot = List.of(record("acme", "a", "frankfurt", "edge-fra", 1, 1024, VmState.RUNNING),
                record("acme", "b", "frankfurt", "edge-fra", 1, 1024, VmState.RUNNING),
                record("acme", "c", "frankfurt", "edge-fra", 1, 1024, VmState.RUNNING),
                record("acme", "d", "frankfurt", "edge-fra", 1, 1024, VmState.RUNNING));
        List<VmRecord> noMemory = List.of(record("acme", "a", "frankfurt", "edge-fra", 1, 16 * 1024, VmState.RUNNING));
        List<VmRecord> noCpu = List.of(record("acme", "a", "frankfurt", "edge-fra", 8, 1024, VmState.RUNNING));

        assertThat(SitePlacement.choose(settings, small, noSlot).site().name()).isEqualTo("paris");
        assertThat(SitePlacement.choose(settings, small, noMemory).site().name()).isEqualTo("paris");
        assertThat(SitePlacement.choose(settings, small, noCpu).site().name()).isEqualTo("paris");
        assertThat(SitePlacement.choose(settings, small, noSlot).explanation())
                .contains("site frankfurt: free 4 vCPU, 12Gi, 0 VM slot(s), 32 km away (too little free capacity)");
    }

    @Test
    void prefersTheLargerFreeCpuShareWhenNoLocationIsGiven() {
        // frankfurt is a quarter used (share 0.75), paris empty (share 1.0): the name order alone would pick frankfurt
        List<VmRecord> live = List.of(record("acme", "a", "frankfurt", "edge-fra", 2, 1024, VmState.RUNNING));
        EdgeVmRequest anywhere = EdgeVmRequest.of("web", "demo", 1, "1Gi", "1Gi", "quay.io/x/y:1", false, null,
                null, null, null, null);

        SitePlacement.Choice choice = SitePlacement.choose(settings, anywhere, live);

        assertThat(choice.site().name()).isEqualTo("paris");
        assertThat(choice.explanation()).last().isEqualTo("site chosen: paris (best location match, then most free vCPU)");
    }

    @Test
    void prefersTheRequestedRegionWhenNoZoneIsGiven() {
        EdgeVmRequest inEuWest = EdgeVmRequest.of("web", "demo", 1, "1Gi", "1Gi", "quay.io/x/y:1", false, null,
                "eu-west", null, null, null);

        assertThat(SitePlacement.choose(settings, inEuWest, List.of()).site().name()).isEqualTo("paris");
    }

    @Test
    void saysTheRequestedSiteWasChosenBecauseItWasRequested() {
        EdgeVmRequest request = EdgeVmRequest.of("web", "demo", 1, "1Gi", "1Gi", "quay.io/x/y:1", false, null, null,
                null, "paris", null);

        SitePlacement.Choice choice = SitePlacement.choose(settings, request, List.of());

        assertThat(choice.site().name()).isEqualTo("paris");
        assertThat(choice.explanation()).containsExactly("site paris: free 16 vCPU, 32Gi, 8 VM slot(s)",
                "site chosen: paris (requested)");
    }
}
