package io.jenkins.plugins.kubeplatform.engine.edgevm;

import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException;
import io.jenkins.plugins.kubeplatform.engine.core.Require;
import io.jenkins.plugins.kubeplatform.engine.store.StateStore.Update;
import io.jenkins.plugins.kubeplatform.engine.store.StateStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The VM inventory (EVM-9) as the edge engine reads and changes it: look-ups by tenant and name, edge clusters
 * (configured or created), and the record changes each step makes, each one {@link StateStore#update}.
 */
final class EdgeInventory {

    private final EdgeSettings settings;
    private final StateStore<Inventory> store;

    EdgeInventory(EdgeSettings settings, StateStore<Inventory> store) {
        this.settings = settings;
        this.store = store;
    }

    Inventory read() {
        return store.read();
    }

    <R> R update(Function<Inventory, Update<Inventory, R>> change) {
        return store.update(change);
    }

    /** A configured edge cluster or one the engine created; failing when neither knows the name. */
    EdgeSettings.EdgeCluster edgeCluster(String name) {
        return edgeCluster(settings, name, store.read());
    }

    static EdgeSettings.EdgeCluster edgeCluster(EdgeSettings settings, String name, Inventory inventory) {
        return settings.edgeCluster(name).or(() -> inventory.createdClusters().stream()
                        .map(EdgeClusterRecord::settings).filter(c -> c.name().equals(name)).findFirst())
                .orElseThrow(() -> new OperationFailedException("Edge cluster " + name + " is neither configured nor "
                        + "recorded in the inventory; restore its configuration under edge.edgeClusters"));
    }

    /** The live VM named {@code name} (of {@code tenant} when given); fails naming the field when there is none. */
    VmRecord find(String tenant, String name) {
        return findLive(tenant, name).orElseThrow(() -> notFound(tenant, name));
    }

    /** The live VM named {@code name}; fails when the name is ambiguous without a tenant. */
    Optional<VmRecord> findLive(String tenant, String name) {
        Require.dnsLabel("name", name);
        List<VmRecord> matches = store.read().live().stream().filter(r -> r.name().equals(name)
                && (tenant == null || tenant.isBlank() || r.tenant().equals(tenant))).toList();
        if (matches.size() > 1) {
            throw new InvalidInputException("tenant", "is required: tenants " + matches.stream().map(VmRecord::tenant)
                    .toList() + " each have an edge VM named '" + name + "'");
        }
        return matches.stream().findFirst();
    }

    /** The last recorded VM of that name, deleted or not. */
    Optional<VmRecord> lastRecorded(String tenant, String name) {
        return store.read().vms().stream().filter(r -> r.name().equals(name)
                && (tenant == null || tenant.isBlank() || r.tenant().equals(tenant))).reduce((a, b) -> b);
    }

    static InvalidInputException notFound(String tenant, String name) {
        return new InvalidInputException("name", "no edge VM named '" + name + "'"
                + (tenant == null || tenant.isBlank() ? "" : " for tenant '" + tenant + "'") + " is in the inventory");
    }

    /** Records the VM's node and address once it joined; unchanged when it is gone or already recorded. */
    VmRecord markJoined(VmRecord record, String address) {
        return store.update(inventory -> {
            Optional<VmRecord> current = inventory.liveVm(record.vm());
            if (current.isEmpty()) {
                return Update.unchanged(inventory, record);
            }
            VmRecord next = current.get().joined(record.vm(), address);
            return next.equals(current.get()) ? Update.unchanged(inventory, next)
                    : Update.to(inventory.update(record.vm(), r -> next), next);
        });
    }

    VmRecord markIdle(VmRecord record) {
        return store.update(inventory -> {
            VmRecord next = inventory.liveVm(record.vm()).orElse(record).toBuilder().state(VmState.IDLE)
                    .build();
            return Update.to(inventory.update(record.vm(), r -> next), next);
        });
    }

    VmRecord markEnded(VmRecord record, Instant end) {
        return store.update(inventory -> {
            VmRecord next = inventory.liveVm(record.vm()).orElse(record).ended(end);
            return Update.to(inventory.update(record.vm(), r -> next), next);
        });
    }

    /**
     * Stores what a sync pass decided for {@code seen}. A release or reuse that happened meanwhile wins; only the
     * sync's own bookkeeping (attempts, observed condition) is merged into it.
     */
    void recordSync(VmRecord seen, VmRecord next) {
        store.update(inv -> {
            Optional<VmRecord> current = inv.liveVm(seen.vm());
            if (current.isEmpty()) {
                return Update.unchanged(inv, null);
            }
            VmRecord merged = mergeSync(current.get(), seen, next);
            return merged.equals(current.get()) ? Update.unchanged(inv, null)
                    : Update.to(inv.update(seen.vm(), r -> merged), null);
        });
    }

    /** {@code next} when the record is still as the sync saw it, else the current record with the sync's counters. */
    static VmRecord mergeSync(VmRecord current, VmRecord seen, VmRecord next) {
        return current.equals(seen) ? next : current.toBuilder().attempts(next.attempts())
                .observed(next.observed()).observedSince(next.observedSince()).build();
    }
}
