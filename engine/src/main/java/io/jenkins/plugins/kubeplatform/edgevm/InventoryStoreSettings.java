package io.jenkins.plugins.kubeplatform.edgevm;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.config.PlatformConfig;
import io.jenkins.plugins.kubeplatform.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.core.Require;
import io.jenkins.plugins.kubeplatform.kube.ApiRetry;
import io.jenkins.plugins.kubeplatform.store.StateStore;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Locale;
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

    /** Parses {@code edgeVms.inventoryStore} ({@code file} or {@code cluster}); blank means {@code file}. */
    public static Store store(String text) {
        if (text == null || text.isBlank()) {
            return Store.FILE;
        }
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "file" -> Store.FILE;
            case "cluster" -> Store.CLUSTER;
            default -> throw new InvalidInputException("edgeVms.inventoryStore",
                    "must be file or cluster; got '" + Require.printable(text) + "'");
        };
    }

    /** Both keys as given (blank: the defaults); an invalid value is an input error naming its key. */
    public static InventoryStoreSettings of(String store, String namespace) {
        return new InventoryStoreSettings(store(store), namespace == null || namespace.isBlank()
                ? DEFAULT_NAMESPACE : namespace.trim());
    }

    /** The settings of a configuration file (its {@code edgeVms} section; absent: the file store). */
    public static InventoryStoreSettings of(PlatformConfig config) {
        JsonNode inventory = config.raw("inventory");
        if (inventory.isMissingNode()) {
            return file();
        }
        return of(inventory.path("store").asText(null), inventory.path("namespace").asText(""));
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
