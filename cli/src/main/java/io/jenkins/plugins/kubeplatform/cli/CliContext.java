package io.jenkins.plugins.kubeplatform.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.engine.config.ClusterSettings;
import io.jenkins.plugins.kubeplatform.engine.config.PlatformConfig;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.edgevm.Inventory;
import io.jenkins.plugins.kubeplatform.engine.edgevm.InventoryStoreSettings;
import io.jenkins.plugins.kubeplatform.engine.expose.DomainRegistry;
import io.jenkins.plugins.kubeplatform.engine.kube.ApiRetry;
import io.jenkins.plugins.kubeplatform.engine.kube.KubernetesClients;
import io.jenkins.plugins.kubeplatform.engine.kube.ServerWarnings;
import io.jenkins.plugins.kubeplatform.engine.stickyip.IpReservationLedger;
import io.jenkins.plugins.kubeplatform.engine.stickyip.LedgerSettings;
import io.jenkins.plugins.kubeplatform.engine.store.StateStore;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What a command needs from the global options: configuration, the cluster connection and client, the namespace,
 * the state directory, progress output (stderr) and result output (stdout: a table or exactly one document).
 */
public final class CliContext implements AutoCloseable {

    static final String TOKEN_ENV = Tokens.TOKEN_ENV;
    static final String STATE_DIR_ENV = "KUBEPLATFORM_STATE_DIR";

    private final GlobalOptions options;
    private final Map<String, String> environment;
    private final PrintWriter out;
    private final PrintWriter err;
    private final CommandSpec spec;
    private final Path serviceAccountDir;
    private PlatformConfig config;
    private ResolvedConnection connection;
    private KubernetesClient client;
    private final Map<String, KubernetesClient> namedClients = new LinkedHashMap<>();
    private ServerWarnings warnings;
    private boolean stateDirAnnounced;
    private StateStore<Inventory> inventoryStore;
    private IpReservationLedger ledger;
    private StateStore<DomainRegistry> domainRegistry;

    CliContext(GlobalOptions options, Map<String, String> environment, PrintWriter out, PrintWriter err,
            CommandSpec spec) {
        this(options, environment, out, err, spec, ConnectionResolver.SERVICE_ACCOUNT_DIR);
    }

    CliContext(GlobalOptions options, Map<String, String> environment, PrintWriter out, PrintWriter err,
            CommandSpec spec, Path serviceAccountDir) {
        this.options = options;
        this.environment = environment;
        this.out = out;
        this.err = err;
        this.spec = spec;
        this.serviceAccountDir = serviceAccountDir;
    }

    /** The context of the running invocation, for a command at any depth below {@code kubeplatform}. */
    public static CliContext of(CommandSpec spec) {
        KubePlatformCli root = (KubePlatformCli) spec.root().userObject();
        return root.context(spec.commandLine().getOut(), spec.commandLine().getErr(), spec);
    }

    public PlatformConfig config() {
        if (config == null) {
            Path file = options.config();
            if (file != null && Files.isDirectory(file)) {
                throw new InvalidInputException("--config", "names a directory (" + file + "); give the YAML file, "
                        + "e.g. " + file.resolve("kubeplatform.yaml"));
            }
            PlatformConfig loaded = file == null ? PlatformConfig.empty() : PlatformConfig.load(file);
            io.jenkins.plugins.kubeplatform.engine.sections.ConfigSections.check(loaded);
            config = loaded;
        }
        return config;
    }

    /** Whether the result is printed as one json or yaml document. */
    public boolean json() {
        return options.output().structured();
    }

    public OutputFormat output() {
        return options.output();
    }

    /** Whether tables are printed without their header row (--no-headers). */
    public boolean noHeaders() {
        return options.noHeaders();
    }

