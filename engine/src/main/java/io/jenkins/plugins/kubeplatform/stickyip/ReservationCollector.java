package io.jenkins.plugins.kubeplatform.stickyip;

import io.fabric8.kubernetes.api.model.Pod;
import io.jenkins.plugins.kubeplatform.core.Progress;
import io.jenkins.plugins.kubeplatform.stickyip.ClusterView.NodeState;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Garbage collection of idle reservations (SIP-8): an idle reservation older than its pool's reclaim-after is
 * released, unless a pod still holds the address, the identity's pod is Terminating, or its last node is NotReady
 * (the pod may still be running there, unreachable).
 */
public final class ReservationCollector {

    /** What a sweep did. */
    public record Report(List<Reservation> released, List<Held> held) {
    }

    /** An expired reservation that was kept, and why. */
    public record Held(Reservation reservation, String reason) {
    }

    /** What the sweep needs to know about the cluster, as plain values. */
    public record Guard(Set<String> addressesInUse, Set<String> terminatingIdentities, Set<String> terminatingAddresses,
                        Map<String, NodeState> nodes) {
    }

    private final ClusterObserver observer;
    private final IpReservationLedger ledger;
    private final Map<String, IpPool> pools;
    private final Clock clock;

    ReservationCollector(ClusterObserver observer, IpReservationLedger ledger, Map<String, IpPool> pools, Clock clock) {
        this.observer = observer;
        this.ledger = ledger;
        this.pools = Map.copyOf(pools);
        this.clock = clock;
    }

    public static ReservationCollector create(io.fabric8.kubernetes.client.KubernetesClient client,
                                              io.jenkins.plugins.kubeplatform.kube.ApiRetry retry,
                                              IpReservationLedger ledger, Map<String, IpPool> pools, Clock clock) {
        return new ReservationCollector(new ClusterObserver(client, retry), ledger, pools, clock);
    }

    /** One sweep: observe, decide on the ledger as read, release (only holders unchanged since they were read). */
    public Report collect(Progress progress) {
        Report report = sweep(ledger, pools, clock.instant(), guard(observer.allPods(), observer.nodes()));
        for (Reservation r : report.released()) {
            progress.step("gc: released " + r.ip() + " of " + r.identity() + " (idle since " + r.idleSince() + ")");
        }
        for (Held h : report.held()) {
            progress.step("gc: kept " + h.reservation().ip() + " of " + h.reservation().identity() + ": " + h.reason());
        }
        return report;
    }

    /** Reservations read per lock hold while deciding. */
    static final int BATCH = 2048;
    /** Reservations released per durable write (one lock hold: look-up, check, append and apply of each). */
    static final int RELEASE_BATCH = 512;

    /**
     * The ledger half of a sweep, given what the cluster looks like: read the ledger page by page (the lock is held
     * for one page at a time), decide on each page as read and release its expired holders at once in one durable
     * write, only those unchanged since; so allocations in every pool proceed between pages and batches, and the
     * sweep holds one page of candidates, not the whole ledger's.
     */
    public static Report sweep(IpReservationLedger ledger, Map<String, IpPool> pools, Instant now, Guard guard) {
        return sweep(ledger, pools, now, guard, BATCH, () -> { });
    }

    static Report sweep(IpReservationLedger ledger, Map<String, IpPool> pools, Instant now, Guard guard, int batch,
                        Runnable betweenBatches) {
        List<Reservation> released = new ReservationList(); // compact: a 1M sweep may release half
        List<Held> held = new ArrayList<>();
        ledger.store().scan(batch, page -> {
            Report decided = decide(page, pools, now, guard);
            held.addAll(decided.held());
            betweenBatches.run();
            List<Reservation> expired = decided.released();
            int releaseBatch = Math.min(batch, RELEASE_BATCH);
            for (int i = 0; i < expired.size(); i += releaseBatch) {
                released.addAll(ledger.releaseAll(expired.subList(i, Math.min(expired.size(), i + releaseBatch))));
                betweenBatches.run();
            }
        });
        return new Report(java.util.Collections.unmodifiableList(released), List.copyOf(held));
    }

    static Guard guard(List<Pod> pods, Map<String, NodeState> nodes) {
        Set<String> inUse = new HashSet<>();
        Set<String> terminating = new HashSet<>();
        Set<String> terminatingAddresses = new HashSet<>();
        for (Pod p : pods) {
            boolean isTerminating = p.getMetadata().getDeletionTimestamp() != null;
            Map<String, String> labels = p.getMetadata().getLabels();
            if (isTerminating && labels != null && labels.get(StickyIpLabels.IDENTITY) != null) {
                terminating.add(p.getMetadata().getNamespace() + "/" + labels.get(StickyIpLabels.IDENTITY));
            }
            if (ClusterObserver.holdsAddress(p)) {
                (isTerminating ? terminatingAddresses : inUse).add(p.getStatus().getPodIP());
            }
        }
        return new Guard(inUse, terminating, terminatingAddresses, nodes);
    }

    /** Pure: which expired idle reservations to release and which to hold. */
    static Report decide(Collection<Reservation> reservations, Map<String, IpPool> pools, Instant now, Guard guard) {
        List<Reservation> release = new ArrayList<>();
        List<Held> held = new ArrayList<>();
        for (Reservation r : reservations) {
            if (!r.isIdle() || r.idleSince() == null) {
                continue;
            }
            IpPool pool = pools.get(r.pool());
            if (pool == null) {
                continue; // a pool removed from the configuration: its reservations wait for an administrator
            }
            if (r.idleSince().plus(pool.reclaimAfter()).isAfter(now)) {
                continue;
            }
            if (guard.terminatingIdentities().contains(r.identity()) || guard.terminatingAddresses().contains(r.ip())) {
                held.add(new Held(r, "its pod is still Terminating"));
            } else if (r.node() != null && guard.nodes().containsKey(r.node()) && !guard.nodes().get(r.node()).ready()) {
                held.add(new Held(r, "its last node " + r.node() + " is NotReady; the pod may still run there"));
            } else if (guard.addressesInUse().contains(r.ip())) {
                held.add(new Held(r, "a running pod uses the address"));
            } else {
                release.add(r);
            }
        }
        return new Report(release, held);
    }
}
