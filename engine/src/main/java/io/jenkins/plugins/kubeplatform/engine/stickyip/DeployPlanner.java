package io.jenkins.plugins.kubeplatform.engine.stickyip;

import io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException;
import io.jenkins.plugins.kubeplatform.engine.stickyip.ClusterView.LivePod;
import io.jenkins.plugins.kubeplatform.engine.stickyip.ClusterView.LiveWorkload;
import io.jenkins.plugins.kubeplatform.engine.stickyip.ClusterView.NodeState;
import io.jenkins.plugins.kubeplatform.engine.stickyip.DeployPlan.WorkloadAction;
import io.jenkins.plugins.kubeplatform.engine.stickyip.WorkloadRenderer.Pin;
import io.jenkins.plugins.kubeplatform.engine.stickyip.WorkloadRenderer.RenderedWorkload;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Decides what a deploy does (SIP-4, SIP-5, SIP-7) from the request, the pool, the identities' reservations and the
 * observed cluster. A pure function: no I/O, same input, same plan.
 */
public final class DeployPlanner {

    private DeployPlanner() {
    }

    /** Objects with our names that we do not manage: refused before anything is reserved or applied. */
    public static void checkOwnership(DeployRequest request, ClusterView view) {
        for (LiveWorkload w : new TreeMap<>(view.workloads()).values()) {
            if (!w.managed()) {
                throw new OperationFailedException("Deployment " + request.namespace() + "/" + w.name()
                        + " exists but is not managed by kubernetes-platform-steps; choose another app name or remove it. "
                        + "Nothing was changed.");
            }
        }
        if (view.service().isPresent() && !view.service().get().managed()) {
            throw new OperationFailedException("Service " + request.namespace() + "/" + request.name()
                    + " exists but is not managed by kubernetes-platform-steps; choose another app name or remove it. "
                    + "Nothing was changed.");
        }
    }

    /**
     * Identities whose last node is gone or cannot take pods, when the pool says to reallocate in that case.
     */
    public static Set<String> toReallocate(DeployRequest request, IpPool pool, Map<String, Reservation> existing,
                                           ClusterView view) {
        Set<String> result = new TreeSet<>();
        if (!pool.reallocateWhenNodeLost()) {
            return result;
        }
        for (int i = 0; i < request.replicas(); i++) {
            Reservation r = existing.get(new ReplicaIdentity(request.namespace(), request.name(), i).key());
            if (r != null && r.node() != null && view.node(r.node()).map(n -> !n.canTakePods()).orElse(true)) {
                result.add(r.identity());
            }
        }
        return result;
    }

    /**
     * @param reservations the reservation of each identity 0..replicas-1, in ordinal order
     * @param beyond       ledger reservations of this app with an ordinal at or above replicas
     */
    public static DeployPlan plan(DeployRequest request, IpPool pool, List<Reservation> reservations,
                                  List<Reservation> beyond, ClusterView view) {
        return planHeld(request, pool, reservations.stream().map(List::of).toList(), beyond, view);
    }

    /**
     * {@link #plan}, with every reservation of each identity (one per family of the pool, IPv4 first): the pod of a
     * dual-stack identity is pinned to, and verified with, both addresses.
     */
    public static DeployPlan planHeld(DeployRequest request, IpPool pool, List<List<Reservation>> held,
                                      List<Reservation> beyond, ClusterView view) {
        List<Reservation> reservations = held.stream().map(h -> h.get(0)).toList();
        if (reservations.size() != request.replicas()) {
            throw new IllegalArgumentException("one reservation per identity expected");
        }
        Map<String, Integer> load = new HashMap<>();
        for (Reservation r : reservations) {
            if (r.node() != null) {
                load.merge(r.node(), 1, Integer::sum);
            }
        }
        Map<String, List<LivePod>> podsByIdentity = podsByIdentity(view);
        List<WorkloadAction> actions = new ArrayList<>();
        for (int i = 0; i < request.replicas(); i++) {
            ReplicaIdentity identity = new ReplicaIdentity(request.namespace(), request.name(), i);
            Reservation reservation = reservations.get(i);
            String addresses = String.join(",", held.get(i).stream().map(Reservation::ip).toList());
            if (!reservation.identity().equals(identity.key())) {
                throw new IllegalArgumentException("reservation " + reservation.identity() + " given for " + identity);
            }
            List<LivePod> pods = podsByIdentity.getOrDefault(identity.workloadName(), List.of());
            Optional<LivePod> healthy = pods.stream().filter(p -> p.runningReadyWith(addresses)).findFirst();
            LiveWorkload live = view.workloads().get(identity.workloadName());
            Optional<Pin> pin = pin(pool, reservation, live, healthy, view, load);
            pin.filter(p -> reservation.node() == null).ifPresent(p -> load.merge(p.node(), 1, Integer::sum));
            RenderedWorkload desired = WorkloadRenderer.deployment(request, pool, identity, addresses, pin);
            Optional<String> pinnedNode = pin.map(Pin::node);
            if (live == null) {
                actions.add(new DeployPlan.Create(identity, reservation, addresses, desired.deployment(), desired.templateHash(),
                        pinnedNode));
            } else if (!desired.specHash().equals(live.specHash()) && inPlace(live, desired, healthy, pods)) {
                actions.add(new DeployPlan.Replace(identity, reservation, addresses, desired.deployment(),
                        desired.templateHash(), pinnedNode, "image changed; " + healthy.get().name()
                        + " restarts its containers on " + healthy.get().node() + ", keeping " + addresses,
                        healthy));
            } else if (!desired.specHash().equals(live.specHash())) {
                actions.add(new DeployPlan.Replace(identity, reservation, addresses, desired.deployment(), desired.templateHash(),
                        pinnedNode, "workload changed (template, image, port, environment or address)"));
            } else if (Objects.equals(pinnedNode.orElse(null), live.pinnedNode()) || healthy.isPresent()) {
                // a healthy pod is not restarted just to move its pinning: the pin only matters when a pod is created
                actions.add(new DeployPlan.Keep(identity, reservation, addresses, live.templateHash(), healthy));
            } else {
                actions.add(new DeployPlan.Replace(identity, reservation, addresses, desired.deployment(), desired.templateHash(),
                        pinnedNode, "pod is not running with its address and its node pinning is outdated"));
            }
        }
        DeployPlan.ServiceAction service;
        var desiredService = WorkloadRenderer.service(request);
        if (view.service().isEmpty()) {
            service = new DeployPlan.CreateService(desiredService);
        } else if (desiredService.getMetadata().getAnnotations().get(StickyIpLabels.SPEC_HASH)
                .equals(view.service().get().specHash()) && view.service().get().matches(desiredService)) {
            service = new DeployPlan.KeepService();
        } else {
            service = new DeployPlan.UpdateService(desiredService);
        }
        return new DeployPlan(actions, service, removals(request, pool, beyond, view));
    }

