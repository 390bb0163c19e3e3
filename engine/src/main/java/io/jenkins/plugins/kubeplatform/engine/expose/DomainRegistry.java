package io.jenkins.plugins.kubeplatform.engine.expose;

import io.jenkins.plugins.kubeplatform.engine.store.AtomicFileStore;
import io.jenkins.plugins.kubeplatform.engine.store.FileIo;
import io.jenkins.plugins.kubeplatform.engine.store.StateStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
        return fileStore(stateDir, FileIo.nio());
    }

    /** The registry file in a state directory, through {@code io} (tests: a file system with power cuts). */
    public static AtomicFileStore<DomainRegistry> fileStore(Path stateDir, FileIo io) {
        return AtomicFileStore.of(stateDir.resolve(FILE), KIND, DomainRegistry.class, DomainRegistry::empty,
                DomainRegistry::problems, io);
    }

    /**
     * The records that break the registry's rules, each named: the key is the entry's host, a lowercase DNS name;
     * the owner is a namespace (DNS label) and an app; the port is 0..65535; free text is one printable line.
     */
    public static List<String> problems(DomainRegistry registry) {
        List<String> problems = new ArrayList<>();
        registry.hosts().forEach((key, e) -> {
            String at = "hosts['" + printable(key) + "']";
            if (e == null) {
                problems.add(at + " is empty");
                return;
            }
            if (!DnsNames.isHost(key)) {
                problems.add(at + ": the host is not a lowercase DNS name (labels a-z, 0-9 and '-', at least two)");
            }
            if (!key.equals(e.host())) {
                problems.add(at + ": it records host '" + printable(String.valueOf(e.host())) + "' under another key");
            }
            if (!DnsNames.isLabel(e.namespace())) {
                problems.add(at + ": owner namespace '" + printable(String.valueOf(e.namespace()))
                        + "' is not a DNS label");
            }
            if (e.app() == null || e.app().isBlank() || !singleLine(e.app())) {
                problems.add(at + ": owner app is missing or not one printable line");
            }
            if (e.port() < 0 || e.port() > 65535) {
                problems.add(at + ": port " + e.port() + " is outside 0..65535");
            }
            if (!singleLine(e.requestedBy()) || !singleLine(e.source()) || !singleLine(e.route())
                    || !singleLine(e.upstream())) {
                problems.add(at + ": a text field holds a line break or control character");
            }
        });
        return problems;
    }

    private static boolean singleLine(String value) {
        return value == null || value.codePoints().noneMatch(c -> c < 0x20 || c == 0x7f);
    }

    private static String printable(String value) {
        return value.codePoints().collect(StringBuilder::new,
                (b, c) -> b.append(c < 0x20 || c == 0x7f ? "?" : Character.toString(c)), StringBuilder::append)
                .toString();
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
