package io.jenkins.plugins.kubeplatform.engine.store;

import java.util.function.Function;

/**
 * The one shape of every durable store of the project, file or cluster: a consistent view to query, and decisions
 * run on the latest acknowledged view whose changes are durable before the call returns.
 *
 * <ul>
 *   <li>{@link StateStore}{@code <S>} is a {@code Store<S, S>}: the view is the whole state and a change is the next
 *       state (the domain registry and the VM inventory: {@link AtomicFileStore}, {@code ClusterInventoryStore});</li>
 *   <li>{@code LedgerStore} is a {@code Store<LedgerView, List<LedgerChange>>}: the view is the reservation table and
 *       a change is the list of reservations to put or remove ({@code JournaledLedgerStore},
 *       {@code ClusterLedgerStore}).</li>
 * </ul>
 * Code that only needs "read, decide, persist" (contract tests, benchmarks, migrations) is written once against this
 * interface; each family keeps its own richer methods.
 *
 * @param <V> what a query and a decision see
 * @param <C> what a decision hands back to be persisted
 */
public interface Store<V, C> {

    /** Runs {@code query} on the latest acknowledged view. */
    <R> R read(Function<V, R> query);

    /**
     * Runs {@code decide} on the latest acknowledged view (again, when a concurrent writer got there first) and makes
     * its changes durable before returning its result. A decision that throws, or is not {@link Decision#changed},
     * writes nothing.
     */
    <R> R decide(Function<V, Decision<C, R>> decide);

    /** The changes to persist (when {@code changed}) and the value to hand back. */
    record Decision<C, R>(C changes, R result, boolean changed) {

        public static <C, R> Decision<C, R> to(C changes, R result) {
            return new Decision<>(changes, result, true);
        }

        public static <C, R> Decision<C, R> none(R result) {
            return new Decision<>(null, result, false);
        }
    }
}
