package io.jenkins.plugins.kubeplatform.stickyip;

import java.util.List;
import java.util.function.Function;

/**
 * The durable home of the reservation ledger. {@link #update} runs a decision on the latest acknowledged ledger
 * (re-read under the store's lock, so concurrent builds and processes serialize) and makes its changes durable
 * before returning: a reservation is persisted before anything is applied to the cluster.
 *
 * <p>The store enforces the ledger's one invariant itself: two identities never hold one address.
 */
public interface LedgerStore {

    <R> R read(Function<LedgerView, R> query);

    /** A decision that throws changes nothing; an empty change list writes nothing. */
    <R> R update(Function<LedgerView, Decision<R>> decide);

    /** The changes to persist and the value to hand back. */
    record Decision<R>(List<LedgerChange> changes, R result) {

        public Decision {
            changes = List.copyOf(changes);
        }

        public static <R> Decision<R> none(R result) {
            return new Decision<>(List.of(), result);
        }
    }
}
