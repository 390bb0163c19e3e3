package io.jenkins.plugins.kubeplatform.engine.stickyip;

/** One change a ledger decision makes; the store persists the changes of one decision atomically. */
public sealed interface LedgerChange {

    /**
     * Creates or replaces the reservation of {@code reservation.identity()} in the family of its address; a
     * dual-stack identity's other-family reservation is left as it is.
     */
    record Put(Reservation reservation) implements LedgerChange {
    }

    /** Deletes every reservation of {@code identity} (both families), returning its addresses to their pools. */
    record Remove(String identity) implements LedgerChange {
    }
}
