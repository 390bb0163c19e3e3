package io.jenkins.plugins.kubeplatform.engine.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The clock and the retry policy are built once per entry point (the composition roots) and passed down as
 * constructor parameters: no other main source of any module builds them. Kubernetes clients and stores are built
 * by their factories, called only from the entry points' roots and the few places listed in {@link #CONSTRUCTION}
 * (each with the reason it builds its own).
 */
class CompositionRootTest {

    static final List<String> MODULES = List.of("engine", "sim", "plugin", "cli");
    static final List<String> BUILDERS = List.of("Clock.systemUTC()", "ApiRetry.defaults()");
    /** Plugin: one holder loaded with the plugin; CLI: the root command's context; sim: its two entry points. */
    static final Set<String> ROOTS = Set.of(
            "plugin/src/main/java/io/jenkins/plugins/kubeplatform/common/PluginServices.java",
            "cli/src/main/java/io/jenkins/plugins/kubeplatform/cli/CliContext.java",
            "sim/src/main/java/io/jenkins/plugins/kubeplatform/sim/SimulatedCluster.java",
            "sim/src/main/java/io/jenkins/plugins/kubeplatform/sim/AttachedControllers.java");

    /** Construction of a client or a store: the factories' own entry points. */
    static final List<String> CONSTRUCTORS = List.of("new KubernetesClientBuilder(", "KubernetesClients.create(",
            "new JournaledLedgerStore(", "new AtomicFileStore", "AtomicFileStore.of(", ".fileStore(",
            "EdgeVmEngine.inventoryStore(", "IpReservationLedger.open(", "new ClusterLedgerStore(",
            "new ClusterInventoryStore(", "withFileInventory(");

    /** Where clients and stores may be built, and why. */
    static final java.util.Map<String, String> CONSTRUCTION = java.util.Map.ofEntries(
            // the factories themselves
            java.util.Map.entry("engine/src/main/java/io/jenkins/plugins/kubeplatform/engine/kube/KubernetesClients.java",
                    "the client factory"),
            java.util.Map.entry("engine/src/main/java/io/jenkins/plugins/kubeplatform/engine/store/AtomicFileStore.java",
                    "the file store factory"),
            java.util.Map.entry("engine/src/main/java/io/jenkins/plugins/kubeplatform/engine/expose/DomainRegistry.java",
                    "the registry's file store factory"),
            java.util.Map.entry("engine/src/main/java/io/jenkins/plugins/kubeplatform/engine/edgevm/Inventory.java",
                    "the inventory's file store factory"),
            java.util.Map.entry("engine/src/main/java/io/jenkins/plugins/kubeplatform/engine/edgevm/EdgeVmEngine.java",
                    "the inventory's file store factory"),
            java.util.Map.entry("engine/src/main/java/io/jenkins/plugins/kubeplatform/engine/edgevm/InventoryStoreSettings.java",
                    "edgeVms.inventoryStore: opens the configured inventory store"),
            java.util.Map.entry("engine/src/main/java/io/jenkins/plugins/kubeplatform/engine/stickyip/LedgerSettings.java",
                    "stickyIp.ledgerStore: opens the configured ledger store"),
            java.util.Map.entry("engine/src/main/java/io/jenkins/plugins/kubeplatform/engine/stickyip/IpReservationLedger.java",
                    "the file ledger factory"),
            java.util.Map.entry("engine/src/main/java/io/jenkins/plugins/kubeplatform/engine/stickyip/JournaledLedgerStore.java",
                    "its read-only recovery reader"),
            // the composition roots
            java.util.Map.entry("cli/src/main/java/io/jenkins/plugins/kubeplatform/cli/CliContext.java",
                    "the CLI's root: one client per cluster, one store each per invocation"),
            java.util.Map.entry("plugin/src/main/java/io/jenkins/plugins/kubeplatform/stickyip/StickyIpLedgers.java",
                    "the controller's one ledger (its cluster store leases a SYSTEM client from SystemClients)"),
            java.util.Map.entry("plugin/src/main/java/io/jenkins/plugins/kubeplatform/edgevm/EdgeVmInventories.java",
                    "the controller's one VM inventory (its cluster store leases a SYSTEM client from SystemClients)"),
            java.util.Map.entry("plugin/src/main/java/io/jenkins/plugins/kubeplatform/expose/DomainRegistries.java",
                    "the controller's one domain registry"),
            java.util.Map.entry("sim/src/main/java/io/jenkins/plugins/kubeplatform/sim/SimulatedCluster.java",
                    "the simulated cluster's root: its own and its callers' clients"),
            java.util.Map.entry("sim/src/main/java/io/jenkins/plugins/kubeplatform/sim/AttachedControllers.java",
                    "the controllers attached to a running server"),
            // a Jenkins build connects with its own credential: one client per build, closed with it
            java.util.Map.entry("plugin/src/main/java/io/jenkins/plugins/kubeplatform/kube/JenkinsStepHost.java",
                    "a Pipeline step's client, with the build's credential"),
            java.util.Map.entry("plugin/src/main/java/io/jenkins/plugins/kubeplatform/edgevm/JenkinsEdgeClients.java",
                    "the clients of a build's (or the sync's) edge clusters, one per cluster"),
            java.util.Map.entry("plugin/src/main/java/io/jenkins/plugins/kubeplatform/repair/RepairHost.java",
                    "repairNode's client, with the build's credential"),
            java.util.Map.entry("plugin/src/main/java/io/jenkins/plugins/kubeplatform/expose/ExposeAppBuilder.java",
                    "the freestyle builder's client, with the build's credential"),
            java.util.Map.entry("plugin/src/main/java/io/jenkins/plugins/kubeplatform/stickyip/StickyIpDeployBuilder.java",
                    "the freestyle builder's client, with the build's credential"),
            // periodic work and pages of the controller, as SYSTEM
            java.util.Map.entry("plugin/src/main/java/io/jenkins/plugins/kubeplatform/kube/SystemClients.java",
                    "the controller's SYSTEM clients (expose sync, pin release and GC, repair page, cluster ledger "
                            + "and inventory stores): one per "
                            + "connection, rebuilt when its configuration or credential changes, closed at shutdown"),
            // state repair and benchmarks work on files and fixtures of their own by design
            java.util.Map.entry("cli/src/main/java/io/jenkins/plugins/kubeplatform/cli/StateCommand.java",
                    "state verify/restore read and repair the state files themselves"),
            java.util.Map.entry("cli/src/main/java/io/jenkins/plugins/kubeplatform/cli/stickyip/IpLedgerCommand.java",
                    "ip-ledger compact/migrate open the file ledger itself"),
            java.util.Map.entry("cli/src/main/java/io/jenkins/plugins/kubeplatform/cli/stickyip/LedgerOpenProbe.java",
                    "a benchmark probe process"),
            java.util.Map.entry("cli/src/main/java/io/jenkins/plugins/kubeplatform/cli/stickyip/LedgerBenchmark.java",
                    "benchmark fixture"),
            java.util.Map.entry("cli/src/main/java/io/jenkins/plugins/kubeplatform/cli/stickyip/RolloutBenchmark.java",
                    "benchmark fixture"),
            java.util.Map.entry("cli/src/main/java/io/jenkins/plugins/kubeplatform/cli/stickyip/ClusterLedgerBenchmark.java",
                    "benchmark fixture"),
            java.util.Map.entry("cli/src/main/java/io/jenkins/plugins/kubeplatform/cli/bench/StoreWriteBenchmark.java",
                    "benchmark fixture"),
            java.util.Map.entry("cli/src/main/java/io/jenkins/plugins/kubeplatform/cli/bench/ExposeBenchmark.java",
                    "benchmark fixture"));