    /** An environment variable, if set and not blank (secrets come from files or the environment, never argv). */
    public Optional<String> environment(String name) {
        String value = environment.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    public PrintWriter out() {
        return out;
    }

    /**
     * Progress goes to stderr so that stdout carries only the result. Plan, step and warning lines always appear
     * (they record what was decided and changed, also in CI logs); lines about a wait in progress appear only on a
     * terminal and not with -o json/yaml, rewritten in place.
     */
    public Progress progress() {
        boolean quiet = json();
        boolean terminal = Terminal.isInteractive();
        return new Progress() {
            @Override public void plan(String text) {
                line("[plan] " + text);
            }

            @Override public void step(String text) {
                line("[step] " + text);
            }

            @Override public void waiting(String text) {
                if (!quiet && terminal) {
                    err.print("\r\033[K[wait] " + text);
                    err.flush();
                }
            }

            @Override public void warn(String text) {
                line("[warn] " + text);
            }

            private void line(String text) {
                if (terminal) {
                    err.print("\r\033[K");
                }
                err.println(text);
                err.flush();
            }
        };
    }

    /** The CLI's one retry policy (built once per process), shared by every command and benchmark. */
    public static final ApiRetry RETRY = ApiRetry.defaults();
    /** The CLI's one clock (UTC), shared by every command and benchmark. */
    public static final Clock CLOCK = Clock.systemUTC();

    /** {@link #CLOCK}, for the engine objects of this command. */
    public Clock clock() {
        return CLOCK;
    }

    /** {@link #RETRY} for API calls of this command; each retry is reported with its count. */
    public ApiRetry retry() {
        return RETRY.observed(line -> progress().warn("retrying " + line));
    }

    public Path stateDir() {
        Path dir;
        if (options.stateDir() != null) {
            dir = options.stateDir();
        } else {
            String fromEnv = environment.get(STATE_DIR_ENV);
            dir = fromEnv != null && !fromEnv.isBlank() ? Path.of(fromEnv)
                    : Path.of(System.getProperty("user.home"), ".kubeplatform", "state");
        }
        if (!stateDirAnnounced) {
            stateDirAnnounced = true;
            String operation = spec == null ? "kubeplatform" : spec.qualifiedName();
            Interruption.begin(dir, operation).ifPresent(note -> progress().warn("resuming: " + note
                    + "; state files were left consistent, converging from the live state"));
        }
        return dir;
    }

    /**
     * The edge-VM inventory where {@code edgeVms.inventoryStore} says (the state directory's file, or ConfigMaps in
     * the main cluster); built once per invocation and shared by every part of the command.
     */
    public StateStore<Inventory> inventoryStore() {
        if (inventoryStore == null) {
            inventoryStore = InventoryStoreSettings.of(config()).open(stateDir(), this::client, retry());
        }
        return inventoryStore;
    }

    /**
     * The IP ledger where {@code stickyIp.ledgerStore} says (the state directory's journal, or ConfigMaps in the
     * cluster); built once per invocation and closed with the context, which writes the file ledger's last
     * acknowledgement marker before the command returns.
     */
    public IpReservationLedger ledger() {
        if (ledger == null) {
            ledger = LedgerSettings.of(config()).open(stateDir(), cluster -> client(cluster.orElse(null)), retry(),
                    clock());
        }
        return ledger;
    }

    /** The domain registry under the state directory; built once per invocation. */
    public StateStore<DomainRegistry> domainRegistry() {
        if (domainRegistry == null) {
            domainRegistry = DomainRegistry.fileStore(stateDir());
        }
        return domainRegistry;
    }

    /** The main cluster's connection (see {@link ConnectionResolver}); resolved once and printed once. */
    public ResolvedConnection connection() {
        if (connection == null) {
            connection = resolver().resolve();
            Redaction.remember(connection.config());
            if (spec != null && spec.root().userObject() instanceof KubePlatformCli root) {
                root.connectionUsed(connection);
            }
            if (!json()) {
                err.println("[conn] " + connection.describe());
                err.flush();
            }
        }
        return connection;
    }

    /** The namespace to act in: -n, else the context's namespace, else default. */
    public String namespace() {
        if (options.namespace() != null) {
            return ConnectionResolver.checkedNamespace(options.namespace());
        }
        return connection().namespace();
    }

    /** The namespace only when -n/--namespace was given (for commands that list local state across namespaces). */
    public Optional<String> explicitNamespace() {
        return Optional.ofNullable(options.namespace()).map(ConnectionResolver::checkedNamespace);
    }

    /** A client for a configured cluster by name (blank: {@link #client()}); closed with the context. */
    public KubernetesClient client(String clusterName) {
        if (clusterName == null || clusterName.isBlank()) {
            return client();
        }
        return namedClients.computeIfAbsent(clusterName, n -> {
            ResolvedConnection named = resolver().configured(configuredCluster(n));
            Redaction.remember(named.config());
            if (!json()) {
                err.println("[conn] cluster '" + n + "': " + named.describe()
                        + (options.server() != null || options.context() != null
                        ? " (its configured connection; --server and --context apply to the main cluster only)" : ""));
                err.flush();
            }
            return KubernetesClients.create(named.config(), serverWarnings());
        });
    }

    /** The directory of the --config file (relative paths in it are resolved from there), else the working directory. */
    public Path configDirectory() {
        Path parent = options.config() == null ? null : options.config().toAbsolutePath().getParent();
        return parent == null ? Path.of("").toAbsolutePath() : parent;
    }

    public KubernetesClient client() {
        if (client == null) {
            client = KubernetesClients.create(connection().config(), serverWarnings());
        }
        return client;
    }

    /**
     * The API server's warnings on any of this invocation's clients, printed on stderr like the other progress
     * lines, each text once (as kubectl prints them).
     */
    private synchronized ServerWarnings serverWarnings() {
        if (warnings == null) {
            warnings = new ServerWarnings(progress());
        }
        return warnings;
    }

    /** Prints the result: one json or yaml document, else the text rendering. */
    public void result(Object value, Consumer<PrintWriter> text) {
        if (json()) {
            out.print(Output.document(options.output(), Output.kind(spec), value));
        } else {
            text.accept(out);
        }
        out.flush();
    }

    /** Prints the result: one json or yaml document, else {@code table} (with its header unless --no-headers). */
    public void result(Object value, Table table) {
        result(value, o -> table.print(o, options.output() == OutputFormat.WIDE, !options.noHeaders()));
    }

    private ConnectionResolver resolver() {
        return new ConnectionResolver(options, environment, serviceAccountDir, () -> config().defaultCluster(),
                configDirectory());
    }

    private ClusterSettings configuredCluster(String name) {
        return config().clusters().stream().filter(c -> name.equals(c.name())).findFirst()
                .orElseThrow(() -> new InvalidInputException("cluster", "'" + name
                        + "' is not among the configured clusters of " + config().source()));
    }

    @Override
    public void close() {
        if (ledger != null && ledger.store() instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                progress().warn("closing the IP ledger: " + e.getMessage());
            }
        }
        if (client != null) {
            client.close();
        }
        namedClients.values().forEach(KubernetesClient::close);
    }
}
