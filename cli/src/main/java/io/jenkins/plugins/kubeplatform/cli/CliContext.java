package io.jenkins.plugins.kubeplatform.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.config.ClusterSettings;
import io.jenkins.plugins.kubeplatform.config.PlatformConfig;
import io.jenkins.plugins.kubeplatform.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.core.Progress;
import io.jenkins.plugins.kubeplatform.kube.ClusterConnection;
import io.jenkins.plugins.kubeplatform.kube.ClusterCredential;
import io.jenkins.plugins.kubeplatform.kube.KubernetesClients;
import io.jenkins.plugins.kubeplatform.store.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What a command needs from the global options: configuration, the cluster client, the state directory,
 * progress output (stderr) and result output (stdout; text or exactly one JSON object).
 */
public final class CliContext implements AutoCloseable {

    static final String TOKEN_ENV = "KUBEPLATFORM_TOKEN";
    static final String STATE_DIR_ENV = "KUBEPLATFORM_STATE_DIR";

    private final GlobalOptions options;
    private final Map<String, String> environment;
    private final PrintWriter out;
    private final PrintWriter err;
    private PlatformConfig config;
    private KubernetesClient client;
    private final Map<String, KubernetesClient> namedClients = new java.util.LinkedHashMap<>();

    CliContext(GlobalOptions options, Map<String, String> environment, PrintWriter out, PrintWriter err) {
        this.options = options;
        this.environment = environment;
        this.out = out;
        this.err = err;
    }

    /** The context of the running invocation, for a command at any depth below {@code kubeplatform}. */
    public static CliContext of(CommandSpec spec) {
        KubePlatformCli root = (KubePlatformCli) spec.root().userObject();
        return root.context(spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    public PlatformConfig config() {
        if (config == null) {
            config = options.config() == null ? PlatformConfig.empty() : PlatformConfig.load(options.config());
        }
        return config;
    }

    public boolean json() {
        return options.output() == OutputFormat.JSON;
    }

    /** An environment variable, if set and not blank (secrets come from files or the environment, never argv). */
    public Optional<String> environment(String name) {
        String value = environment.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    public PrintWriter out() {
        return out;
    }

    /** Progress goes to stderr so that stdout carries only the result. */
    public Progress progress() {
        return Progress.lines(line -> {
            err.println(line);
            err.flush();
        });
    }

    public Path stateDir() {
        if (options.stateDir() != null) {
            return options.stateDir();
        }
        String fromEnv = environment.get(STATE_DIR_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Path.of(fromEnv);
        }
        return Path.of(System.getProperty("user.home"), ".kubeplatform", "state");
    }

    /** The cluster to talk to: --kubeconfig, else --server (+ token), else the configured default cluster. */
    public ClusterConnection connection() {
        Optional<String> token = token(options.tokenFile(), "--token-file");
        if (options.kubeconfig() != null) {
            return new ClusterConnection("kubeconfig", Optional.ofNullable(options.server()), "default",
                    Optional.empty(), false, new ClusterCredential.Kubeconfig(read(options.kubeconfig(), "--kubeconfig")));
        }
        if (options.server() != null) {
            return new ClusterConnection("--server", Optional.of(options.server()), "default", Optional.empty(), false,
                    token.<ClusterCredential>map(ClusterCredential.Token::new).orElse(new ClusterCredential.None()));
        }
        ClusterSettings settings = config().defaultCluster().orElseThrow(() -> new InvalidInputException("--server",
                "no cluster to talk to: give --server URL, --kubeconfig FILE, or --config FILE with a cluster"));
        return fromSettings(settings, token);
    }

    /** The connection of a configured cluster by name; blank means {@link #connection()}. */
    public ClusterConnection connection(String clusterName) {
        if (clusterName == null || clusterName.isBlank()) {
            return connection();
        }
        ClusterSettings settings = config().clusters().stream().filter(c -> clusterName.equals(c.name())).findFirst()
                .orElseThrow(() -> new InvalidInputException("cluster", "'" + clusterName
                        + "' is not among the configured clusters of " + config().source()));
        return fromSettings(settings, Optional.empty());
    }

    /** A client for a configured cluster by name (blank: {@link #client()}); closed with the context. */
    public KubernetesClient client(String clusterName) {
        if (clusterName == null || clusterName.isBlank()) {
            return client();
        }
        return namedClients.computeIfAbsent(clusterName, n -> KubernetesClients.create(connection(n)));
    }

    /** The directory of the --config file (relative paths in it are resolved from there), else the working directory. */
    public Path configDirectory() {
        Path parent = options.config() == null ? null : options.config().toAbsolutePath().getParent();
        return parent == null ? Path.of("").toAbsolutePath() : parent;
    }

    private ClusterConnection fromSettings(ClusterSettings s, Optional<String> globalToken) {
        ClusterCredential credential;
        if (s.kubeconfigFile() != null && !s.kubeconfigFile().isBlank()) {
            credential = new ClusterCredential.Kubeconfig(read(Path.of(s.kubeconfigFile()),
                    "cluster '" + s.name() + "' kubeconfigFile"));
        } else {
            Optional<String> token = globalToken.isPresent() || s.tokenFile() == null || s.tokenFile().isBlank()
                    ? globalToken
                    : token(Path.of(s.tokenFile()), "cluster '" + s.name() + "' tokenFile");
            credential = token.<ClusterCredential>map(ClusterCredential.Token::new).orElse(new ClusterCredential.None());
        }
        return new ClusterConnection(s.name(), Optional.ofNullable(s.serverUrl()).filter(u -> !u.isBlank()),
                s.namespace(), Optional.ofNullable(s.caCertificate()).filter(c -> !c.isBlank()), s.skipTlsVerify(),
                credential);
    }

    public KubernetesClient client() {
        if (client == null) {
            client = KubernetesClients.create(connection());
        }
        return client;
    }

    /** Prints the result: one JSON object in json mode, else the text rendering. */
    public void result(Object value, Consumer<PrintWriter> text) {
        if (json()) {
            try {
                out.println(Json.mapper().writeValueAsString(value));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("result is not serializable as JSON", e);
            }
        } else {
            text.accept(out);
        }
        out.flush();
    }

    private Optional<String> token(Path file, String field) {
        if (file != null) {
            String token = read(file, field).trim();
            if (token.isEmpty()) {
                throw new InvalidInputException(field, "names an empty file; it must hold the token");
            }
            return Optional.of(token);
        }
        String fromEnv = environment.get(TOKEN_ENV);
        return fromEnv == null || fromEnv.isBlank() ? Optional.empty() : Optional.of(fromEnv.trim());
    }

    private static String read(Path file, String field) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidInputException(field, "must name a readable file; could not read " + file);
        }
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
        namedClients.values().forEach(KubernetesClient::close);
    }
}
