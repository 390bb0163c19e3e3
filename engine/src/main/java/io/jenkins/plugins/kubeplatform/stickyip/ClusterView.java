package io.jenkins.plugins.kubeplatform.stickyip;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the deployer observed in the cluster before planning: plain values, so the planner is a pure function.
 *
 * @param workloads the app's Deployments by name (ours or a foreign object with a clashing name)
 * @param pods      the app's pods (labelled for it)
 * @param service   the Service named like the app, if any
 * @param nodes     every node by name
 */
public record ClusterView(Map<String, LiveWorkload> workloads, List<LivePod> pods, Optional<LiveService> service,
                          Map<String, NodeState> nodes) {

    public ClusterView {
        workloads = Map.copyOf(workloads);
        pods = List.copyOf(pods);
        nodes = Map.copyOf(nodes);
    }

    /** A Deployment as seen: whether we manage it, its hashes and its pinned node. */
    public record LiveWorkload(String name, boolean managed, String specHash, String templateHash, String pinnedNode) {
    }

    /** A pod as seen. {@code identity} is the identity label value ({@code name-ordinal}) or null. */
    public record LivePod(String namespace, String name, String identity, String ip, String node, String phase,
                          boolean ready, boolean terminating, String templateHash) {

        public boolean runningReadyWith(String expectedIp) {
            return !terminating && ready && "Running".equals(phase) && expectedIp.equals(ip);
        }
    }

    /** The app's Service as seen. */
    public record LiveService(boolean managed, String specHash) {
    }

    /** A node as seen: Ready condition, {@code spec.unschedulable}, and its hostname label. */
    public record NodeState(String name, boolean ready, boolean schedulable, String hostname) {

        public boolean canTakePods() {
            return ready && schedulable;
        }
    }

    public Optional<NodeState> node(String name) {
        return Optional.ofNullable(name).map(nodes::get);
    }
}
