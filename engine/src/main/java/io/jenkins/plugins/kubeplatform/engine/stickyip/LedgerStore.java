package io.jenkins.plugins.kubeplatform.engine.stickyip;

import io.jenkins.plugins.kubeplatform.engine.store.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The durable home of the reservation ledger. {@link #update} runs a decision on the latest acknowledged ledger
 * (re-read under the store's lock, so concurrent builds and processes serialize) and makes its changes durable
 * before returning: a reservation is persisted before anything is applied to the cluster.
 *
 * <p>The store enforces the ledger's one invariant itself: two identities never hold one address. As a {@link Store}
 * the view is the reservation table and a change is the list of reservations to put or remove.
 */
public interface LedgerStore extends Store<LedgerView, List<LedgerChange>> {

    @Override
    <R> R read(Function<LedgerView, R> query);

    /**
     * Hands every reservation to {@code page}, at most {@code pageSize} at a time. Stores that can release their lock
     * between pages do so (a long scan must not hold up allocations); entries changed meanwhile may be seen in
     * either state, so callers act only on holders that are unchanged when they act.
     */
    default void scan(int pageSize, Consumer<List<Reservation>> page) {
        List<Reservation> all = read(v -> new ArrayList<>(v.all()));
        for (int i = 0; i < all.size(); i += pageSize) {
            page.accept(all.subList(i, Math.min(all.size(), i + pageSize)));
        }
    }

    /** A decision that throws changes nothing; an empty change list writes nothing. */
    <R> R update(Function<LedgerView, Decision<R>> decide);

    /** {@link #update} in the shape shared by every store: the changes are the reservations to put or remove. */
    @Override
    default <R> R decide(Function<LedgerView, Store.Decision<List<LedgerChange>, R>> decide) {
        return update(view -> {
            Store.Decision<List<LedgerChange>, R> d = decide.apply(view);
            return new Decision<>(d.changed() ? d.changes() : List.of(), d.result());
        });
    }

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
