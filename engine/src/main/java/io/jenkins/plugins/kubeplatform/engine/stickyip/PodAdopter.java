package io.jenkins.plugins.kubeplatform.engine.stickyip;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.kube.ApiRetry;
import io.jenkins.plugins.kubeplatform.engine.stickyip.LedgerStore.Decision;
import io.jenkins.plugins.kubeplatform.engine.stickyip.address.IpKey;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Adoption and node tracking (SIP-9): pods in a pool's ranges that the ledger does not know are recorded as adopted,
 * so their addresses are never handed out; when such a pod is gone its entry turns idle and garbage collection
 * releases it after the pool's reclaim-after. Known identities that moved get their new node recorded.
 */
public final class PodAdopter {

    /** What a sync changed, and address conflicts an administrator should look at. */
    public record Report(List<Reservation> adopted, List<Reservation> moved, List<Reservation> idled,
                         List<String> conflicts) {
    }

    /** A pod that holds an address, as plain values. */
    record HeldAddress(String namespace, String pod, String ip, String node, String identityLabel, boolean managed) {
    }

    private final KubernetesClient client;
    private final ApiRetry retry;
    private final IpReservationLedger ledger;
    private final Map<String, IpPool> pools;
    private final Clock clock;

    public PodAdopter(KubernetesClient client, ApiRetry retry, IpReservationLedger ledger, Map<String, IpPool> pools,
                      Clock clock) {
        this.client = client;
        this.retry = retry;
        this.ledger = ledger;
        this.pools = Map.copyOf(pools);
        this.clock = clock;
    }

    public Report sync(Progress progress) {
        List<HeldAddress> held = new ArrayList<>();
        for (Pod p : new ClusterObserver(client, retry).allPods()) {
            if (ClusterObserver.holdsAddress(p)) {
                Map<String, String> labels = p.getMetadata().getLabels();
                // a dual-stack pod holds one address per family (status.podIPs)
                Set<String> ips = new java.util.LinkedHashSet<>(List.of(p.getStatus().getPodIP()));
                if (p.getStatus().getPodIPs() != null) {
                    p.getStatus().getPodIPs().stream().map(a -> a.getIp()).filter(ip -> ip != null && !ip.isBlank())
                            .forEach(ips::add);
                }
                for (String ip : ips) {
                    held.add(new HeldAddress(p.getMetadata().getNamespace(), p.getMetadata().getName(), ip,
                            p.getSpec() == null ? null : p.getSpec().getNodeName(),
                            labels == null ? null : labels.get(StickyIpLabels.IDENTITY), StickyIpLabels.isManaged(labels)));
                }
            }
        }
        Report report = ledger.store().update(view -> decide(view, held, pools.values(), clock.instant()));
        report.adopted().forEach(r -> progress.step("sync: adopted " + r.ip() + " used by " + r.identity().substring(
                ReplicaIdentity.ADOPTED_PREFIX.length()) + " (not created by kubernetes-platform-steps)"));
        report.moved().forEach(r -> progress.step("sync: " + r.identity() + " now runs on " + r.node()));
        report.idled().forEach(r -> progress.step("sync: " + r.identity() + " is gone; " + r.ip() + " idle until reclaimed"));
        report.conflicts().forEach(c -> progress.warn("sync: " + c));
        return report;
    }

    /** Pure: the ledger changes for the pods that hold addresses now. */
    static Decision<Report> decide(LedgerView view, List<HeldAddress> pods, Collection<IpPool> pools, Instant now) {
        List<LedgerChange> changes = new ArrayList<>();
        List<Reservation> adopted = new ArrayList<>();
        List<Reservation> moved = new ArrayList<>();
        List<Reservation> idled = new ArrayList<>();
        List<String> conflicts = new ArrayList<>();
        Set<String> adoptedPresent = new HashSet<>();
        Set<String> removed = new HashSet<>();
        for (HeldAddress pod : pods) {
            Optional<IpKey> address = IpKey.parse(pod.ip());
            Optional<IpPool> pool = address.flatMap(a -> pools.stream().filter(p -> p.covers(a)).findFirst());
            if (pool.isEmpty()) {
                continue;
            }
            String adoptedKey = ReplicaIdentity.adoptedKey(pod.namespace(), pod.pod());
            String ownKey = pod.managed() && pod.identityLabel() != null ? pod.namespace() + "/" + pod.identityLabel() : null;
            Optional<Reservation> holder = view.holderOf(pod.ip()).filter(h -> !removed.contains(h.identity()));
            if (holder.isEmpty()) {
                Reservation r = adoption(adoptedKey, pool.get().name(), address.get().toString(), pod, now,
                        view.get(adoptedKey).map(o -> o.revision() + 1).orElse(1L));
                changes.add(new LedgerChange.Put(r));
                adopted.add(r);
                adoptedPresent.add(adoptedKey);
                continue;
            }
            Reservation h = holder.get();
            if (h.identity().equals(ownKey) || h.identity().equals(adoptedKey)) {
                adoptedPresent.add(h.identity());
                Reservation next = followed(h, pod, moved);
                if (next != h) {
                    changes.add(new LedgerChange.Put(next));
                }
            } else if (h.kind() == Reservation.Kind.ADOPTED && !h.isIdle()
                    && pods.stream().noneMatch(o -> h.identity().equals(ReplicaIdentity.adoptedKey(o.namespace(), o.pod())))) {
                // the adopted pod is gone and another unknown pod took its address: the entry follows the address
                changes.add(new LedgerChange.Remove(h.identity()));
                Reservation r = adoption(adoptedKey, h.pool(), pod.ip(), pod, now, 1);
                changes.add(new LedgerChange.Put(r));
                adopted.add(r);
                adoptedPresent.add(adoptedKey);
                removed.add(h.identity());
            } else {
                conflicts.add("pod " + pod.namespace() + "/" + pod.pod() + " uses " + pod.ip() + ", which the ledger reserves for "
                        + h.identity() + "; that identity's pod cannot start with its address until the pod is gone");
            }
        }
        for (Reservation r : view.all()) {
            if (r.kind() == Reservation.Kind.ADOPTED && !r.isIdle() && !adoptedPresent.contains(r.identity())
                    && !removed.contains(r.identity())) {
                Reservation idle = r.idle(now);
                changes.add(new LedgerChange.Put(idle));
                idled.add(idle);
            }
        }
        return new Decision<>(changes, new Report(adopted, moved, idled, conflicts));
    }

    /** An active adopted reservation of {@code ip} for a pod the steps did not create. */
    private static Reservation adoption(String key, String pool, String ip, HeldAddress pod, Instant now,
            long revision) {
        return new Reservation(key, pool, ip, Reservation.Kind.ADOPTED, Reservation.State.ACTIVE, pod.node(), null,
                "adopted from pod " + pod.namespace() + "/" + pod.pod(), now, revision);
    }

    /** The holder's reservation following its pod: on the pod's node (recorded in {@code moved}), active again. */
    private static Reservation followed(Reservation h, HeldAddress pod, List<Reservation> moved) {
        Reservation next = h;
        if (pod.node() != null && !pod.node().equals(h.node())) {
            next = next.onNode(pod.node());
            moved.add(next);
        }
        if (h.kind() == Reservation.Kind.ADOPTED && h.isIdle()) {
            next = next.active(h.owner());
        }
        return next;
    }
}
