package io.jenkins.plugins.kubeplatform.engine.stickyip;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.engine.config.PlatformConfig;
import io.jenkins.plugins.kubeplatform.engine.core.Require;
import io.jenkins.plugins.kubeplatform.engine.kube.ApiRetry;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
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

    /** The defaults: the file store. */
    public static LedgerSettings file() {
        return builder().build();
    }

    /** Settings with the declared defaults ({@link StickyIpSchema}) for every key not set. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link LedgerSettings}; each key starts at its declared default. */
    public static final class Builder {
        private Store store = StickyIpSchema.LEDGER_STORE.defaultValue(StickyIpSchema.LEDGER_STORE.name()).orElseThrow();
        private String namespace = StickyIpSchema.LEDGER_NAMESPACE.defaultText().orElseThrow();
        private Optional<String> cluster = Optional.empty();

        private Builder() {
        }

        public Builder store(Store store) {
            this.store = store;
            return this;
        }

        public Builder namespace(String namespace) {
            this.namespace = namespace;
            return this;
        }

        /** The cluster connection of the cluster store; blank or null: the default cluster. */
        public Builder cluster(String cluster) {
            this.cluster = Optional.ofNullable(cluster).map(String::trim).filter(c -> !c.isEmpty());
            return this;
        }

        public LedgerSettings build() {
            return new LedgerSettings(store, namespace, cluster);
        }
    }

    /** Parses {@code stickyIp.ledgerStore} ({@code file} or {@code cluster}); blank means the default. */
    public static Store store(String text) {
        if (text == null || text.isBlank()) {
            return file().store();
        }
        return StickyIpSchema.LEDGER_STORE.parse(StickyIpSchema.SECTION.path() + "." + StickyIpSchema.LEDGER_STORE.name(),
                text);
    }

    /** The settings of a configuration file (its {@code stickyIp} section, {@link StickyIpSchema}). */
    public static LedgerSettings of(PlatformConfig config) {
        return StickyIpSchema.ledger(config.raw(StickyIpSchema.SECTION.path()));
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
