package io.jenkins.plugins.kubeplatform.stickyip;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.config.PlatformConfig;
import io.jenkins.plugins.kubeplatform.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.core.Require;
import io.jenkins.plugins.kubeplatform.kube.ApiRetry;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where the reservation ledger lives: {@code file} (the default: journal and snapshots under the state directory,
 * one controller) or {@code cluster} (one ConfigMap per address in {@code namespace} of the sticky-IP cluster, shared
 * by every controller and CLI pointed at it). Configured by {@code stickyIp.ledgerStore} and
 * {@code stickyIp.ledgerNamespace}.
 *
 * @param store     where the ledger lives
 * @param namespace the namespace of the cluster store's ConfigMaps
 * @param cluster   the cluster connection that holds it (empty: the default cluster)
 */
public record LedgerSettings(Store store, String namespace, Optional<String> cluster) {

    public static final String DEFAULT_NAMESPACE = "kube-platform";

    /** The two homes of the ledger. */
    public enum Store { FILE, CLUSTER }

    public LedgerSettings {
        Objects.requireNonNull(store, "store");
        Require.dnsLabel("stickyIp.ledgerNamespace", namespace);
        Objects.requireNonNull(cluster, "cluster");
    }

    public static LedgerSettings file() {
        return new LedgerSettings(Store.FILE, DEFAULT_NAMESPACE, Optional.empty());
    }

    /** Parses {@code stickyIp.ledgerStore} ({@code file} or {@code cluster}); blank means {@code file}. */
    public static Store store(String text) {
        if (text == null || text.isBlank()) {
            return Store.FILE;
        }
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "file" -> Store.FILE;
            case "cluster" -> Store.CLUSTER;
            default -> throw new InvalidInputException("stickyIp.ledgerStore",
                    "must be file or cluster; got '" + Require.printable(text) + "'");
        };
    }

    /** The settings of a configuration file (its {@code stickyIp} section). */
    public static LedgerSettings of(PlatformConfig config) {
        JsonNode ledger = config.raw("ledger");
        if (ledger.isMissingNode()) {
            return file();
        }
        String namespace = ledger.path("namespace").asText("");
        return new LedgerSettings(store(ledger.path("store").asText(null)),
                namespace.isBlank() ? DEFAULT_NAMESPACE : namespace,
                Optional.of(ledger.path("cluster").asText("")).filter(c -> !c.isBlank()));
    }

    /**
     * Opens the ledger these settings name.
     *
     * @param stateDir the state directory (the file store's home)
     * @param clients  a client for a cluster connection name (empty: the default cluster); used by the cluster store
     */
    public IpReservationLedger open(Path stateDir, Function<Optional<String>, KubernetesClient> clients,
                                    ApiRetry retry, Clock clock) {
        return switch (store) {
            case FILE -> IpReservationLedger.open(stateDir, clock);
            case CLUSTER -> new IpReservationLedger(new ClusterLedgerStore(clients.apply(cluster), namespace, retry,
                    new SecureRandom()), clock, new SecureRandom());
        };
    }

    /** One line for logs and {@code ip-ledger} output. */
    public String describe(Path stateDir) {
        return store == Store.FILE ? "file store " + stateDir.resolve("ip-ledger")
                : "cluster store: ConfigMaps in namespace " + namespace + cluster.map(c -> " of cluster " + c)
                        .orElse(" of the default cluster");
    }
}
