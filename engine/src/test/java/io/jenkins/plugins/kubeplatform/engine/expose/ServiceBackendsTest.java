package io.jenkins.plugins.kubeplatform.engine.expose;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceBackendsTest {

    private static Service service(String clusterIp) {
        return new ServiceBuilder().withNewMetadata().withName("shop").withNamespace("default").endMetadata()
                .withNewSpec().withClusterIP(clusterIp)
                .addNewPort().withName("http").withPort(80).withTargetPort(new IntOrString("web")).endPort()
                .addNewPort().withName("metrics").withPort(9090).withTargetPort(new IntOrString(9090)).endPort()
                .endSpec().build();
    }

    private static EndpointSliceBuilder slice(String name, String service, String type) {
        return new EndpointSliceBuilder().withNewMetadata().withName(name).withNamespace("default")
                .addToLabels(ServiceBackends.SERVICE_NAME_LABEL, service).endMetadata().withAddressType(type)
                .addNewPort().withName("http").withPort(8080).endPort()
                .addNewPort().withName("metrics").withPort(9090).endPort();
    }

    @Test
    void takesReadyAndUnknownEndpointsWithTheTargetPortOfTheServicePortAcrossSlices() {
        EndpointSlice v4 = slice("shop-a", "shop", "IPv4")
                .addNewEndpoint().withAddresses("10.42.0.12").withNewConditions().withReady(true).endConditions().endEndpoint()
                .addNewEndpoint().withAddresses("10.42.0.13").withNewConditions().withReady(false).withTerminating(true)
                .endConditions().endEndpoint()
                .addNewEndpoint().withAddresses("10.42.0.11").endEndpoint() // no conditions: treated as ready
                .build();
        EndpointSlice v6 = slice("shop-b", "shop", "IPv6")
                .addNewEndpoint().withAddresses("fd00::5").withNewConditions().withReady(true).endConditions().endEndpoint()
                .build();
        EndpointSlice other = slice("cart-a", "cart", "IPv4")
                .addNewEndpoint().withAddresses("10.42.9.9").endEndpoint().build();

        assertThat(ServiceBackends.servers(service("10.96.0.10"), 80, List.of(v4, v6, other), true))
                .containsExactly("10.42.0.11:8080", "10.42.0.12:8080", "[fd00::5]:8080");
        assertThat(ServiceBackends.servers(service("10.96.0.10"), 9090, List.of(v4), false))
                .containsExactly("10.42.0.11:9090", "10.42.0.12:9090");
    }

    @Test
    void usesTheClusterIpOnlyWhenConfiguredAndTheServiceHasNoSlice() {
        assertThat(ServiceBackends.servers(service("10.96.0.10"), 80, List.of(), true)).containsExactly("10.96.0.10:80");
        assertThat(ServiceBackends.servers(service("10.96.0.10"), 80, List.of(), false)).isEmpty();
        EndpointSlice empty = slice("shop-a", "shop", "IPv4").build();
        assertThat(ServiceBackends.servers(service("10.96.0.10"), 80, List.of(empty), true)).isEmpty();
        assertThat(ServiceBackends.servers(service("None"), 80, List.of(), true))
                .containsExactly("shop.default.svc.cluster.local:80");
    }
}
