package io.jenkins.plugins.kubeplatform.sim.controllers;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.sim.Cni;
import io.jenkins.plugins.kubeplatform.sim.Pods;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

class KubeOvnTest {

    static final String IP = "ovn.kubernetes.io/ip_address";

    @AutoClose
    static final SimulatedCluster sim = SimulatedCluster.start(SimOptions.builder()
            .speed(50).cni(Cni.KUBE_OVN).calicoPool("10.16.0.0/16")
            .build());
    static final KubernetesClient client = sim.client();

    @Test
    void givesAPodTheAddressItsKubeOvnAnnotationAsksFor() {
        Pods.create(client, Pods.pod("ovn-fixed").editMetadata().addToAnnotations(IP, "10.16.0.15").endMetadata()
                .build());
        Pod pod = Pods.awaitReady(client, "default", "ovn-fixed");
        assertThat(pod.getStatus().getPodIP()).isEqualTo("10.16.0.15");
        assertThat(pod.getMetadata().getAnnotations()).containsEntry("ovn.kubernetes.io/allocated", "true")
                .containsEntry("ovn.kubernetes.io/logical_switch", "ovn-default");
    }

    @Test
    void reportsAnAddressConflictAndKeepsTheSecondPodWaiting() {
        Pods.create(client, Pods.pod("ovn-a").editMetadata().addToAnnotations(IP, "10.16.0.20").endMetadata().build());
        Pods.awaitReady(client, "default", "ovn-a");
        Pods.create(client, Pods.pod("ovn-b").editMetadata().addToAnnotations(IP, "10.16.0.20").endMetadata().build());

        Event event = Pods.awaitEvent(client, "default", "ovn-b", "AcquireAddressFailed");
        assertThat(event.getMessage()).contains("AddressConflict").contains("default/ovn-a");
        assertThat(client.pods().inNamespace("default").withName("ovn-b").get().getStatus().getPodIP()).isNull();
    }

    @Test
    void givesAPodWithoutAnnotationAFreeAddressOfTheSubnet() {
        Pods.create(client, Pods.pod("ovn-any").build());
        assertThat(Pods.awaitReady(client, "default", "ovn-any").getStatus().getPodIP()).startsWith("10.16.");
    }
}
