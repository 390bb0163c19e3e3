package io.jenkins.plugins.kubeplatform.edgevm;

import static io.jenkins.plugins.kubeplatform.edgevm.EdgeFixtures.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kubeplatform.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.core.OperationFailedException;
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
}
