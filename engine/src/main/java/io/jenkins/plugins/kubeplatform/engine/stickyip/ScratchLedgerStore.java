package io.jenkins.plugins.kubeplatform.engine.stickyip;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * An in-memory copy of a ledger for dry runs: decisions run exactly as on the real store, their changes are
 * applied to the copy and recorded, and nothing is ever written to the real store.
 */
public final class ScratchLedgerStore implements LedgerStore {

    private final LedgerTable table = new LedgerTable();
    private final List<LedgerChange> changes = new ArrayList<>();

    private ScratchLedgerStore() {
    }

    /** A copy of what {@code source} holds now. */
    public static ScratchLedgerStore copyOf(LedgerStore source) {
        ScratchLedgerStore scratch = new ScratchLedgerStore();
        source.read(view -> List.copyOf(view.all())).forEach(r -> scratch.table.apply(new LedgerChange.Put(r)));
        return scratch;
    }

    @Override
    public synchronized <R> R read(Function<LedgerView, R> query) {
        return query.apply(table);
    }

    @Override
    public synchronized <R> R update(Function<LedgerView, Decision<R>> decide) {
        Decision<R> decision = decide.apply(table);
        table.check(decision.changes());
        decision.changes().forEach(table::apply);
        changes.addAll(decision.changes());
        return decision.result();
    }

    /** Every change the decisions made, in order: what the real ledger would have recorded. */
    public synchronized List<LedgerChange> changes() {
        return List.copyOf(changes);
    }
}
