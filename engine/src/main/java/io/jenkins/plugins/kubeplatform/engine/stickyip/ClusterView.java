package io.jenkins.plugins.kubeplatform.engine.stickyip;

import io.fabric8.kubernetes.api.model.Service;
import io.jenkins.plugins.kubeplatform.engine.image.ImageName;
import io.jenkins.plugins.kubeplatform.engine.kube.SharedObjects;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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

    /**
     * A Deployment as seen: whether we manage it, its hashes and its pinned node. {@code shapeHash} is null for a
     * Deployment written before in-place updates existed (it is then always replaced); {@code paused} when an
     * in-place update did not get to resume it (a killed process).
     */
    public record LiveWorkload(String name, boolean managed, String specHash, String templateHash, String pinnedNode,
                               String shapeHash, boolean paused) {

        public LiveWorkload(String name, boolean managed, String specHash, String templateHash, String pinnedNode) {
            this(name, managed, specHash, templateHash, pinnedNode, null, false);
        }
    }

    /**
     * A pod as seen. {@code identity} is the identity label value ({@code name-ordinal}) or null; {@code ip} its
     * address, or both of a dual-stack pod comma-separated, IPv4 first; {@code replicaSet} the ReplicaSet that
     * controls it, or null.
     */
    public record LivePod(String namespace, String name, String identity, String ip, String node, String phase,
                          boolean ready, boolean terminating, String templateHash, String replicaSet) {

        public LivePod(String namespace, String name, String identity, String ip, String node, String phase,
                       boolean ready, boolean terminating, String templateHash) {
            this(namespace, name, identity, ip, node, phase, ready, terminating, templateHash, null);
        }

        public boolean runningReadyWith(String expectedIp) {
            return !terminating && ready && "Running".equals(phase) && expectedIp.equals(ip);
        }
    }

    /** The app's Service as seen. */
    /**
     * The app's Service as seen: whether it carries our managed-by label, the spec hash of what stickyIpDeploy last
     * wrote, the step that owns it, and what stickyIpDeploy owns in it now (selector, and the ports no other step
     * added), so drift there is restored even when the hash annotation still matches.
     */
    public record LiveService(boolean managed, String specHash, Optional<String> ownerStep,
                              Map<String, String> selector, List<String> ownPortKeys) {

        /** A Service seen only by its labels and hash annotation (no drift to compare). */
        public LiveService(boolean managed, String specHash) {
            this(managed, specHash, Optional.of(StickyIpLabels.STEP), null, null);
        }

        /** Whether the live Service holds {@code desired}'s selector and ports (or was not observed in detail). */
        public boolean matches(Service desired) {
            if (selector == null || ownPortKeys == null) {
                return true;
            }
            return ownerStep.filter(StickyIpLabels.STEP::equals).isPresent()
                    && desired.getSpec().getSelector().equals(selector)
                    && SharedObjects.ports(desired).stream().map(SharedObjects::portKey).sorted().toList()
                            .equals(ownPortKeys.stream().sorted().toList());
        }
    }

    /**
     * A node as seen: Ready condition, {@code spec.unschedulable}, its hostname label, and the images its kubelet
     * reports in {@code status.images} (each name normalised, {@link ImageName#lookupName()}; at most the 50
     * largest images, so an image missing here may still be on the node).
     */
    public record NodeState(String name, boolean ready, boolean schedulable, String hostname, Set<String> images) {

        public NodeState {
            images = Set.copyOf(images);
        }

        /** A node that reports no images. */
        public NodeState(String name, boolean ready, boolean schedulable, String hostname) {
            this(name, ready, schedulable, hostname, Set.of());
        }

        /** Whether the kubelet reports an image that {@code reference} names. */
        public boolean hasImage(ImageName reference) {
            return images.contains(reference.lookupName());
        }

        public boolean canTakePods() {
            return ready && schedulable;
        }
    }

    public Optional<NodeState> node(String name) {
        return Optional.ofNullable(name).map(nodes::get);
    }
}
