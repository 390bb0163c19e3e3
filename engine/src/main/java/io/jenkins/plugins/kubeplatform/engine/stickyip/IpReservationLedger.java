package io.jenkins.plugins.kubeplatform.engine.stickyip;

import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.stickyip.LedgerStore.Decision;
import io.jenkins.plugins.kubeplatform.engine.stickyip.address.AddressPool;
import io.jenkins.plugins.kubeplatform.engine.stickyip.address.IpKey;
import io.jenkins.plugins.kubeplatform.engine.stickyip.address.Occupancy;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * The reservation ledger's operations (SIP-2): each one re-reads the ledger, decides, and persists the decision
 * through the {@link LedgerStore} before returning. Allocation never hands out an address that is reserved, used
 * by any live pod, excluded, or a network/broadcast address; a release only succeeds for the current holder. An
 * identity of a dual-stack pool holds one reservation per family; they are reserved, retired and released together.
 */
public final class IpReservationLedger {

    private final LedgerStore store;
    private final Clock clock;
    private final RandomGenerator random;

    public IpReservationLedger(LedgerStore store, Clock clock, RandomGenerator random) {
        this.store = Objects.requireNonNull(store);
        this.clock = Objects.requireNonNull(clock);
        this.random = Objects.requireNonNull(random);
    }

    /** The ledger kept under {@code stateDir/ip-ledger} (the CLI's --state-dir, or JENKINS_HOME/kubeplatform). */
    /** The clock the ledger stamps its reservations with; the deploy stamps its writes with it too. */
    public Clock clock() {
        return clock;
    }

    public static IpReservationLedger open(java.nio.file.Path stateDir, Clock clock) {
        return new IpReservationLedger(new JournaledLedgerStore(stateDir.resolve("ip-ledger")), clock,
                new java.security.SecureRandom());
    }

    public LedgerStore store() {
        return store;
    }

    /** A ledger over an in-memory copy of this one (see {@link ScratchLedgerStore}); for dry runs. */
    public IpReservationLedger scratchCopy() {
        return new IpReservationLedger(ScratchLedgerStore.copyOf(store), clock, random);
    }

    public <R> R read(Function<LedgerView, R> query) {
        return store.read(query);
    }

    public Optional<Reservation> get(String identity) {
        return store.read(v -> v.get(identity));
    }

    /** Every reservation, sorted by identity. */
    public List<Reservation> list() {
        return store.read(v -> v.all().stream().sorted(Comparator.comparing(Reservation::identity)).toList());
    }

    /**
     * Gives every identity its address: its existing reservation when it has one in this pool, else a newly
     * allocated one. All or nothing: when the pool cannot serve every identity, nothing is written.
     *
     * @param usedByPods  IPv4 addresses of live pods that are not these identities' own pods
     * @param reallocate  identities that must get a new address (their last node is gone and the pool says so)
     * @throws PoolExhaustedException when the pool has too few free addresses
     * @throws InvalidInputException  when an identity already holds an address of another pool
     */
    public List<Reservation> reserve(IpPool pool, List<ReplicaIdentity> identities, Set<Long> usedByPods,
                                     Set<String> reallocate, String owner) {
        Set<IpKey> used = new HashSet<>();
        usedByPods.forEach(a -> used.add(IpKey.ofIpv4(a)));
        return reserveAddresses(pool, identities, used, reallocate, owner);
    }

    /** {@link #reserve}, with the live pods' addresses of either family (IPv6 pools need this one). */
    public List<Reservation> reserveAddresses(IpPool pool, List<ReplicaIdentity> identities, Set<IpKey> usedByPods,
                                              Set<String> reallocate, String owner) {
        return reserveAll(pool, identities, usedByPods, reallocate, owner).stream().map(h -> h.get(0)).toList();
    }

