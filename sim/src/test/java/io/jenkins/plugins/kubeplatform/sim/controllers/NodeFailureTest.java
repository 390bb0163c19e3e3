package io.jenkins.plugins.kubeplatform.sim.controllers;

import io.jenkins.plugins.kubeplatform.sim.model.PodStates;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.sim.Pods;
import io.jenkins.plugins.kubeplatform.sim.SimNode;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NodeFailureTest {

    SimulatedCluster sim;
    KubernetesClient client;

    @BeforeEach
    void start() {
        sim = SimulatedCluster.start(SimOptions.builder().speed(50).nodes(0)
                .node(SimNode.builder("only").build()).build());
        client = sim.client();
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void makesPodsUnreadyWhenTheirNodeFailsAndReadyWhenItRecovers() {
        Pods.create(client, Pods.pod("web").build());
        Pods.awaitReady(client, "default", "web");

        sim.nodes().fail("only");
        Pod unready = Pods.await(client, "default", "web", p -> !PodStates.isReady(p));
        assertThat(unready.getStatus().getPhase()).isEqualTo("Running");

        sim.nodes().recover("only");
        Pods.awaitReady(client, "default", "web");
    }

    @Test
    void evictsPodsThatDoNotTolerateANoExecuteTaint() {
        Pods.create(client, Pods.pod("evicted").build());
        Pods.create(client, Pods.pod("tolerant").editSpec().addNewToleration().withKey("dedicated")
                .withOperator("Exists").withEffect("NoExecute").endToleration().endSpec().build());
        Pods.awaitReady(client, "default", "evicted");
        Pods.awaitReady(client, "default", "tolerant");

        client.nodes().withName("only").edit(n -> {
            n.getSpec().setTaints(java.util.List.of(new io.fabric8.kubernetes.api.model.TaintBuilder()
                    .withKey("dedicated").withValue("x").withEffect("NoExecute").build()));
            return n;
        });

        Pods.awaitGone(client, "default", "evicted");
        assertThat(client.pods().inNamespace("default").withName("tolerant").get()).isNotNull();
    }

    @Test
    void keepsPodsOnANodeWithANoScheduleTaint() {
        Pods.create(client, Pods.pod("stays").build());
        Pods.awaitReady(client, "default", "stays");

        client.nodes().withName("only").edit(n -> {
            n.getSpec().setTaints(java.util.List.of(new io.fabric8.kubernetes.api.model.TaintBuilder()
                    .withKey("dedicated").withValue("x").withEffect("NoSchedule").build()));
            return n;
        });
        // The scheduler sees the taint through its node watch, like kube-scheduler's cache: a probe created before
        // that may still be bound. Such a probe is removed and another one tried (bounded).
        boolean refused = false;
        for (int attempt = 0; attempt < 5 && !refused; attempt++) {
            String probe = "probe-" + attempt;
            Pods.create(client, Pods.pod(probe).build());
            Pod decided = Pods.await(client.pods().inNamespace("default").withName(probe), p -> p != null
                    && p.getStatus() != null && p.getStatus().getConditions() != null
                    && p.getStatus().getConditions().stream().anyMatch(c -> c.getType().equals("PodScheduled")));
            refused = decided.getStatus().getConditions().stream().anyMatch(c -> c.getType().equals("PodScheduled")
                    && c.getStatus().equals("False"));
            if (refused) {
                Pods.awaitEvent(client, "default", probe, "FailedScheduling");
            } else {
                client.pods().inNamespace("default").withName(probe).withGracePeriod(0).delete();
            }
        }
        assertThat(refused).as("a new pod is refused by the NoSchedule taint").isTrue();

        assertThat(PodStates.isReady(client.pods().inNamespace("default").withName("stays").get())).isTrue();
    }

    @Test
    void marksPodsOfADeletedNodeFailedAndDeletesThem() throws Exception {
        Pods.create(client, Pods.pod("orphan").build());
        Pods.awaitReady(client, "default", "orphan");
        java.util.concurrent.CompletableFuture<Pod> gone = new java.util.concurrent.CompletableFuture<>();
        try (io.fabric8.kubernetes.client.Watch ignored = client.pods().inNamespace("default").withName("orphan")
                .watch(new io.fabric8.kubernetes.client.Watcher<Pod>() {
                    @Override
                    public void eventReceived(Action action, Pod pod) {
                        if (action == Action.DELETED) {
                            gone.complete(pod);
                        }
                    }

                    @Override
                    public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {
                        gone.completeExceptionally(cause);
                    }
                })) {
            client.nodes().withName("only").delete();

            // podgc gcOrphaned: phase Failed and DisruptionTarget (DeletionByPodGC) before the delete with grace 0
            Pod last = gone.get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(last.getStatus().getPhase()).isEqualTo("Failed");
            assertThat(last.getStatus().getConditions()).anySatisfy(c -> {
                assertThat(c.getType()).isEqualTo("DisruptionTarget");
                assertThat(c.getStatus()).isEqualTo("True");
                assertThat(c.getReason()).isEqualTo("DeletionByPodGC");
                assertThat(c.getMessage()).isEqualTo("PodGC: node no longer exists");
            });
        }
    }
}
