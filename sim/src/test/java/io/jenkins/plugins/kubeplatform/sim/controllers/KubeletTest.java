package io.jenkins.plugins.kubeplatform.sim.controllers;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.sim.Pods;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class KubeletTest {

    static SimulatedCluster sim;
    static KubernetesClient client;

    @BeforeAll
    static void start() {
        sim = SimulatedCluster.start(SimOptions.builder().speed(50).build());
        client = sim.client();
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @Test
    void startsAPodUntilRunningAndReadyWithPodAndHostIp() {
        Pods.create(client, Pods.pod("plain").build());
        Pod ready = Pods.awaitReady(client, "default", "plain");
        assertThat(ready.getStatus().getPhase()).isEqualTo("Running");
        assertThat(ready.getSpec().getNodeName()).startsWith("sim-node-");
        assertThat(ready.getStatus().getPodIP()).startsWith("10.42.");
        assertThat(ready.getStatus().getHostIP()).startsWith("192.168.56.");
        assertThat(ready.getStatus().getContainerStatuses()).singleElement()
                .satisfies(cs -> assertThat(cs.getReady()).isTrue());
    }
}
