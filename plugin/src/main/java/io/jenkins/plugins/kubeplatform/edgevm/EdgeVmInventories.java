package io.jenkins.plugins.kubeplatform.edgevm;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.common.JenkinsStateDirectory;
import io.jenkins.plugins.kubeplatform.common.PluginServices;
import io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException;
import io.jenkins.plugins.kubeplatform.engine.edgevm.Inventory;
import io.jenkins.plugins.kubeplatform.engine.edgevm.InventoryStoreSettings;
import io.jenkins.plugins.kubeplatform.engine.store.StateStore;
import io.jenkins.plugins.kubeplatform.kube.SystemClients;
import java.util.ArrayList;
import java.util.List;

/**
 * The controller's one edge-VM inventory, where {@code edgeVms.inventoryStore} says: {@code JENKINS_HOME/kubeplatform/
 * edge-inventory.json} (file) or ConfigMaps in the default cluster (shared with other controllers and the CLI). Built
 * once per setting and handed to every step, builder, page and the state sync; changing the setting opens the other
 * store on the next call. Every read still sees what others wrote.
 */
public final class EdgeVmInventories {

    private static StateStore<Inventory> store;
    private static InventoryStoreSettings openedWith;
    /** The SYSTEM clients the cluster inventory uses, given back when it is replaced. */
    private static final List<SystemClients.Lease> LEASES = new ArrayList<>();

    private EdgeVmInventories() {
    }

    public static synchronized StateStore<Inventory> get() {
        InventoryStoreSettings settings = EdgeVmConfiguration.get().inventorySettings();
        if (store == null || !settings.equals(openedWith)) {
            close();
            store = settings.open(JenkinsStateDirectory.path(), EdgeVmInventories::client, PluginServices.retry());
            openedWith = settings;
        }
        return store;
    }

    private static KubernetesClient client() {
        try {
            // the inventory is the controller's, not a build's: it is reached with the configured credential as SYSTEM
            SystemClients.Lease lease = SystemClients.get().lease("");
            LEASES.add(lease);
            return lease.client();
        } catch (hudson.AbortException e) {
            throw new OperationFailedException("the cluster inventory (edgeVms.inventoryStore: cluster) cannot reach "
                    + "the default cluster: " + e.getMessage(), e);
        }
    }

    private static void close() {
        LEASES.forEach(SystemClients.Lease::close);
        LEASES.clear();
        store = null;
    }
}
