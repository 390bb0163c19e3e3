package io.jenkins.plugins.kubeplatform.stickyip;

import io.jenkins.plugins.kubeplatform.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.stickyip.LedgerStore.Decision;
import io.jenkins.plugins.kubeplatform.stickyip.address.IpKey;
import io.jenkins.plugins.kubeplatform.stickyip.address.Occupancy;
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
 * by any live pod, excluded, or a network/broadcast address; a release only succeeds for the current holder.
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
        Set<Long> usedIpv4 = new HashSet<>();
        usedByPods.forEach(k -> k.ipv4().ifPresent(usedIpv4::add));
        return store.update(view -> {
            Instant now = clock.instant();
            List<LedgerChange> changes = new ArrayList<>();
            List<Reservation> result = new ArrayList<>();
            Set<Long> takenNow = new HashSet<>();
            Set<IpKey> takenIpv6 = new HashSet<>(usedByPods);
            Occupancy occupied = view.reserved().or(Occupancy.of(usedIpv4)).or(Occupancy.of(takenNow));
            for (ReplicaIdentity identity : identities) {
                Optional<Reservation> existing = view.get(identity.key());
                if (existing.isPresent() && !existing.get().pool().equals(pool.name())) {
                    throw new InvalidInputException("pool", identity + " holds " + existing.get().ip() + " from pool '"
                            + existing.get().pool() + "'; deploy with that pool, or release the address first "
                            + "(ip-ledger release --identity " + identity + ")");
                }
                boolean keep = existing.isPresent() && !reallocate.contains(identity.key())
                        && pool.addresses().allocatable(LedgerTable.key(existing.get().ip()));
                if (keep) {
                    Reservation r = existing.get();
                    Reservation next = r.state() == Reservation.State.ACTIVE && Objects.equals(r.owner(), owner)
                            ? r : r.active(owner);
                    if (next != r) {
                        changes.add(new LedgerChange.Put(next));
                    }
                    result.add(next);
                    continue;
                }
                Optional<IpKey> free;
                if (pool.addresses().ipv6().isPresent()) {
                    free = pool.addresses().allocateIpv6(view.reservedIpv6(pool.addresses().ipv6().get().upper()),
                            takenIpv6, pool.order(), random);
                } else {
                    OptionalLong v4 = pool.addresses().allocate(occupied, pool.order(), random);
                    free = v4.isPresent() ? Optional.of(IpKey.ofIpv4(v4.getAsLong())) : Optional.empty();
                }
                if (free.isEmpty()) {
                    long reservedInPool = view.all().stream().filter(r -> r.pool().equals(pool.name())).count();
                    throw new PoolExhaustedException("Pool '" + pool.name() + "' (" + pool.addresses() + ", "
                            + pool.addresses().size() + " addresses) has no free address for " + identity + ": "
                            + reservedInPool + " reserved in the ledger, " + usedByPods.size()
                            + " in use by other pods in the cluster. Nothing was reserved or applied. Release idle "
                            + "reservations (ip-ledger gc / ip-ledger release), deploy fewer replicas, or widen the pool.");
                }
                free.get().ipv4().ifPresent(takenNow::add);
                takenIpv6.add(free.get());
                Reservation fresh = new Reservation(identity.key(), pool.name(), free.get().toString(),
                        Reservation.Kind.MANAGED, Reservation.State.ACTIVE,
                        existing.flatMap(Reservation::lastNode).orElse(null), null, owner, now,
                        existing.map(r -> r.revision() + 1).orElse(1L));
                changes.add(new LedgerChange.Put(fresh));
                result.add(fresh);
            }
            return new Decision<>(changes, List.copyOf(result));
        });
    }

    /**
     * Retires a scaled-down identity (SIP-7): idle since now when {@code keep}, else released. Does nothing when the
     * reservation changed since {@code holder} was read (someone else holds it now).
     *
     * @return the reservation as it is now, empty when released or not held any more
     */
    public Optional<Reservation> retire(Reservation holder, boolean keep) {
        return store.update(view -> {
            Optional<Reservation> current = view.get(holder.identity());
            if (current.isEmpty() || !sameHolder(current.get(), holder)) {
                return Decision.none(current.filter(c -> false));
            }
            if (!keep) {
                return new Decision<>(List.of(new LedgerChange.Remove(holder.identity())), Optional.empty());
            }
            if (current.get().isIdle()) {
                return Decision.none(current);
            }
            Reservation idle = current.get().idle(clock.instant());
            return new Decision<>(List.of(new LedgerChange.Put(idle)), Optional.of(idle));
        });
    }

    /** Releases {@code holder}'s address only if the ledger still records exactly that reservation. */
    public boolean release(Reservation holder) {
        return store.update(view -> {
            Optional<Reservation> current = view.get(holder.identity());
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
                Optional<Reservation> current = view.get(holder.identity());
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
            nodeByIdentity.forEach((identity, node) -> view.get(identity)
                    .filter(r -> node != null && !node.equals(r.node()))
                    .ifPresent(r -> changes.add(new LedgerChange.Put(r.onNode(node)))));
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
            Reservation next = current.get().pinReleased(release);
            return new Decision<>(List.of(new LedgerChange.Put(next)), Optional.of(next));
        });
    }

    /** Same reservation as read: identity, address and revision all unchanged. */
    static boolean sameHolder(Reservation current, Reservation holder) {
        return current.identity().equals(holder.identity()) && current.ip().equals(holder.ip())
                && current.revision() == holder.revision();
    }
}
