package io.jenkins.plugins.kubeplatform.sim.controllers;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.sim.Pods;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

class ServiceEndpointsTest {

    @AutoClose
    static final SimulatedCluster sim = SimulatedCluster.start(SimOptions.builder().speed(50).build());
    static final KubernetesClient client = sim.client();

    static Service service(String name, String app) {
        return new ServiceBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .withNewSpec().addToSelector("app", app).addNewPort().withName("http").withPort(80)
                .withNewTargetPort(8080).endPort().endSpec().build();
    }

    static int ready(Endpoints e) {
        return e == null || e.getSubsets() == null ? 0 : e.getSubsets().stream()
                .mapToInt(s -> s.getAddresses() == null ? 0 : s.getAddresses().size()).sum();
    }

    static int notReady(Endpoints e) {
        return e == null || e.getSubsets() == null ? 0 : e.getSubsets().stream()
                .mapToInt(s -> s.getNotReadyAddresses() == null ? 0 : s.getNotReadyAddresses().size()).sum();
    }

    @Test
    void givesAServiceAClusterIp() {
        client.services().inNamespace("default").resource(service("plain", "nothing")).create();
        Service s = Pods.await(client.services().inNamespace("default").withName("plain"),
                x -> x != null && x.getSpec().getClusterIP() != null);
        assertThat(s.getSpec().getClusterIP()).startsWith("10.96.");
    }

    @Test
    void listsReadyPodsAsAddressesAndOthersAsNotReady() {
        client.services().inNamespace("default").resource(service("shop", "shop")).create();
        Pods.create(client, Pods.pod("shop-a").editMetadata().addToLabels("app", "shop").endMetadata().build());
        Pods.create(client, Pods.pod("shop-b").editMetadata().addToLabels("app", "shop").endMetadata().editSpec()
                .addNewReadinessGate().withConditionType("example.com/warm").endReadinessGate().endSpec().build());

        Endpoints e = Pods.await(client.endpoints().inNamespace("default").withName("shop"),
                x -> ready(x) == 1 && notReady(x) == 1);
        assertThat(e.getSubsets().get(0).getPorts()).singleElement()
                .satisfies(p -> assertThat(p.getPort()).isEqualTo(8080));

        Pods.setCondition(client, "default", "shop-b", "example.com/warm");
        Pods.await(client.endpoints().inNamespace("default").withName("shop"), x -> ready(x) == 2 && notReady(x) == 0);
        EndpointSlice slice = Pods.await(client.discovery().v1().endpointSlices().inNamespace("default")
                .withName("shop-sim"), x -> x != null && x.getEndpoints() != null && x.getEndpoints().size() == 2
                && x.getEndpoints().stream().allMatch(ep -> Boolean.TRUE.equals(ep.getConditions().getReady())));
        assertThat(slice.getMetadata().getLabels()).containsEntry("kubernetes.io/service-name", "shop");
    }

    @Test
    void dropsDeletedPodsFromTheEndpoints() {
        client.services().inNamespace("default").resource(service("cart", "cart")).create();
        Pods.create(client, Pods.pod("cart-a").editMetadata().addToLabels("app", "cart").endMetadata().build());
        Pods.await(client.endpoints().inNamespace("default").withName("cart"), x -> ready(x) == 1);

        client.pods().inNamespace("default").withName("cart-a").delete();

        Pods.await(client.endpoints().inNamespace("default").withName("cart"), x -> x != null && ready(x) == 0);
    }

    @Test
    void writesAgainEndpointsDeletedAndASliceChangedBySomeoneElse() {
        client.services().inNamespace("default").resource(service("menu", "menu")).create();
        Pods.create(client, Pods.pod("menu-a").editMetadata().addToLabels("app", "menu").endMetadata().build());
        Pods.await(client.endpoints().inNamespace("default").withName("menu"), x -> ready(x) == 1);
        Pods.await(client.discovery().v1().endpointSlices().inNamespace("default").withName("menu-sim"),
                x -> x != null && x.getEndpoints() != null && x.getEndpoints().size() == 1);

        client.endpoints().inNamespace("default").withName("menu").delete();
        Pods.await(client.endpoints().inNamespace("default").withName("menu"), x -> ready(x) == 1);

        client.discovery().v1().endpointSlices().inNamespace("default").withName("menu-sim").edit(slice -> {
            slice.setEndpoints(new java.util.ArrayList<>());
            return slice;
        });
        Pods.await(client.discovery().v1().endpointSlices().inNamespace("default").withName("menu-sim"),
                x -> x != null && x.getEndpoints() != null && x.getEndpoints().size() == 1);

        client.discovery().v1().endpointSlices().inNamespace("default").withName("menu-sim").delete();
        EndpointSlice again = Pods.await(client.discovery().v1().endpointSlices().inNamespace("default")
                .withName("menu-sim"), x -> x != null && x.getEndpoints() != null && x.getEndpoints().size() == 1);
        assertThat(again.getEndpoints().get(0).getTargetRef().getName()).isEqualTo("menu-a");
    }

    @Test
    void readsItsOwnObjectsFromItsInformersNotWithAGetPerPass() {
        client.services().inNamespace("default").resource(service("till", "till")).create();
        sim.requests().clear();
        for (String pod : java.util.List.of("till-a", "till-b", "till-c")) {
            Pods.create(client, Pods.pod(pod).editMetadata().addToLabels("app", "till").endMetadata().build());
        }
        Pods.await(client.endpoints().inNamespace("default").withName("till"), x -> ready(x) == 3);
        long gets = sim.requests().allIncludingInternal().stream().filter(r -> r.internal()
                && r.verb().equals("get") && (r.resource().equals("endpoints") || r.resource().equals("endpointslices"))
                && r.namespace().equals("default") && r.name().startsWith("till")).count();
        assertThat(gets).isZero();
    }
}
