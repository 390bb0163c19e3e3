package io.jenkins.plugins.kubeplatform.engine.edgevm;

import io.jenkins.plugins.kubeplatform.engine.core.ChangePlan;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.kube.ApiRetry;
import io.jenkins.plugins.kubeplatform.engine.store.FileIo;
import io.jenkins.plugins.kubeplatform.engine.store.StateStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * The edge-VM capability (EVM-1..10), a thin facade over one part per concern: the create life cycle
 * ({@link VmCreation}: reuse by {@link IdleVmReuse}, quota by {@link QuotaCheck}, placement by {@link VmPlacement},
 * permissions by {@link CreatePermissions}), release and delete ({@link VmRemoval}), the state sync ({@link VmSync})
 * and the inventory ({@link EdgeInventory}). Decisions are pure functions; the parts observe, record the decision in
 * the inventory before touching a cluster (write-ahead), apply it and wait for the result. The plans run the same
 * decisions and write lists as the real runs.
 */
public final class EdgeVmEngine {

    private final EdgeSettings settings;
    private final EdgeInventory inventory;
    private final VmCreation creation;
    private final VmRemoval removal;
    private final VmSync sync;

    public EdgeVmEngine(EdgeSettings settings, ClusterClients clients, JoinTokens tokens, StateStore<Inventory> store,
                        Clock clock, ApiRetry retry) {
        this.settings = settings.validated();
        this.inventory = new EdgeInventory(this.settings, store);
        EdgeCalls calls = new EdgeCalls(clients, retry);
        this.creation = new VmCreation(this.settings, inventory, calls, tokens, clock);
        this.removal = new VmRemoval(inventory, calls, clock);
        this.sync = new VmSync(this.settings, inventory, calls, creation, clock);
    }

    /**
     * An engine whose inventory is the file {@code edge-inventory.json} in {@code stateDir} (CLI, Jenkins, demo).
     * For the demo: {@code EdgeVmEngine.withFileInventory(EdgeSettings.demo(), ClusterClients.single(sim.client()),
     * JoinTokens.fixed("K10demo::server:demo"), dir, clock, retry)}, then {@link #create}, {@link #release},
     * {@link #delete}, {@link #sync} and {@link #inventory}.
     */
    public static EdgeVmEngine withFileInventory(EdgeSettings settings, ClusterClients clients, JoinTokens tokens,
                                                 Path stateDir, Clock clock, ApiRetry retry) {
        return new EdgeVmEngine(settings, clients, tokens, inventoryStore(stateDir), clock, retry);
    }

    /** The inventory file in a state directory. */
    public static StateStore<Inventory> inventoryStore(Path stateDir) {
        return Inventory.fileStore(stateDir, FileIo.nio());
    }

    public EdgeSettings settings() {
        return settings;
    }

    public Inventory inventory() {
        return inventory.read();
    }

    /**
     * Provisions (or reuses) a VM for the request; with {@code wait}, returns once its node joined Ready.
     * Bad input and quota overruns fail before anything is recorded or created.
     */
    public EdgeVmResult create(EdgeVmRequest request, boolean wait, Progress progress) {
        return creation.create(request, wait, progress);
    }

    /**
     * What {@link #create} would do from the current inventory and cluster, decided by the same code, changing
     * nothing: the inventory changes and every object write. With {@code sendDryRun} the writes are also sent with
     * {@code dryRun=All} (the servers check them and store nothing).
     */
    public ChangePlan planCreate(EdgeVmRequest request, boolean wait, boolean sendDryRun, Progress progress) {
        return creation.plan(request, wait, sendDryRun, progress);
    }

    /** Drains and cordons the VM's node and keeps the VM running, idle, for the tenant's next request (EVM-10). */
    public EdgeVmResult release(String tenant, String name, Progress progress) {
        return removal.release(tenant, name, progress);
    }

    /** Drains and removes the node, deletes the VM and its Secret; the inventory keeps the record with its end. */
    public EdgeVmResult delete(String tenant, String name, Progress progress) {
        return removal.delete(tenant, name, progress);
    }

    /**
     * What {@link #delete} ({@code delete} true) or {@link #release} would do, changing nothing: the cordon, the
     * evictions of a drain pass as the drainer selects them now, the deletions, and the inventory change. With
     * {@code sendDryRun} the cordon and the deletions are also sent with {@code dryRun=All}.
     */
    public ChangePlan planRemoval(String tenant, String name, boolean delete, boolean sendDryRun, Progress progress) {
        return removal.plan(tenant, name, delete, sendDryRun, progress);
    }

    /** One pass of the state sync (EVM-8) over every live VM; returns one line per VM. */
    public List<String> sync(Progress progress) {
        return sync.sync(progress);
    }
}
