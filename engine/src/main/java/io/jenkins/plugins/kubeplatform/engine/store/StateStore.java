package io.jenkins.plugins.kubeplatform.engine.store;

import java.util.function.Function;

/**
 * A durable, serialized home for one piece of state (the IP ledger, the domain registry, the VM inventory).
 *
 * <p>{@link #update} is the only way to change state: it re-reads the latest acknowledged state, lets the caller
 * decide, and makes the decision durable before returning, so an acknowledged change survives a crash.
 * Implementations: {@link AtomicFileStore} (CLI and Jenkins, under the state directory or JENKINS_HOME) and, for the
 * VM inventory, {@code ClusterInventoryStore} (one object per record in the cluster). As a {@link Store} the view is
 * the state and a change is the next state.
 *
 * @param <S> immutable state type
 */
public interface StateStore<S> extends Store<S, S> {

    /** The latest acknowledged state (the empty state if nothing was ever written). */
    S read();

    /**
     * Applies {@code change} to the latest state under the store's write lock and persists the new state before
     * returning. A change that returns {@link Update#unchanged} writes nothing.
     */
    <R> R update(Function<S, Update<S, R>> change);

    @Override
    default <R> R read(Function<S, R> query) {
        return query.apply(read());
    }

    @Override
    default <R> R decide(Function<S, Store.Decision<S, R>> decide) {
        return update(state -> {
            Store.Decision<S, R> d = decide.apply(state);
            return d.changed() ? Update.to(d.changes(), d.result()) : Update.unchanged(state, d.result());
        });
    }

    /** A decision: the next state and what to tell the caller. */
    record Update<S, R>(S state, R result, boolean changed) {

        public static <S, R> Update<S, R> to(S next, R result) {
            return new Update<>(next, result, true);
        }

        public static <S, R> Update<S, R> unchanged(S current, R result) {
            return new Update<>(current, result, false);
        }
    }
}
