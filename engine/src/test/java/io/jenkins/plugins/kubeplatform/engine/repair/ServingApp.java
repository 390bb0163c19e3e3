package io.jenkins.plugins.kubeplatform.engine.repair;

import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.sim.Observed;
import io.jenkins.plugins.kubeplatform.sim.SimContext;
import io.jenkins.plugins.kubeplatform.sim.SimController;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A serving workload for repair tests, in place of Deployment and endpoint controllers: keeps {@code replicas} pods
 * labelled app=web (a replacement goes to {@code spareNode} and becomes Ready after a delay), keeps the EndpointSlice
 * of Service "web" (selector app=web plus the traffic label) in step with the pods, and records the fewest ready
 * replicas ever seen and when the slice stopped listing pods on the repaired node.
 */
final class ServingApp implements SimController {

    static final String TRAFFIC = RepairSettings.DEFAULT_TRAFFIC_LABEL;

    private final int replicas;
    private final String repairedNode;
    private final String spareNode;
    private final AtomicInteger created = new AtomicInteger();
    volatile int minReady = Integer.MAX_VALUE;
    volatile Instant leftRepairedNodeAt;
    private SimContext ctx;
    private Observed<Pod> pods;

    ServingApp(int replicas, String repairedNode, String spareNode) {
        this.replicas = replicas;
        this.repairedNode = repairedNode;
        this.spareNode = spareNode;
    }

    static Pod webPod(String name, String node, boolean ready) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("default")
                .addToLabels("app", "web").addToLabels(TRAFFIC, "on")
                .addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet").withName("web-rs")
                .withUid("rs-uid").withController(true).endOwnerReference()
                .endMetadata()
                .withNewSpec().withNodeName(node).addNewContainer().withName("web").withImage("nginx").endContainer()
                .endSpec()
                .withNewStatus().withPhase("Running").withPodIP("10.42.0." + (Math.abs(name.hashCode()) % 200 + 2))
                .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
                .endStatus().build();
    }

    @Override
    public void start(SimContext context) {
        this.ctx = context;
        pods = context.observe(context.client().pods().inNamespace("default").withLabel("app", "web"),
                new io.jenkins.plugins.kubeplatform.sim.ChangeHandler<>() {
                    @Override
                    public void changed(Pod pod) {
                        reconcile(false);
                    }

                    @Override
                    public void deleted(Pod pod) {
                        reconcile(true);
                    }
                });
    }

    /** Forgets the fewest-ready figure seen while the test was still creating pods. */
    void resetMinimum() {
        minReady = Integer.MAX_VALUE;
    }

    private void reconcile(boolean replace) {
        List<Pod> live = pods.list(p -> p.getMetadata().getDeletionTimestamp() == null);
        int ready = (int) live.stream().filter(ServingApp::isReady).count();
        if (ready < minReady && !live.isEmpty()) {
            minReady = ready;
        }
        KubernetesClient client = ctx.client();
        for (int i = live.size(); replace && i < replicas; i++) {
            String name = "web-new-" + created.incrementAndGet();
            io.jenkins.plugins.kubeplatform.sim.SimPods.createWithStatus(client, webPod(name, spareNode, false));
            ctx.after(Duration.ofMillis(1500), () -> client.pods().inNamespace("default").withName(name)
                    .editStatus(p -> {
                        p.getStatus().getConditions().get(0).setStatus("True");
                        return p;
                    }));
        }
        List<Endpoint> endpoints = new ArrayList<>();
        for (Pod p : live) {
            Map<String, String> labels = p.getMetadata().getLabels();
            if (!"on".equals(labels.get(TRAFFIC))) {
                continue;
            }
            endpoints.add(new EndpointBuilder().withAddresses(p.getStatus().getPodIP())
                    .withNodeName(p.getSpec().getNodeName()).withNewConditions().withReady(isReady(p)).endConditions()
                    .withTargetRef(new ObjectReferenceBuilder().withKind("Pod").withNamespace("default")
                            .withName(p.getMetadata().getName()).build()).build());
        }
        EndpointSlice slice = new EndpointSliceBuilder().withNewMetadata().withName("web-x1").withNamespace("default")
                .addToLabels("kubernetes.io/service-name", "web").endMetadata().withAddressType("IPv4")
                .withEndpoints(endpoints).build();
        client.discovery().v1().endpointSlices().inNamespace("default").resource(slice).createOr(op -> op.update());
        if (leftRepairedNodeAt == null && !live.isEmpty()
                && endpoints.stream().noneMatch(e -> repairedNode.equals(e.getNodeName()))) {
            leftRepairedNodeAt = Instant.now();
        }
    }

    private static boolean isReady(Pod p) {
        return p.getStatus() != null && p.getStatus().getConditions() != null && p.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
