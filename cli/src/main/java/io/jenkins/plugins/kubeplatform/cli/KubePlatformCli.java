package io.jenkins.plugins.kubeplatform.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
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
        footer = {"",
                "Connection (like kubectl): --kubeconfig, else the files of KUBECONFIG merged (first wins), else",
                "~/.kube/config, else the pod's service account, else the default cluster of --config; --context,",
                "--cluster, --user, --server, --token-file, --certificate-authority, --insecure-skip-tls-verify and",
                "-n override it. Edge sites always use their own configured clusters (clusters of --config):",
                "--server and --context apply only to the main cluster; the connection used is printed.",
                "",
                "Exit codes: 0 success, 1 operation failed, 2 invalid input (nothing was changed),",
                "130 interrupted (Ctrl-C; state stays consistent and the next run resumes)."},
        // the other subcommands come from Subcommands.installed() (cli.app.AllCommands), see commandLine
        subcommands = {
                CommandLine.HelpCommand.class,
        })
public final class KubePlatformCli implements Callable<Integer> {

    @Option(names = "--kubeconfig", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "kubeconfig file (default: the files of $KUBECONFIG merged, else ~/.kube/config).")
    Path kubeconfig;

    @Option(names = "--context", scope = ScopeType.INHERIT, paramLabel = "NAME",
            description = "kubeconfig context to use (default: its current-context).")
    String kubeContext;

    @Option(names = "--cluster", scope = ScopeType.INHERIT, paramLabel = "NAME",
            description = "kubeconfig cluster to use instead of the context's.")
    String cluster;

    @Option(names = "--user", scope = ScopeType.INHERIT, paramLabel = "NAME",
            description = "kubeconfig user to use instead of the context's.")
    String user;

    @Option(names = {"-n", "--namespace"}, scope = ScopeType.INHERIT, paramLabel = "NS",
            description = "Namespace (default: the context's namespace, else default).")
    String namespace;

    @Option(names = "--server", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "API server URL of the main cluster (edge sites keep their configured clusters).")
    String server;

    @Option(names = "--token-file", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "File holding a bearer token (or set KUBEPLATFORM_TOKEN). Tokens are never taken from arguments.")
    Path tokenFile;

    @Option(names = "--certificate-authority", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "PEM file of the CA that signed the API server's certificate.")
    Path certificateAuthority;

    @Option(names = "--insecure-skip-tls-verify", scope = ScopeType.INHERIT,
            description = "Accept any server certificate (test clusters only).")
    boolean insecureSkipTlsVerify;

    @Option(names = "--config", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "Platform configuration YAML: clusters, pools, domains, repair, edge "
                    + "(same structure as the Jenkins global configuration).")
    Path config;

    @Option(names = "--state-dir", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "Where the IP ledger, domain registry and VM inventory live "
                    + "(default: $KUBEPLATFORM_STATE_DIR or ~/.kubeplatform/state).")
    Path stateDir;

    @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, paramLabel = "FORMAT", defaultValue = "text",
            description = "text, wide, json or yaml (json and yaml print exactly one document). Default: ${DEFAULT-VALUE}.")
    OutputFormat output;

    @Option(names = "--no-headers", scope = ScopeType.INHERIT, description = "Print tables without their header row.")
    boolean noHeaders;

    private final Map<String, String> environment;
    private ResolvedConnection connectionUsed;

    public KubePlatformCli() {
        this(System.getenv());
    }

    /** A command line that reads tokens, HOME, KUBECONFIG and the state directory from {@code environment}. */
    public KubePlatformCli(Map<String, String> environment) {
        this.environment = environment;
    }

    GlobalOptions options() {
        return new GlobalOptions(server, tokenFile, kubeconfig, kubeContext, cluster, user, namespace,
                certificateAuthority, insecureSkipTlsVerify, config, stateDir, output, noHeaders);
    }

    /** What commands need from the global options. */
    CliContext context(PrintWriter out, PrintWriter err, picocli.CommandLine.Model.CommandSpec spec) {
        return new CliContext(options(), environment, out, err, spec);
    }

    Map<String, String> environment() {
        return environment;
    }

    /** The main cluster's connection once a command resolved it (for error messages). */
    java.util.Optional<ResolvedConnection> connectionUsed() {
        return java.util.Optional.ofNullable(connectionUsed);
    }

    void connectionUsed(ResolvedConnection connection) {
        this.connectionUsed = connection;
    }

    @Override
    public Integer call() {
        CommandLine.usage(this, System.out);
        return ExitCodes.INVALID_INPUT;
    }

    /**
     * The HTTP client's own log lines (e.g. vert.x's blocked-thread warnings, with stack traces, on a busy machine)
     * are not for the user: failures reach the user as one actionable message. Held so the settings stay.
     */
    private static final java.util.List<java.util.logging.Logger> QUIET_LOGGERS = java.util.List.of(
            java.util.logging.Logger.getLogger("io.vertx"), java.util.logging.Logger.getLogger("io.netty"));

    public static void main(String[] args) {
        QUIET_LOGGERS.forEach(logger -> logger.setLevel(java.util.logging.Level.OFF));
        Interruption.install();
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        int code = run(new KubePlatformCli(), out, err, args);
        Interruption.finished();
        System.exit(code);
    }

    /** Runs one invocation; returns the exit code. Used by main and by tests. */
    public static int run(KubePlatformCli root, PrintWriter out, PrintWriter err, String... args) {
        CommandLine commandLine = commandLine(root)
                .setOut(out)
                .setErr(err)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setAbbreviatedSubcommandsAllowed(false)
                .setExecutionExceptionHandler(new ErrorReporter(root))
                .setParameterExceptionHandler(ErrorReporter::onParameterError);
        int code = commandLine.execute(args);
        Interruption.ended(code == ExitCodes.OK);
        return code;
    }

    /** The command tree of {@code kubeplatform} with {@code root} at its top and every installed subcommand. */
    public static CommandLine commandLine(KubePlatformCli root) {
        CommandLine commandLine = new CommandLine(root);
        for (Object command : Subcommands.installed()) {
            commandLine.addSubcommand(command);
        }
        return commandLine;
    }
}
