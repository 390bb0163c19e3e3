package io.jenkins.plugins.kubeplatform.engine.repair;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.kubeplatform.engine.kube.ApiRetry;
import io.jenkins.plugins.kubeplatform.sim.ChangeHandler;
import io.jenkins.plugins.kubeplatform.sim.NodeConditions;
import io.jenkins.plugins.kubeplatform.sim.Observed;
import io.jenkins.plugins.kubeplatform.sim.SimContext;
import io.jenkins.plugins.kubeplatform.sim.SimController;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The simulated cluster of the repair engine's sim tests: its three nodes without built-in controllers, a kubelet's
 * client for what the simulation itself does (a Job pod finishing), and the objects the tests prepare.
 */
final class RepairSimCluster implements AutoCloseable {

    static final String N1 = "node-1";
    static final String N2 = "node-2";
    static final String N3 = "node-3";

    final SimulatedCluster sim;
    final KubernetesClient client;
    private final Kubelet kubelet = new Kubelet();

    private RepairSimCluster() {
        sim = SimulatedCluster.start(SimOptions.builder().builtInControllers(false).build());
        client = sim.client();
        sim.addController(kubelet);
    }

    static RepairSimCluster start() {
        return new RepairSimCluster();
    }

    /** Short waits for the simulated cluster: one slot, tasks up to 20 s, a fault looked at every second. */
    static RepairSettings.Builder fastSettings() {
        return RepairSettings.builder().maxConcurrent(1).leaseTtl(Duration.ofSeconds(30))
                .leaseWaitTimeout(Duration.ofSeconds(20)).deregistrationGrace(Duration.ofMillis(200))
                .deregistrationTimeout(Duration.ofSeconds(5)).taskTimeout(Duration.ofSeconds(20))
                .drainTimeout(Duration.ofSeconds(30)).repairTimeout(Duration.ofSeconds(10))
                .verifyTimeout(Duration.ofSeconds(10)).stabilizationWindow(Duration.ofMillis(300))
                .recheckInterval(Duration.ofSeconds(1));
    }

    /** Six attempts, 20 to 200 ms apart: the sim's injected faults pass within them. */
    static ApiRetry retry() {
        return new ApiRetry(6, Duration.ofMillis(20), Duration.ofMillis(200), d -> Thread.sleep(d.toMillis()));
    }

    /** A running, ready pod on {@code node}, controlled by an owner of {@code ownerKind} named {@code app}. */
    void createPod(String name, String node, String ownerKind, String app) {
        Pod pod = new PodBuilder().withNewMetadata().withName(name).withNamespace("default").addToLabels("app", app)
                .addNewOwnerReference().withApiVersion("v1").withKind(ownerKind).withName(app).withUid(app + "-uid")
                .withController(true).endOwnerReference().endMetadata()
                .withNewSpec().withNodeName(node).addNewContainer().withName("c").withImage("busybox").endContainer()
                .endSpec().withNewStatus().withPhase("Running").addNewCondition().withType("Ready").withStatus("True")
                .endCondition().endStatus().build();
        io.jenkins.plugins.kubeplatform.sim.SimPods.createWithStatus(client, pod);
    }

    /** Marks a Job pod Succeeded the way the kubelet would (a simulation-internal request, not the engine's). */
    void finishJob(String pod) {
        kubelet.client.pods().inNamespace("default").withName(pod).editStatus(p -> {
            p.getStatus().setPhase("Succeeded");
            return p;
        });
    }

    /** Sets (or replaces) one condition of {@code node}'s status, changed now. */
    void setCondition(String node, String type, String status) {
        client.nodes().withName(node).editStatus(n -> {
            n.getStatus().getConditions().removeIf(c -> c.getType().equals(type));
            NodeCondition c = new NodeCondition();
            c.setType(type);
            c.setStatus(status);
            c.setReason("Test");
            c.setLastTransitionTime(Instant.now().toString());
            n.getStatus().getConditions().add(c);
            return n;
        });
    }

    /** The maintenance state recorded on {@code node}; empty without a record, {@code ?} for an unreadable one. */
    String state(String node) {
        var annotations = client.nodes().withName(node).get().getMetadata().getAnnotations();
        String raw = annotations == null ? null : annotations.get(MaintenanceRecord.ANNOTATION);
        return raw == null ? "" : MaintenanceRecord.parse(raw).map(r -> r.state().name()).orElse("?");
    }

    @Override
    public void close() {
        sim.close();
    }

    /**
     * The kubelets' part the tests need: a client whose requests count as the simulation's own (a Job pod finishing),
     * and the end of a graceful deletion. The simulated API server keeps a deleted pod Terminating until its kubelet
     * deletes it with grace 0 and its uid as precondition (kubelet status_manager.go {@code syncPod}); these pods have
     * no simulated kubelet running them, so this does it at once for a pod on a Ready node. A pod on a NotReady node
     * stays Terminating, as on a real cluster.
     */
    private static final class Kubelet implements SimController {
        volatile KubernetesClient client;
        private Observed<Node> nodes;

        @Override
        public void start(SimContext context) {
            client = context.client();
            nodes = context.observe(client.nodes(), new ChangeHandler<>() {
                @Override
                public void changed(Node node) {
                    // a node Ready again finishes the deletions that waited for it
                    if (NodeConditions.isReady(node)) {
                        client.pods().inAnyNamespace().withField("spec.nodeName", node.getMetadata().getName())
                                .list().getItems().forEach(Kubelet.this::finishDeletion);
                    }
                }
            });
            context.observe(client.pods().inAnyNamespace(), new ChangeHandler<Pod>() {
                @Override
                public void changed(Pod pod) {
                    finishDeletion(pod);
                }
            });
        }

        private void finishDeletion(Pod pod) {
            String node = pod.getSpec().getNodeName();
            if (pod.getMetadata().getDeletionTimestamp() == null || node == null
                    || nodes.get(null, node).filter(NodeConditions::isReady).isEmpty()) {
                return;
            }
            try {
                client.raw("/api/v1/namespaces/" + pod.getMetadata().getNamespace() + "/pods/"
                        + pod.getMetadata().getName(), "DELETE", Map.of("gracePeriodSeconds", 0,
                                "preconditions", Map.of("uid", pod.getMetadata().getUid())));
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404 && e.getCode() != 409) {
                    throw e;
                }
            }
        }
    }
}