    /**
     * {@link #reserveAddresses}, returning every reservation of each identity: one per family of the pool, IPv4
     * first (two for a dual-stack pool). Both families of an identity are written in the same durable update.
     */
    public List<List<Reservation>> reserveAll(IpPool pool, List<ReplicaIdentity> identities, Set<IpKey> usedByPods,
                                              Set<String> reallocate, String owner) {
        Set<Long> usedIpv4 = new HashSet<>();
        usedByPods.forEach(k -> k.ipv4().ifPresent(usedIpv4::add));
        return store.update(view -> {
            Instant now = clock.instant();
            List<LedgerChange> changes = new ArrayList<>();
            List<List<Reservation>> result = new ArrayList<>();
            Set<Long> takenNow = new HashSet<>();
            Set<IpKey> takenIpv6 = new HashSet<>(usedByPods);
            Occupancy occupied = view.reserved().or(Occupancy.of(usedIpv4)).or(Occupancy.of(takenNow));
            for (ReplicaIdentity identity : identities) {
                List<Reservation> existing = view.held(identity.key());
                requireSamePool(pool, identity, existing);
                // an address of a family the pool no longer has is dropped with the identity's other entries
                boolean stale = existing.stream().anyMatch(e -> pool.family(LedgerTable.key(e.ip()).isIpv4()).isEmpty());
                if (stale) {
                    changes.add(new LedgerChange.Remove(identity.key()));
                }
                String lastNode = existing.stream().map(Reservation::node).filter(Objects::nonNull).findFirst()
                        .orElse(null);
                List<Reservation> held = new ArrayList<>(2);
                for (AddressPool family : pool.families()) {
                    boolean ipv4 = family.ipv6().isEmpty();
                    Optional<Reservation> same = existing.stream()
                            .filter(e -> LedgerTable.key(e.ip()).isIpv4() == ipv4).findFirst();
                    if (same.isPresent() && !reallocate.contains(identity.key())
                            && family.allocatable(LedgerTable.key(same.get().ip()))) {
                        Reservation r = same.get();
                        Reservation next = r.state() == Reservation.State.ACTIVE && Objects.equals(r.owner(), owner)
                                ? r : r.active(owner);
                        if (next != r || stale) {
                            changes.add(new LedgerChange.Put(next));
                        }
                        held.add(next);
                        continue;
                    }
                    Optional<IpKey> free = freeAddress(view, pool, family, ipv4, occupied, takenIpv6);
                    if (free.isEmpty()) {
                        throw exhausted(view, pool, family, identity, usedByPods.size());
                    }
                    free.get().ipv4().ifPresent(takenNow::add);
                    takenIpv6.add(free.get());
                    Reservation fresh = new Reservation(identity.key(), pool.name(), free.get().toString(),
                            Reservation.Kind.MANAGED, Reservation.State.ACTIVE, lastNode, null, owner, now,
                            same.map(r -> r.revision() + 1).orElse(1L));
                    changes.add(new LedgerChange.Put(fresh));
                    held.add(fresh);
                }
                result.add(List.copyOf(held));
            }
            return new Decision<>(changes, List.copyOf(result));
        });
    }

    /** Refuses an identity that holds an address from another pool. */
    private static void requireSamePool(IpPool pool, ReplicaIdentity identity, List<Reservation> existing) {
        for (Reservation e : existing) {
            if (!e.pool().equals(pool.name())) {
                throw new InvalidInputException("pool", identity + " holds " + e.ip() + " from pool '"
                        + e.pool() + "'; deploy with that pool, or release the address first "
                        + "(ip-ledger release --identity " + identity + ")");
            }
        }
    }

    /** A free address of {@code family} in the pool's order, not occupied and not taken by this decision. */
    private Optional<IpKey> freeAddress(LedgerView view, IpPool pool, AddressPool family, boolean ipv4,
                                        Occupancy occupied, Set<IpKey> takenIpv6) {
        if (!ipv4) {
            return family.allocateIpv6(view.reservedIpv6(family.ipv6().get().upper()), takenIpv6, pool.order(),
                    random);
        }
        OptionalLong v4 = family.allocate(occupied, pool.order(), random);
        return v4.isPresent() ? Optional.of(IpKey.ofIpv4(v4.getAsLong())) : Optional.empty();
    }

    private static PoolExhaustedException exhausted(LedgerView view, IpPool pool, AddressPool family,
                                                    ReplicaIdentity identity, int usedByPods) {
        boolean ipv4 = family.ipv6().isEmpty();
        long reservedInPool = view.all().stream().filter(r -> r.pool().equals(pool.name())
                && LedgerTable.key(r.ip()).isIpv4() == ipv4).count();
        String part = pool.dualStack() ? (ipv4 ? "IPv4 part " : "IPv6 part ") : "";
        return new PoolExhaustedException("Pool '" + pool.name() + "' (" + part + family + ", "
                + family.size() + " addresses) has no free address for " + identity + ": "
                + reservedInPool + " reserved in the ledger, " + usedByPods
                + " in use by other pods in the cluster. Nothing was reserved or applied. Release idle "
                + "reservations (ip-ledger gc / ip-ledger release), deploy fewer replicas, or widen the pool.");
    }