    /** The observed pods by identity label value (one list and one pass for the whole plan). */
    private static Map<String, List<LivePod>> podsByIdentity(ClusterView view) {
        Map<String, List<LivePod>> byIdentity = new HashMap<>();
        for (LivePod p : view.pods()) {
            if (p.identity() != null) {
                byIdentity.computeIfAbsent(p.identity(), k -> new ArrayList<>()).add(p);
            }
        }
        return byIdentity;
    }

    /**
     * Whether an identity's change can be taken in place: only images differ from the live workload (same shape
     * hash, node pinning included), and its one pod ({@code pods}: the identity's) runs Ready with its address from
     * the live template.
     */
    private static boolean inPlace(LiveWorkload live, RenderedWorkload desired, Optional<LivePod> healthy,
                                   List<LivePod> pods) {
        return live.shapeHash() != null && live.shapeHash().equals(desired.shapeHash()) && healthy.isPresent()
                && Objects.equals(healthy.get().templateHash(), live.templateHash())
                && healthy.get().replicaSet() != null && pods.size() == 1;
    }

    private static Optional<Pin> pin(IpPool pool, Reservation reservation, LiveWorkload live, Optional<LivePod> healthy,
                                     ClusterView view, Map<String, Integer> load) {
        if (pool.pinning() == NodePinning.OFF) {
            return Optional.empty();
        }
        String last = reservation.node();
        if (last == null) {
            last = healthy.map(LivePod::node).orElse(live == null ? null : live.pinnedNode());
        }
        if (last != null) {
            Optional<NodeState> node = view.node(last).filter(NodeState::canTakePods);
            // a lost node: schedule anywhere and keep the address (Calico routes a borrowed address)
            return node.map(n -> new Pin(n.name(), n.hostname(), pool.pinning() == NodePinning.REQUIRED));
        }
        // first placement: spread the app's identities over nodes that can take pods; preferred, never required
        return view.nodes().values().stream()
                .filter(NodeState::canTakePods)
                .min(Comparator.comparingInt((NodeState n) -> load.getOrDefault(n.name(), 0)).thenComparing(NodeState::name))
                .map(n -> new Pin(n.name(), n.hostname(), false));
    }

    private static List<DeployPlan.Removal> removals(DeployRequest request, IpPool pool, List<Reservation> beyond,
                                                     ClusterView view) {
        Map<Integer, DeployPlan.Removal> byOrdinal = new TreeMap<>();
        String prefix = request.name() + "-";
        for (LiveWorkload w : view.workloads().values()) {
            if (w.name().startsWith(prefix)) {
                ordinal(w.name().substring(prefix.length())).filter(o -> o >= request.replicas()).ifPresent(o ->
                        byOrdinal.put(o, new DeployPlan.Removal(new ReplicaIdentity(request.namespace(), request.name(), o),
                                true, Optional.empty(), pool.keeps(request.namespace()))));
            }
        }
        for (Reservation r : beyond) {
            ReplicaIdentity.parse(r.identity()).filter(id -> id.ordinal() >= request.replicas()).ifPresent(id -> {
                boolean exists = byOrdinal.containsKey(id.ordinal());
                if (!exists && r.isIdle()) {
                    return; // already scaled down and kept idle: nothing left to do
                }
                byOrdinal.put(id.ordinal(), new DeployPlan.Removal(id, exists, Optional.of(r), pool.keeps(request.namespace())));
            });
        }
        return List.copyOf(byOrdinal.values());
    }

    private static Optional<Integer> ordinal(String text) {
        if (text.isEmpty() || text.length() > 4 || !text.chars().allMatch(Character::isDigit)) {
            return Optional.empty();
        }
        return Optional.of(Integer.parseInt(text));
    }
}
