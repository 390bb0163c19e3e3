package io.jenkins.plugins.kubeplatform.store;

import java.util.function.Function;

/**
 * A durable, serialized home for one piece of state (the IP ledger, the domain registry, the VM inventory).
 *
 * <p>{@link #update} is the only way to change state: it re-reads the latest acknowledged state, lets the caller
 * decide, and makes the decision durable before returning, so an acknowledged change survives a crash.
 * Implementations: {@link AtomicFileStore} (CLI and Jenkins, under the state directory or JENKINS_HOME).
 *
 * @param <S> immutable state type
 */
public interface StateStore<S> {

    /** The latest acknowledged state (the empty state if nothing was ever written). */
    S read();

    /**
     * Applies {@code change} to the latest state under the store's write lock and persists the new state before
     * returning. A change that returns {@link Update#unchanged} writes nothing.
     */
    <R> R update(Function<S, Update<S, R>> change);

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
