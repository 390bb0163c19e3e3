package io.jenkins.plugins.kubeplatform.sim.controllers;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.sim.Pods;
import io.jenkins.plugins.kubeplatform.sim.SimNode;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DaemonSetPlacementTest {

    @AutoClose
    static final SimulatedCluster sim = SimulatedCluster.start(SimOptions.builder().speed(50).nodes(2)
            .node(SimNode.builder("db-node").taint("dedicated", "db", "NoSchedule").build())
            .node(SimNode.builder("cordoned").build()).build());
    static final KubernetesClient client = sim.client();

    @BeforeAll
    static void start() {
        client.nodes().withName("cordoned").edit(n -> {
            n.getSpec().setUnschedulable(true);
            return n;
        });
    }

    @Test
    void runsOnEveryNodeIncludingCordonedOnesButNotWhereANoScheduleTaintIsNotTolerated() {
        client.apps().daemonSets().inNamespace("default").resource(WorkloadControllersTest.daemonSet("agent"))
                .create();
        DaemonSet ds = Pods.await(client.apps().daemonSets().inNamespace("default").withName("agent"),
                d -> d != null && d.getStatus() != null && Integer.valueOf(3).equals(d.getStatus().getNumberReady()));
        assertThat(ds.getStatus().getDesiredNumberScheduled()).isEqualTo(3);
        assertThat(client.pods().inNamespace("default").withLabel("app", "agent").list().getItems())
                .extracting(p -> p.getSpec().getNodeName())
                .containsExactlyInAnyOrder("node-1", "node-2", "cordoned");
    }
}
