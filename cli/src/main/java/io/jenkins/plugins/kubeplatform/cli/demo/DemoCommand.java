package io.jenkins.plugins.kubeplatform.cli.demo;

import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kubeplatform demo}: every capability against an embedded simulated cluster, narrated. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start an embedded simulated cluster and run all four capabilities against it, "
                + "printing what happened. Needs nothing installed but Java.")
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--only", split = ",", paramLabel = "SECTION",
            description = "Run only these sections (${COMPLETION-CANDIDATES}).", completionCandidates = Names.class)
    Set<String> only;

    @Option(names = "--speed", paramLabel = "FACTOR", defaultValue = "20",
            description = "How much faster than real time the simulated cluster runs. Default: ${DEFAULT-VALUE}.")
    double speed;

    @Spec
    CommandSpec spec;

    /**
     * The mock API server's event loop reports itself blocked while the JVM warms up on a busy machine; that says
     * nothing about the demo, so it is not shown. Held in a field: JUL forgets levels of collected loggers.
     */
    private static final java.util.logging.Logger VERTX_BLOCKED_THREAD_CHECKER =
            java.util.logging.Logger.getLogger("io.vertx.core.impl.BlockedThreadChecker");

    /** The server URL the example configuration names: where {@code kubeplatform sim serve} listens by default. */
    static final String EXAMPLE_SERVER = "http://127.0.0.1:8001";

    /** The join token file the example configuration's edge clusters name. */
    static final String EDGE_JOIN_TOKEN_FILE = "edge-join-token.sim";

    /** docs/examples/kubeplatform.yaml, packaged into the command line at build time. */
    static String exampleConfig() throws IOException {
        try (var in = DemoCommand.class.getResourceAsStream("kubeplatform.yaml")) {
            if (in == null) {
                throw new IllegalStateException("the example configuration is not packaged with the command line");
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** The sections in the order a platform team would meet them. */
    static List<DemoSection> sections() {
        return List.of(new ClusterTourSection(), new StickyIpSection(), new BuildAndDeploySection(), new ExposeSection(), new RepairSection(), new EdgeVmSection());
    }

    @Override
    public Integer call() throws Exception {
        List<DemoSection> selected = sections().stream().filter(s -> only == null || only.contains(s.name())).toList();
        if (only != null && selected.size() != only.size()) {
            throw new InvalidInputException("--only", "names an unknown section; known: "
                    + sections().stream().map(DemoSection::name).toList());
        }
        if (speed <= 0) {
            throw new InvalidInputException("--speed", "must be a positive number");
        }
        VERTX_BLOCKED_THREAD_CHECKER.setLevel(java.util.logging.Level.SEVERE);
        PrintWriter out = spec.commandLine().getOut();
        Path work = Files.createTempDirectory("kubeplatform-demo");
        try (SimulatedCluster sim = SimulatedCluster.start(SimOptions.builder().port(0).speed(speed).createMissingNamespaces(true).build())) {
            Path config = work.resolve("kubeplatform.yaml");
            Files.writeString(config, exampleConfig().replace(EXAMPLE_SERVER, sim.url()));
            Path stateDir = Files.createDirectories(work.resolve("state"));
            // the edge clusters' join token, read by the CLI from a file beside the configuration (never from argv)
            Files.writeString(work.resolve(EDGE_JOIN_TOKEN_FILE), "K10demo::server:" + java.util.UUID.randomUUID());
            out.printf("Simulated cluster at %s: %d nodes, Calico pool %s%n", sim.url(),
                    sim.options().nodes().size(), String.join(", ", sim.options().calicoPools()));
            out.printf("Configuration: docs/examples/kubeplatform.yaml pointed at it; state in %s%n", stateDir);
            DemoEnvironment env = new DemoEnvironment(sim, config, stateDir, out);
            int index = 0;
            for (DemoSection section : selected) {
                index++;
                out.printf("%n== %d/%d %s: %s%n", index, selected.size(), section.name(), section.title());
                out.flush();
                int before = sim.requests().count();
                try {
                    section.run(env);
                } catch (InvalidInputException | OperationFailedException e) {
                    throw new OperationFailedException("demo section '" + section.name() + "' failed: "
                            + e.getMessage(), e);
                }
                env.say("(%d API requests)", sim.requests().count() - before);
            }
            out.printf("%nDemo finished: %d sections ran against the simulated cluster.%n", selected.size());
            out.flush();
        } finally {
            deleteTree(work);
        }
        return 0;
    }

    /** Section names for the --only help text. */
    static final class Names implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return sections().stream().map(DemoSection::name).iterator();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