    @Test
    void buildsClientsAndStoresOnlyInTheRootsAndTheListedPlacesWhenTheMainSourcesAreRead() {
        Path root = Path.of("..");
        List<String> found = new ArrayList<>();
        for (String module : MODULES) {
            found.addAll(uses(root, root.resolve(module).resolve("src/main/java"), CONSTRUCTORS));
        }

        assertThat(found).as("clients or stores built outside the roots and the places of CONSTRUCTION")
                .allMatch(line -> CONSTRUCTION.containsKey(line.substring(0, line.indexOf(':'))));
        assertThat(found).as("the CLI builds its clients and stores in its root")
                .anyMatch(line -> line.startsWith("cli/src/main/java/io/jenkins/plugins/kubeplatform/cli/CliContext.java:"));
    }

    @Test
    void reportsAConstructionWhenACommandOpensItsOwnLedger(@TempDir Path dir) throws IOException {
        Path sources = Files.createDirectories(dir.resolve("demo/src/main/java/x"));
        Files.writeString(sources.resolve("Cmd.java"), "class Cmd {\n  Object s = new JournaledLedgerStore(p);\n}\n");

        assertThat(uses(dir, dir.resolve("demo/src/main/java"), CONSTRUCTORS))
                .containsExactly("demo/src/main/java/x/Cmd.java:2");
    }

    @Test
    void buildsTheClockAndTheRetryPolicyOnlyInTheCompositionRootsWhenTheMainSourcesAreRead() {
        Path root = Path.of("..");
        List<String> found = new ArrayList<>();
        for (String module : MODULES) {
            Path sources = root.resolve(module).resolve("src/main/java");
            assertThat(sources).as("main sources of " + module).isDirectory();
            found.addAll(uses(root, sources));
        }

        assertThat(found).as("Clock.systemUTC()/ApiRetry.defaults() outside the composition roots " + ROOTS)
                .allMatch(line -> ROOTS.contains(line.substring(0, line.indexOf(':'))));
        assertThat(found).as("each root builds them").hasSizeGreaterThanOrEqualTo(ROOTS.size());
    }

    @Test
    void reportsAUseWhenAClassOutsideTheRootsBuildsAClock(@TempDir Path dir) throws IOException {
        Path sources = Files.createDirectories(dir.resolve("demo/src/main/java/x"));
        Files.writeString(sources.resolve("Late.java"), "class Late { java.time.Clock c = java.time.Clock.systemUTC(); }\n");

        assertThat(uses(dir, dir.resolve("demo/src/main/java"))).containsExactly("demo/src/main/java/x/Late.java:1");
    }

    /** {@code path:line} of every main-source line that builds a clock or the default retry policy. */
    static List<String> uses(Path root, Path sources) {
        return uses(root, sources, BUILDERS);
    }

    /** {@code path:line} of every main-source line that contains one of {@code patterns} outside a comment. */
    static List<String> uses(Path root, Path sources, List<String> patterns) {
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i);
                    String trimmed = line.trim();
                    if (trimmed.startsWith("*") || trimmed.startsWith("//") || trimmed.startsWith("/*")) {
                        continue;
                    }
                    if (patterns.stream().anyMatch(line::contains)) {
                        out.add(root.relativize(file).toString().replace('\\', '/') + ":" + (i + 1));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
