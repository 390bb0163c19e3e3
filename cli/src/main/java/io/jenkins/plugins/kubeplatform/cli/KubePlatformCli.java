package io.jenkins.plugins.kubeplatform.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code kubeplatform} command line: every capability of the plugin, driven by the same engine. */
@Command(name = "kubeplatform",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Sticky-IP deploys, conflict-free app domains, node repair and edge VMs on Kubernetes.",
        footer = {"", "Exit codes: 0 success, 1 operation failed, 2 invalid input (nothing was changed)."},
        subcommands = {
                CommandLine.HelpCommand.class,
                io.jenkins.plugins.kubeplatform.cli.bench.BenchCommand.class,
                io.jenkins.plugins.kubeplatform.cli.demo.DemoCommand.class,
                io.jenkins.plugins.kubeplatform.cli.sim.SimCommand.class,
                io.jenkins.plugins.kubeplatform.cli.stickyip.StickyDeployCommand.class,
                io.jenkins.plugins.kubeplatform.cli.stickyip.IpLedgerCommand.class,
                io.jenkins.plugins.kubeplatform.cli.image.BuildImageCommand.class,
                io.jenkins.plugins.kubeplatform.cli.expose.ExposeCommand.class,
                io.jenkins.plugins.kubeplatform.cli.expose.ExposeSyncCommand.class,
                io.jenkins.plugins.kubeplatform.cli.repair.RepairNodeCommand.class,
                io.jenkins.plugins.kubeplatform.cli.edgevm.EdgeVmCommand.class,
        })
public final class KubePlatformCli implements Callable<Integer> {

    @Option(names = "--server", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "API server URL (overrides the configured cluster).")
    String server;

    @Option(names = "--token-file", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "File holding a bearer token (or set KUBEPLATFORM_TOKEN). Tokens are never taken from arguments.")
    Path tokenFile;

    @Option(names = "--kubeconfig", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "kubeconfig file to use (its current context).")
    Path kubeconfig;

    @Option(names = "--config", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "Platform configuration YAML: clusters, pools, domains, sites, clusters, quotas "
                    + "(same structure as the Jenkins global configuration).")
    Path config;

    @Option(names = "--state-dir", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "Where the IP ledger, domain registry and VM inventory live "
                    + "(default: $KUBEPLATFORM_STATE_DIR or ~/.kubeplatform/state).")
    Path stateDir;

    @Option(names = "--output", scope = ScopeType.INHERIT, paramLabel = "FORMAT", defaultValue = "text",
            description = "text or json (json prints exactly one object). Default: ${DEFAULT-VALUE}.")
    OutputFormat output;

    private final Map<String, String> environment;

    public KubePlatformCli() {
        this(System.getenv());
    }

    /** A command line that reads tokens and the state directory from {@code environment} instead of the process's. */
    public KubePlatformCli(Map<String, String> environment) {
        this.environment = environment;
    }

    /** What commands need from the global options. */
    CliContext context(PrintWriter out, PrintWriter err) {
        return new CliContext(new GlobalOptions(server, tokenFile, kubeconfig, config, stateDir, output), environment,
                out, err);
    }

    @Override
    public Integer call() {
        CommandLine.usage(this, System.out);
        return ExitCodes.INVALID_INPUT;
    }

    public static void main(String[] args) {
        System.exit(run(new KubePlatformCli(), new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs one invocation; returns the exit code. Used by main and by tests. */
    public static int run(KubePlatformCli root, PrintWriter out, PrintWriter err, String... args) {
        CommandLine commandLine = new CommandLine(root)
                .setOut(out)
                .setErr(err)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(new ErrorReporter(root))
                .setParameterExceptionHandler(ErrorReporter::onParameterError);
        return commandLine.execute(args);
    }
}