    /**
     * Retires a scaled-down identity (SIP-7): idle since now when {@code keep}, else released. Does nothing when the
     * reservation changed since {@code holder} was read (someone else holds it now).
     *
     * @return the reservation as it is now, empty when released or not held any more
     */
    public Optional<Reservation> retire(Reservation holder, boolean keep) {
        return store.update(view -> {
            Optional<Reservation> current = heldAs(view, holder);
            if (current.isEmpty() || !sameHolder(current.get(), holder)) {
                return Decision.none(current.filter(c -> false));
            }
            if (!keep) {
                return new Decision<>(List.of(new LedgerChange.Remove(holder.identity())), Optional.empty());
            }
            if (current.get().isIdle()) {
                return Decision.none(current);
            }
            Instant now = clock.instant();
            List<LedgerChange> changes = new ArrayList<>();
            view.held(holder.identity()).forEach(r -> changes.add(new LedgerChange.Put(r.idle(now))));
            return new Decision<>(changes, Optional.of(current.get().idle(now)));
        });
    }

    /** Releases {@code holder}'s address only if the ledger still records exactly that reservation. */
    public boolean release(Reservation holder) {
        return store.update(view -> {
            Optional<Reservation> current = heldAs(view, holder);
            if (current.isEmpty() || !sameHolder(current.get(), holder)) {
                return Decision.none(false);
            }
            return new Decision<>(List.of(new LedgerChange.Remove(holder.identity())), true);
        });
    }

    /** Releases several holders in one durable write; returns those that were still held as read. */
    public List<Reservation> releaseAll(List<Reservation> holders) {
        return store.update(view -> {
            List<LedgerChange> changes = new ArrayList<>();
            List<Reservation> released = new ArrayList<>();
            for (Reservation holder : holders) {
                Optional<Reservation> current = heldAs(view, holder);
                if (current.isPresent() && sameHolder(current.get(), holder)) {
                    changes.add(new LedgerChange.Remove(holder.identity()));
                    released.add(holder);
                }
            }
            return new Decision<>(changes, List.copyOf(released));
        });
    }

    /** Records where identities run now; writes only the ones that moved. */
    public void recordNodes(Map<String, String> nodeByIdentity) {
        store.update(view -> {
            List<LedgerChange> changes = new ArrayList<>();
            nodeByIdentity.forEach((identity, node) -> view.held(identity).stream()
                    .filter(r -> node != null && !node.equals(r.node()))
                    .forEach(r -> changes.add(new LedgerChange.Put(r.onNode(node)))));
            return new Decision<>(changes, null);
        });
    }

    /**
     * Records on {@code identity}'s reservation that its required pin to a node was released between deploys, when
     * and why (SIP-15); the address is kept. Returns the reservation as now recorded, empty when there is none.
     */
    public Optional<Reservation> recordPinRelease(String identity, Reservation.PinRelease release) {
        Objects.requireNonNull(release, "release");
        return store.update(view -> {
            Optional<Reservation> current = view.get(identity);
            if (current.isEmpty()) {
                return Decision.none(Optional.empty());
            }
            List<LedgerChange> changes = new ArrayList<>();
            view.held(identity).forEach(r -> changes.add(new LedgerChange.Put(r.pinReleased(release))));
            return new Decision<>(changes, Optional.of(current.get().pinReleased(release)));
        });
    }

    /** The identity's reservation in the family of {@code holder}'s address, as the ledger holds it now. */
    private static Optional<Reservation> heldAs(LedgerView view, Reservation holder) {
        boolean ipv4 = LedgerTable.key(holder.ip()).isIpv4();
        return view.held(holder.identity()).stream().filter(r -> LedgerTable.key(r.ip()).isIpv4() == ipv4).findFirst();
    }

    /** Same reservation as read: identity, address and revision all unchanged. */
    static boolean sameHolder(Reservation current, Reservation holder) {
        return current.identity().equals(holder.identity()) && current.ip().equals(holder.ip())
                && current.revision() == holder.revision();
    }
}
