package io.jenkins.plugins.kubeplatform.sim.controllers;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.sim.Pods;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A cluster without nodes: kube-scheduler v1.32 fails the pod with {@code ErrNoNodesAvailable}
 * (pkg/scheduler/schedule_one.go, {@code schedulingCycle}: status UnschedulableAndUnresolvable, so reason
 * {@code Unschedulable}), whose text is both the FailedScheduling event's message and the condition's.
 */
@Timeout(120)
class NoNodesSchedulingTest {

    @AutoClose
    static final SimulatedCluster sim = SimulatedCluster.start(SimOptions.builder().nodes(0).speed(50).build());
    static final KubernetesClient client = sim.client();

    @Test
    void aPodInAClusterWithoutNodesIsUnschedulableWithNoNodesAvailable() {
        Pods.create(client, Pods.pod("waiting").build());

        Pod pod = Pods.await(client, "default", "waiting", p -> p.getStatus() != null
                && p.getStatus().getConditions().stream().anyMatch(c -> "PodScheduled".equals(c.getType())));
        PodCondition scheduled = pod.getStatus().getConditions().stream()
                .filter(c -> "PodScheduled".equals(c.getType())).findFirst().orElseThrow();
        Event event = Pods.awaitEvent(client, "default", "waiting", "FailedScheduling");

        assertThat(scheduled.getStatus()).isEqualTo("False");
        assertThat(scheduled.getReason()).isEqualTo("Unschedulable");
        assertThat(scheduled.getMessage()).isEqualTo("no nodes available to schedule pods");
        assertThat(event.getMessage()).isEqualTo("no nodes available to schedule pods");
    }
}
