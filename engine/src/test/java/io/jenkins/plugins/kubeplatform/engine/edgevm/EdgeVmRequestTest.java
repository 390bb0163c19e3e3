package io.jenkins.plugins.kubeplatform.engine.edgevm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import org.junit.jupiter.api.Test;

class EdgeVmRequestTest {

    private static EdgeVmRequest of(String name, int cpu, String memory, String image, String location) {
        return EdgeVmRequest.of(name, "demo", cpu, memory, "10Gi", image, false, location, null, null, null, null);
    }

    @Test
    void parsesSizesAndLocation() {
        EdgeVmRequest r = of("web", 2, "1.5Gi", "quay.io/containerdisks/fedora:40", "48.85,2.35");

        assertThat(r.memoryMi()).isEqualTo(1536);
        assertThat(r.diskGi()).isEqualTo(10);
        assertThat(r.location()).contains(new GeoPoint(48.85, 2.35));
        assertThat(r.vmName()).isEqualTo("demo-web");
        assertThat(r.image()).isInstanceOf(ImageSource.ContainerDisk.class);
    }

    @Test
    void namesTheFieldThatBreaksARule() {
        assertThatThrownBy(() -> of("Web_1", 1, "1Gi", "quay.io/x:1", null)).hasMessageStartingWith("name:");
        assertThatThrownBy(() -> of("web", 0, "1Gi", "quay.io/x:1", null)).hasMessageStartingWith("cpu:");
        assertThatThrownBy(() -> of("web", 1, "lots", "quay.io/x:1", null)).hasMessageStartingWith("memory:");
        assertThatThrownBy(() -> of("web", 1, "1Gi", "quay.io/x:1; rm -rf /", null)).hasMessageStartingWith("image:");
        assertThatThrownBy(() -> of("web", 1, "1Gi", "quay.io/x:1", "91,0")).hasMessageStartingWith("location:");
        assertThatThrownBy(() -> of("web", 1, "1Gi", "quay.io/x:1", "paris")).hasMessageStartingWith("location:");
        assertThatThrownBy(() -> EdgeVmRequest.of("web", "demo", 1, "1Gi", "1Gi", "quay.io/x:1", true, null, null,
                null, null, "edge-fra")).isInstanceOf(InvalidInputException.class).hasMessageStartingWith("cluster:");
    }

    @Test
    void measuresDistancesWithTheHaversineFormula() {
        GeoPoint frankfurt = new GeoPoint(50.1109, 8.6821);
        GeoPoint paris = new GeoPoint(48.8566, 2.3522);

        assertThat(frankfurt.distanceKm(paris)).isBetween(477.0, 481.0);
        assertThat(paris.distanceKm(frankfurt)).isEqualTo(frankfurt.distanceKm(paris));
        assertThat(new GeoPoint(0, 179.5).distanceKm(new GeoPoint(0, -179.5))).isBetween(110.0, 113.0);
    }
}
