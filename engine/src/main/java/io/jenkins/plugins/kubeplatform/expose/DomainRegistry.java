package io.jenkins.plugins.kubeplatform.expose;

import io.jenkins.plugins.kubeplatform.store.AtomicFileStore;
import io.jenkins.plugins.kubeplatform.store.StateStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * The local record of exposed hosts (under JENKINS_HOME or the CLI state directory): what the management page
 * lists and what the sync reconciler keeps in step with the cluster. The claim objects in the cluster decide
 * ownership; this is their readable mirror with the route and upstream of each host.
 */
public record DomainRegistry(Map<String, Entry> hosts) {

    public static final String FILE = "domains.json";
    public static final String KIND = "domain-registry";

    /**
     * One exposed host. {@code source} is {@code expose} (a step or CLI run) or {@code sync} (found in the cluster);
     * {@code servers} are the addresses the platform's nginx sends the host's traffic to (empty without nginx mode).
     */
    public record Entry(String host, String namespace, String app, String service, int port, String route,
            String routeName, String upstream, String requestedBy, String source, Instant updatedAt,
            java.util.List<String> servers) {

        public Entry {
            servers = servers == null ? java.util.List.of() : java.util.List.copyOf(servers);
        }

        public Entry(String host, String namespace, String app, String service, int port, String route,
                String routeName, String upstream, String requestedBy, String source, Instant updatedAt) {
            this(host, namespace, app, service, port, route, routeName, upstream, requestedBy, source, updatedAt, null);
        }

        /** {@code namespace/app}. */
        public String owner() {
            return namespace + "/" + app;
        }

        public Entry withServers(java.util.List<String> addresses) {
            return new Entry(host, namespace, app, service, port, route, routeName, upstream, requestedBy, source,
                    updatedAt, addresses);
        }

        /** Equal apart from who asked and when: re-recording it would change nothing. */
        boolean sameRoute(Entry other) {
            return other != null && normalized().equals(other.normalized());
        }

        private Entry normalized() {
            return new Entry(host, namespace, app, service, port, route, routeName, upstream, "", source, Instant.EPOCH,
                    servers);
        }
    }

    public DomainRegistry {
        hosts = hosts == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(hosts));
    }

    public static DomainRegistry empty() {
        return new DomainRegistry(Map.of());
    }

    public static StateStore<DomainRegistry> fileStore(Path stateDir) {
        return AtomicFileStore.of(stateDir.resolve(FILE), KIND, DomainRegistry.class, DomainRegistry::empty);
    }

    public DomainRegistry with(Entry entry) {
        Map<String, Entry> next = new TreeMap<>(hosts);
        next.put(entry.host(), entry);
        return new DomainRegistry(next);
    }

    public DomainRegistry without(String host) {
        Map<String, Entry> next = new TreeMap<>(hosts);
        next.remove(host);
        return new DomainRegistry(next);
    }
}
