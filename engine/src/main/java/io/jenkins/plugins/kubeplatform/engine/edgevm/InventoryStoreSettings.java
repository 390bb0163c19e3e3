package io.jenkins.plugins.kubeplatform.engine.edgevm;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.engine.config.PlatformConfig;
import io.jenkins.plugins.kubeplatform.engine.core.Require;
import io.jenkins.plugins.kubeplatform.engine.kube.ApiRetry;
import io.jenkins.plugins.kubeplatform.engine.store.StateStore;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * Where the edge-VM inventory lives: {@code file} (the default: {@code edge-inventory.json} under the state
 * directory, one controller) or {@code cluster} (one ConfigMap per record in {@code namespace} of the default
 * cluster, shared by every controller and CLI pointed at it; see {@link ClusterInventoryStore}). Configured by
 * {@code edgeVms.inventoryStore} and {@code edgeVms.inventoryNamespace}.
 *
 * @param store     where the inventory lives
 * @param namespace the namespace of the cluster store's ConfigMaps
 */
public record InventoryStoreSettings(Store store, String namespace) {

    public static final String DEFAULT_NAMESPACE = "kube-platform";

    /** The two homes of the inventory. */
    public enum Store { FILE, CLUSTER }

    public InventoryStoreSettings {
        Objects.requireNonNull(store, "store");
        Require.dnsLabel("edgeVms.inventoryNamespace", namespace);
    }

    public static InventoryStoreSettings file() {
        return new InventoryStoreSettings(Store.FILE, DEFAULT_NAMESPACE);
    }

    /** Parses {@code edgeVms.inventoryStore} by its declared rule ({@link EdgeVmsSchema}); blank means {@code file}. */
    public static Store store(String text) {
        Store given = EdgeVmsSchema.rule(EdgeVmsSchema.INVENTORY_STORE, "edgeVms.inventoryStore", text);
        return given == null ? Store.FILE : given;
    }

    /** Both keys as given (blank: the defaults); an invalid value is an input error naming its key. */
    public static InventoryStoreSettings of(String store, String namespace) {
        String ns = EdgeVmsSchema.rule(EdgeVmsSchema.INVENTORY_NAMESPACE, "edgeVms.inventoryNamespace", namespace);
        return new InventoryStoreSettings(store(store), ns == null ? DEFAULT_NAMESPACE : ns);
    }

    /** The settings of a configuration file (its {@code edgeVms} section; absent or empty: the file store). */
    public static InventoryStoreSettings of(PlatformConfig config) {
        return EdgeVmsSchema.inventory(config.raw(EdgeVmsSchema.SECTION.path()));
    }

    /**
     * Opens the inventory these settings name.
     *
     * @param stateDir the state directory (the file store's home)
     * @param client   the default cluster's client, used by the cluster store only
     */
    public StateStore<Inventory> open(Path stateDir, java.util.function.Supplier<KubernetesClient> client,
                                      ApiRetry retry) {
        return switch (store) {
            case FILE -> EdgeVmEngine.inventoryStore(stateDir);
            case CLUSTER -> new ClusterInventoryStore(client.get(), namespace, retry, new SecureRandom());
        };
    }

    /** One line for logs and {@code edge-vm inventory} output. */
    public String describe(Path stateDir) {
        return store == Store.FILE ? "file store " + stateDir.resolve(Inventory.FILE)
                : "cluster store: ConfigMaps in namespace " + namespace + " of the default cluster";
    }
}
