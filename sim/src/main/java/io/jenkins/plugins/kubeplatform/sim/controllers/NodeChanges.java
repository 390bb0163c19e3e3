package io.jenkins.plugins.kubeplatform.sim.controllers;

import io.fabric8.kubernetes.api.model.Node;
import io.jenkins.plugins.kubeplatform.sim.ChangeHandler;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Tells the node changes a controller acts on from those that only update the image list the node's kubelet reports
 * ({@code status.images}, written some time after each pull; see {@link NodeImages}). None of the simulated
 * controllers acts on images: kube-scheduler requeues pending pods only for a change of a node's scheduling properties
 * ({@code NodeSchedulingPropertiesChange} in pkg/scheduler/framework/events.go: unschedulable, allocatable, labels,
 * taints, conditions, annotations), and the kubelet, node lifecycle and DaemonSet controllers key on readiness,
 * taints, labels and the spec. Reacting to every image report would re-run each of them for every pod on the node.
 * Controllers wrap their node handler in {@link #ignoringImageReports}; one instance per handler.
 */
final class NodeChanges {

    /** {@code handler}, told of a node change only when it is more than a new image list; of every deletion. */
    static ChangeHandler<Node> ignoringImageReports(ChangeHandler<Node> handler) {
        NodeChanges changes = new NodeChanges();
        return new ChangeHandler<>() {
            @Override
            public void changed(Node node) {
                if (changes.relevant(node)) {
                    handler.changed(node);
                }
            }

            @Override
            public void deleted(Node node) {
                changes.forget(node);
                handler.deleted(node);
            }
        };
    }

    /** Each node as last seen, without its images: labels, annotations, deletion, spec and status. */
    private final Map<String, List<Object>> seen = new HashMap<>();

    /** Whether {@code node} changed in more than its image list since it was last seen (true the first time). */
    boolean relevant(Node node) {
        List<Object> now = Arrays.asList(node.getMetadata().getLabels(), node.getMetadata().getAnnotations(),
                node.getMetadata().getDeletionTimestamp(), node.getSpec(), withoutImages(node.getStatus()));
        return !now.equals(seen.put(node.getMetadata().getName(), now));
    }

    /** Forgets a deleted node: one created again under its name is new. */
    void forget(Node node) {
        seen.remove(node.getMetadata().getName());
    }

    private static NodeStatus withoutImages(NodeStatus status) {
        return status == null || status.getImages() == null || status.getImages().isEmpty() ? status
                : new NodeStatusBuilder(status).withImages(List.of()).build();
    }
}
