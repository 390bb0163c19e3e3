package io.jenkins.plugins.kubeplatform.stickyip;

/** One change a ledger decision makes; the store persists the changes of one decision atomically. */
public sealed interface LedgerChange {

    /** Creates or replaces the reservation of {@code reservation.identity()}. */
    record Put(Reservation reservation) implements LedgerChange {
    }

    /** Deletes the reservation of {@code identity}, returning its address to the pool. */
    record Remove(String identity) implements LedgerChange {
    }
}
