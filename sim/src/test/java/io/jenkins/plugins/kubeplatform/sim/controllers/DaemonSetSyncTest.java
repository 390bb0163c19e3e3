package io.jenkins.plugins.kubeplatform.sim.controllers;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.sim.Pods;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import io.jenkins.plugins.kubeplatform.sim.model.PodStates;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the DaemonSet controller does with the pods it finds on a node (daemon_controller.go podsShouldBeOnNode). */
@Timeout(120)
class DaemonSetSyncTest {

    @AutoClose
    static final SimulatedCluster sim = SimulatedCluster.start(SimOptions.builder().speed(50).nodes(2).build());
    static final KubernetesClient client = sim.client();

    @Test
    void deletesAFailedDaemonPodAndStartsItsReplacementOnTheSameNode() {
        client.apps().daemonSets().inNamespace("default").resource(WorkloadControllersTest.daemonSet("failing"))
                .create();
        List<Pod> ready = awaitPods("failing", ps -> ps.size() == 2 && ps.stream().allMatch(PodStates::isReady));
        Pod failed = ready.stream().filter(p -> "node-1".equals(p.getSpec().getNodeName())).findFirst().orElseThrow();
        // what a kubelet reports for a pod it evicted or could not keep (node pressure, shutdown)
        client.pods().inNamespace("default").resource(failed).editStatus(p -> {
            p.getStatus().setPhase("Failed");
            p.getStatus().setReason("Evicted");
            return p;
        });
        List<Pod> after = awaitPods("failing", ps -> ps.stream().noneMatch(p -> sameUid(p, failed))
                && ps.stream().filter(p -> "node-1".equals(p.getSpec().getNodeName())).anyMatch(PodStates::isReady));
        assertThat(after).extracting(p -> p.getSpec().getNodeName()).containsExactlyInAnyOrder("node-1", "node-2");
    }

    @Test
    void keepsItsPodOnANodeTaintedNoScheduleAndCountsItAsMisscheduled() {
        client.apps().daemonSets().inNamespace("default").resource(WorkloadControllersTest.daemonSet("tainted"))
                .create();
        awaitPods("tainted", ps -> ps.size() == 2 && ps.stream().allMatch(PodStates::isReady));
        client.nodes().withName("node-2").edit(n -> {
            n.getSpec().setTaints(List.of(new TaintBuilder().withKey("dedicated").withValue("db")
                    .withEffect("NoSchedule").build()));
            return n;
        });
        try {
            DaemonSet ds = Pods.await(client.apps().daemonSets().inNamespace("default").withName("tainted"),
                    d -> d.getStatus() != null && Integer.valueOf(1).equals(d.getStatus().getNumberMisscheduled()));
            assertThat(ds.getStatus().getDesiredNumberScheduled()).isEqualTo(1);
            assertThat(ds.getStatus().getCurrentNumberScheduled()).isEqualTo(1);
            assertThat(client.pods().inNamespace("default").withLabel("app", "tainted").list().getItems())
                    .extracting(p -> p.getSpec().getNodeName()).containsExactlyInAnyOrder("node-1", "node-2");
        } finally {
            client.nodes().withName("node-2").edit(n -> {
                n.getSpec().setTaints(null);
                return n;
            });
        }
    }

    private static boolean sameUid(Pod a, Pod b) {
        return a.getMetadata().getUid().equals(b.getMetadata().getUid());
    }

    private static List<Pod> awaitPods(String app, java.util.function.Predicate<List<Pod>> done) {
        return Pods.awaitAll(client, "default", "app", app, done);
    }
}
