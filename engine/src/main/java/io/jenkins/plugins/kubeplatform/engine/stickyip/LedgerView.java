package io.jenkins.plugins.kubeplatform.engine.stickyip;

import io.jenkins.plugins.kubeplatform.engine.stickyip.address.IntervalSet;
import io.jenkins.plugins.kubeplatform.engine.stickyip.address.Occupancy;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Read-only view of the ledger handed to a decision; valid only inside the store call that provided it. */
public interface LedgerView {

    /** The identity's reservation; for a dual-stack identity its IPv4 one (see {@link #held}). */
    Optional<Reservation> get(String identity);

    /**
     * Every reservation of the identity, one per address family, IPv4 first: two for an identity of a dual-stack
     * pool, else at most one.
     */
    default List<Reservation> held(String identity) {
        return get(identity).map(List::of).orElse(List.of());
    }

    /** The reservation holding {@code ip}, if any. */
    Optional<Reservation> holderOf(String ip);

    Collection<Reservation> all();

    /** Every reserved IPv4 address, as a fast occupancy for allocation. */
    Occupancy reserved();

    /** The reserved IPv6 addresses of one /64 (by its upper 64 bits), as a set of their lower 64 bits. */
    default Optional<IntervalSet> reservedIpv6(long upper) {
        return Optional.empty();
    }

    int size();
}
