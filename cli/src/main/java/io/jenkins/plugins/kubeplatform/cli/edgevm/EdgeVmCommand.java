package io.jenkins.plugins.kubeplatform.cli.edgevm;

import io.jenkins.plugins.kubeplatform.cli.CliContext;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.core.Require;
import io.jenkins.plugins.kubeplatform.engine.edgevm.EdgeSettings;
import io.jenkins.plugins.kubeplatform.engine.edgevm.EdgeVmEngine;
import io.jenkins.plugins.kubeplatform.engine.edgevm.EdgeVmResult;
import io.jenkins.plugins.kubeplatform.engine.edgevm.JoinTokens;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** {@code kubeplatform edge-vm}: VMs on edge sites joined into edge clusters (the provisionEdgeVm step's engine). */
@Command(name = "edge-vm", mixinStandardHelpOptions = true,
        description = "Provision KubeVirt VMs on edge sites that join edge clusters as nodes; release, delete, "
                + "sync their state and export the inventory. Needs the 'edge' section of --config.",
        subcommands = {EdgeVmCreateCommand.class, EdgeVmReleaseCommand.class, EdgeVmDeleteCommand.class,
                EdgeVmInventoryCommand.class, EdgeVmSyncCommand.class})
public final class EdgeVmCommand implements Callable<Integer> {

    /** Environment variable holding the join token when an edge cluster names no tokenFile. */
    static final String TOKEN_ENV = "KUBEPLATFORM_JOIN_TOKEN";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    /** The engine as configured: clusters by name from --config, the inventory where edgeVms.inventoryStore says. */
    static EdgeVmEngine engine(CliContext context) {
        EdgeSettings settings = EdgeSettings.from(context.config());
        return new EdgeVmEngine(settings, context::client, tokens(context), context.inventoryStore(),
                context.clock(), context.retry());
    }

    /** Join tokens from each edge cluster's tokenFile (relative to the config file), else $KUBEPLATFORM_JOIN_TOKEN. */
    static JoinTokens tokens(CliContext context) {
        Map<String, String> env = System.getenv();
        return cluster -> {
            String field = "edge cluster '" + cluster.name() + "' tokenFile";
            if (cluster.tokenFile() != null && !cluster.tokenFile().isBlank()) {
                Path file = context.configDirectory().resolve(cluster.tokenFile());
                try {
                    return Require.nonBlank(field, Files.readString(file, StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new InvalidInputException(field, "must name a readable file; could not read " + file);
                }
            }
            String fromEnv = env.get(TOKEN_ENV);
            if (fromEnv == null || fromEnv.isBlank()) {
                throw new InvalidInputException(field, "is not set and " + TOKEN_ENV + " is empty: the join token "
                        + "must come from a file or the environment, never from an argument");
            }
            return fromEnv.trim();
        };
    }

    /** The identifying fields of an edge-vm dry-run document. */
    static Map<String, Object> subject(String tenant, String name) {
        Map<String, Object> subject = new java.util.LinkedHashMap<>();
        subject.put("tenant", tenant);
        subject.put("name", name);
        return subject;
    }

    static void print(PrintWriter out, EdgeVmResult r) {
        out.println(r.outcome() + ": edge VM " + r.vm() + " (" + r.name() + ", tenant " + r.tenant() + ") on site "
                + r.site() + " in " + r.namespace() + ", edge cluster " + r.edgeCluster()
                + (r.newEdgeCluster() ? " (new)" : "") + ", node " + (r.node() == null ? "-" : r.node())
                + ", address " + (r.address() == null ? "-" : r.address()) + ", state " + r.state());
    }
}
