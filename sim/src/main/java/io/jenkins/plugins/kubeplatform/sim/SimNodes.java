package io.jenkins.plugins.kubeplatform.sim;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Node failure and recovery on demand. A failed node looks like one whose kubelet stopped reporting: condition
 * Ready=Unknown (reason NodeStatusUnknown) and the {@code node.kubernetes.io/unreachable} taints (NoSchedule and
 * NoExecute) that the node lifecycle controller adds; the simulated kubelet then marks the node's pods not ready.
 */
public final class SimNodes {

    public static final String UNREACHABLE_TAINT = "node.kubernetes.io/unreachable";

    private final KubernetesClient client;
    private final Clock clock;

    SimNodes(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    /**
     * Makes the node NotReady (Unknown) and unreachable-tainted. Returns when the node object says so. As on a real
     * cluster, the condition is written through nodes/status and the taints through the node itself.
     */
    public void fail(String name) {
        edit(name, node -> setReady(node, "Unknown", "NodeStatusUnknown", "Kubelet stopped posting node status."),
                node -> {
                    List<Taint> taints = taintsWithoutUnreachable(node);
                    String now = clock.instant().toString();
                    taints.add(new TaintBuilder().withKey(UNREACHABLE_TAINT).withEffect("NoSchedule")
                            .withTimeAdded(now).build());
                    taints.add(new TaintBuilder().withKey(UNREACHABLE_TAINT).withEffect("NoExecute")
                            .withTimeAdded(now).build());
                    node.getSpec().setTaints(taints);
                });
    }

    /** Makes the node Ready again and removes the unreachable taints. */
    public void recover(String name) {
        edit(name, node -> setReady(node, "True", "KubeletReady", "kubelet is posting ready status"),
                node -> node.getSpec().setTaints(taintsWithoutUnreachable(node)));
    }

    /** Whether the node's Ready condition is True. */
    public boolean isReady(String name) {
        Node node = client.nodes().withName(name).get();
        if (node == null) {
            throw new NoSuchElementException("no node " + name);
        }
        return NodeConditions.isReady(node);
    }

    /** {@code status} through nodes/status, then {@code spec} through the node. */
    private void edit(String name, java.util.function.Consumer<Node> status, java.util.function.Consumer<Node> spec) {
        if (client.nodes().withName(name).get() == null) {
            throw new NoSuchElementException("no node " + name);
        }
        client.nodes().withName(name).editStatus(node -> {
            status.accept(node);
            return node;
        });
        client.nodes().withName(name).edit(node -> {
            spec.accept(node);
            return node;
        });
    }

    private static List<Taint> taintsWithoutUnreachable(Node node) {
        List<Taint> taints = new ArrayList<>();
        if (node.getSpec().getTaints() != null) {
            for (Taint t : node.getSpec().getTaints()) {
                if (!UNREACHABLE_TAINT.equals(t.getKey())) {
                    taints.add(t);
                }
            }
        }
        return taints;
    }

    private void setReady(Node node, String status, String reason, String message) {
        String now = clock.instant().toString();
        for (NodeCondition c : node.getStatus().getConditions()) {
            if ("Ready".equals(c.getType())) {
                if (!status.equals(c.getStatus())) {
                    c.setLastTransitionTime(now);
                }
                c.setStatus(status);
                c.setReason(reason);
                c.setMessage(message);
                c.setLastHeartbeatTime(now);
            }
        }
    }
}
