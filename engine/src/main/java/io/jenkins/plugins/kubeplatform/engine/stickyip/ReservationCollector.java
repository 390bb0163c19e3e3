package io.jenkins.plugins.kubeplatform.engine.stickyip;

import io.fabric8.kubernetes.api.model.Pod;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.stickyip.ClusterView.NodeState;
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
                                              io.jenkins.plugins.kubeplatform.engine.kube.ApiRetry retry,
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
     * Reservations visited per lock hold by a sweep on a {@link JournaledLedgerStore}'s columns (a few nanoseconds
     * each unless expired); at most {@link #RELEASE_BATCH} of them are released in that hold.
     */
    static final int COLUMN_SCAN = 8192;

    /**
     * The ledger half of a sweep, given what the cluster looks like: read the ledger page by page (the lock is held
     * for one page at a time), decide on each page as read and release its expired holders at once in one durable
     * write, only those unchanged since; so allocations in every pool proceed between pages and batches, and the
     * sweep holds one page of candidates, not the whole ledger's. A {@link JournaledLedgerStore} is swept on its
     * table's columns instead, deciding and releasing in the same short lock hold (see the overload taking one).
     */
    public static Report sweep(IpReservationLedger ledger, Map<String, IpPool> pools, Instant now, Guard guard) {
        return sweep(ledger, pools, now, guard, BATCH, () -> { });
    }

    static Report sweep(IpReservationLedger ledger, Map<String, IpPool> pools, Instant now, Guard guard, int batch,
                        Runnable betweenBatches) {
        if (ledger.store() instanceof JournaledLedgerStore journaled) {
            return sweep(journaled, pools, now, guard, Math.max(batch, COLUMN_SCAN), Math.min(batch, RELEASE_BATCH),
                    (visited, released) -> betweenBatches.run());
        }
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

    /**
     * The sweep on the store's columns: the same decision as {@link #decide}, taken per lock hold on at most
     * {@code scan} reservations of which at most {@code release} are released in that hold (see
     * {@link JournaledLedgerStore#sweep}); no reservation is built except the ones released (kept compactly for the
     * report) and held, so a sweep of a million makes little garbage and holds the lock for one short slice at a time.
     */
    static Report sweep(JournaledLedgerStore store, Map<String, IpPool> pools, Instant now, Guard guard, int scan,
                        int release, JournaledLedgerStore.SweepSlice afterSlice) {
        ReservationList released = new ReservationList();
        List<Held> held = new ArrayList<>();
        Map<String, Long> upTo = new java.util.HashMap<>();
        long nowNanos = LedgerTable.nanos(now);
        pools.forEach((name, pool) -> upTo.put(name, expiredUpTo(nowNanos, pool.reclaimAfter())));
        LedgerTable.SweepRule rule = new LedgerTable.SweepRule() {
            @Override
            public long expiredUpTo(String pool) {
                return upTo.getOrDefault(pool, Long.MIN_VALUE);
            }

            @Override
            public String holdReason(LedgerTable.Candidate c) {
                return ReservationCollector.holdReason(guard, c::identity, c::ip, c.node());
            }
        };
        store.sweep(scan, release, rule, released, (r, reason) -> held.add(new Held(r, reason)), afterSlice);
        return new Report(java.util.Collections.unmodifiableList(released), List.copyOf(held));
    }

    /** {@code now - reclaimAfter} in nanoseconds; saturated (a reclaim-after beyond the epoch expires nothing). */
    private static long expiredUpTo(long nowNanos, java.time.Duration reclaimAfter) {
        try {
            return Math.subtractExact(nowNanos, reclaimAfter.toNanos());
        } catch (ArithmeticException e) {
            return Long.MIN_VALUE;
        }
    }

    /** Why an expired reservation is kept, or null to release it; identity and address text only when needed. */
    private static String holdReason(Guard guard, java.util.function.Supplier<String> identity,
                                     java.util.function.Supplier<String> ip, String node) {
        String address = null;
        if (!guard.terminatingIdentities().isEmpty() && guard.terminatingIdentities().contains(identity.get())
                || !guard.terminatingAddresses().isEmpty()
                && guard.terminatingAddresses().contains(address = ip.get())) {
            return "its pod is still Terminating";
        }
        if (node != null && guard.nodes().containsKey(node) && !guard.nodes().get(node).ready()) {
            return "its last node " + node + " is NotReady; the pod may still run there";
        }
        if (!guard.addressesInUse().isEmpty()
                && guard.addressesInUse().contains(address != null ? address : ip.get())) {
            return "a running pod uses the address";
        }
        return null;
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
            String reason = holdReason(guard, r::identity, r::ip, r.node());
            if (reason != null) {
                held.add(new Held(r, reason));
            } else {
                release.add(r);
            }
        }
        return new Report(release, held);
    }
}
