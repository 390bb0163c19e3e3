package io.jenkins.plugins.kubeplatform.cli;

import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import io.jenkins.plugins.kubeplatform.engine.config.ClusterSettings;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Finds the cluster the way kubectl does. The base connection comes from the first of: {@code --kubeconfig};
 * the files of {@code KUBECONFIG} (merged by fabric8: the first file that defines a context, cluster or user wins,
 * the first current-context wins, relative paths resolve against the defining file's directory);
 * {@code ~/.kube/config}; the pod's service account; the default cluster of {@code --config}. Then the flags
 * {@code --context}, {@code --cluster}, {@code --user}, {@code --server}, {@code --token-file},
 * {@code --certificate-authority}, {@code --insecure-skip-tls-verify} and {@code --namespace} override it.
 */
final class ConnectionResolver {

    static final String KUBECONFIG_ENV = "KUBECONFIG";
    static final Path SERVICE_ACCOUNT_DIR = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");

    private final GlobalOptions options;
    private final Map<String, String> environment;
    private final Path serviceAccountDir;
    private final Supplier<Optional<ClusterSettings>> configuredDefault;
    private final Path configDirectory;

    ConnectionResolver(GlobalOptions options, Map<String, String> environment, Path serviceAccountDir,
            Supplier<Optional<ClusterSettings>> configuredDefault, Path configDirectory) {
        this.options = options;
        this.environment = environment;
        this.serviceAccountDir = serviceAccountDir;
        this.configuredDefault = configuredDefault;
        this.configDirectory = configDirectory;
    }

    /** The connection of the main cluster. */
    ResolvedConnection resolve() {
        ResolvedConnection base = base();
        return overridden(base);
    }

    /** The connection of a cluster from the {@code clusters} of --config; global flags do not apply to it. */
    ResolvedConnection configured(ClusterSettings s) {
        String label = "cluster '" + s.name() + "' of --config";
        if (nonBlank(s.kubeconfigFile())) {
            Path file = configDirectory.resolve(s.kubeconfigFile());
            if (!Files.isReadable(file)) {
                throw new InvalidInputException(label + " kubeconfigFile", "must name a readable file; could not read "
                        + file);
            }
            ResolvedConnection fromFile = fromKubeconfig(List.of(file), Optional.empty(), label + " kubeconfigFile "
                    + file);
            Config config = fromFile.config();
            if (nonBlank(s.serverUrl())) {
                config = new ConfigBuilder(config).withMasterUrl(checkedUrl(label + " serverUrl", s.serverUrl())).build();
            }
            String namespace = nonBlank(s.namespace()) ? s.namespace() : fromFile.namespace();
            config = new ConfigBuilder(config).withNamespace(namespace).build();
            return new ResolvedConnection(config, label, fromFile.context(), namespace);
        }
        if (!nonBlank(s.serverUrl())) {
            throw new InvalidInputException(label + " serverUrl", "is required unless kubeconfigFile is given");
        }
        String namespace = nonBlank(s.namespace()) ? s.namespace() : "default";
        ConfigBuilder builder = new ConfigBuilder(Config.empty())
                .withMasterUrl(checkedUrl(label + " serverUrl", s.serverUrl()))
                .withNamespace(namespace)
                .withTrustCerts(s.skipTlsVerify())
                .withDisableHostnameVerification(s.skipTlsVerify());
        if (nonBlank(s.caCertificate())) {
            builder.withCaCertData(Base64.getEncoder().encodeToString(s.caCertificate().getBytes(StandardCharsets.UTF_8)));
        }
        if (nonBlank(s.tokenFile())) {
            builder.withOauthToken(Tokens.read(configDirectory.resolve(s.tokenFile()), label + " tokenFile"));
        }
        return new ResolvedConnection(builder.build(), label, Optional.empty(), namespace);
    }

    private ResolvedConnection base() {
        List<Path> files = new ArrayList<>();
        String source = kubeconfigFiles(files);
        if (!files.isEmpty()) {
            return fromKubeconfig(files, Optional.ofNullable(options.context()), source);
        }
        for (String flag : new String[] {"--context", "--cluster", "--user"}) {
            if (given(flag)) {
                throw new InvalidInputException(flag, "selects from a kubeconfig, but there is none: no --kubeconfig, "
                        + "KUBECONFIG is unset or names no existing file, and " + homeKubeconfig() + " does not exist");
            }
        }
        if (options.server() != null) {
            Config config = new ConfigBuilder(Config.empty()).withMasterUrl(options.server()).build();
            return new ResolvedConnection(config, "--server", Optional.empty(), "default");
        }
        Optional<ResolvedConnection> inCluster = inCluster();
        if (inCluster.isPresent()) {
            return inCluster.get();
        }
        return configuredDefault.get().map(this::configured).orElseThrow(() -> new InvalidInputException("--server",
                "no cluster to talk to: no --kubeconfig, no KUBECONFIG, no " + homeKubeconfig()
                        + ", not running in a pod, and --config names no cluster; give --kubeconfig FILE, --server URL "
                        + "or --config FILE with a clusters entry"));
    }

    private boolean given(String flag) {
        return switch (flag) {
            case "--context" -> options.context() != null;
            case "--cluster" -> options.cluster() != null;
            default -> options.user() != null;
        };
    }

    /** Fills {@code files} with the kubeconfig files to merge; returns how they were found. */
    private String kubeconfigFiles(List<Path> files) {
        if (options.kubeconfig() != null) {
            if (!Files.isRegularFile(options.kubeconfig())) {
                throw new InvalidInputException("--kubeconfig", "must name a readable file; " + options.kubeconfig()
                        + (Files.isDirectory(options.kubeconfig()) ? " is a directory" : " does not exist"));
            }
            files.add(options.kubeconfig());
            return "--kubeconfig " + options.kubeconfig();
        }
        String list = environment.get(KUBECONFIG_ENV);
        if (list != null && !list.isBlank()) {
            Set<Path> unique = new LinkedHashSet<>();
            for (String entry : list.split(File.pathSeparator)) {
                if (!entry.isBlank() && Files.isRegularFile(Path.of(entry))) {
                    unique.add(Path.of(entry));
                }
            }
            files.addAll(unique);
            if (!files.isEmpty()) {
                return "KUBECONFIG " + list;
            }
        }
        Path home = homeKubeconfig();
        if (Files.isRegularFile(home)) {
            files.add(home);
            return home.toString();
        }
        return "";
    }

    private Path homeKubeconfig() {
        String home = environment.get("HOME");
        return Path.of(home == null || home.isBlank() ? System.getProperty("user.home") : home, ".kube", "config");
    }

    private ResolvedConnection fromKubeconfig(List<Path> files, Optional<String> contextFlag, String source) {
        List<io.fabric8.kubernetes.api.model.Config> parsed = new ArrayList<>();
        for (Path file : files) {
            try {
                io.fabric8.kubernetes.api.model.Config kubeconfig = KubeConfigUtils.parseConfig(file.toFile());
                if (kubeconfig == null) {
                    throw new InvalidInputException("kubeconfig " + file, "is empty");
                }
                parsed.add(kubeconfig);
            } catch (RuntimeException e) {
                if (e instanceof InvalidInputException invalid) {
                    throw invalid;
                }
                // the parser's message may quote the file, and the file holds credentials
                throw new InvalidInputException("kubeconfig " + file, "is not a valid kubeconfig (YAML with "
                        + "clusters, contexts and users)");
            }
        }
        Set<String> contexts = new LinkedHashSet<>();
        Set<String> clusters = new LinkedHashSet<>();
        Set<String> users = new LinkedHashSet<>();
        String current = null;
        for (var kubeconfig : parsed) {
            listOf(kubeconfig.getContexts()).forEach(c -> contexts.add(c.getName()));
            listOf(kubeconfig.getClusters()).forEach(c -> clusters.add(c.getName()));
            listOf(kubeconfig.getUsers()).forEach(u -> users.add(u.getName()));
            if (current == null && nonBlank(kubeconfig.getCurrentContext())) {
                current = kubeconfig.getCurrentContext();
            }
        }
        String contextName = contextFlag.orElse(current);
        if (contextName == null) {
            if (options.server() == null) {
                throw new InvalidInputException("--context", "is needed: " + source + " sets no current-context; "
                        + "available: " + names(contexts));
            }
            return new ResolvedConnection(Config.empty(), source, Optional.empty(), "default");
        }
        if (!contexts.contains(contextName)) {
            throw new InvalidInputException(contextFlag.isPresent() ? "--context" : "current-context",
                    "'" + contextName + "' is not a context of " + source + "; available: " + names(contexts));
        }
        NamedContext selected = parsed.stream().flatMap(k -> listOf(k.getContexts()).stream())
                .filter(c -> contextName.equals(c.getName())).findFirst().orElseThrow();
        if (options.cluster() != null) {
            if (!clusters.contains(options.cluster())) {
                throw new InvalidInputException("--cluster", "'" + options.cluster() + "' is not a cluster of "
                        + source + "; available: " + names(clusters));
            }
            selected.getContext().setCluster(options.cluster());
        }
        if (options.user() != null) {
            if (!users.contains(options.user())) {
                throw new InvalidInputException("--user", "'" + options.user() + "' is not a user of " + source
                        + "; available: " + names(users));
            }
            selected.getContext().setUser(options.user());
        }
        String clusterName = selected.getContext().getCluster();
        if (clusterName == null || !clusters.contains(clusterName)) {
            throw new InvalidInputException("context '" + contextName + "'", "names cluster '" + clusterName
                    + "', which " + source + " does not define; available: " + names(clusters));
        }
        Config config = Config.empty();
        KubeConfigUtils.merge(config, contextName, parsed.toArray(io.fabric8.kubernetes.api.model.Config[]::new));
        String namespace = nonBlank(selected.getContext().getNamespace()) ? selected.getContext().getNamespace()
                : "default";
        return new ResolvedConnection(config, "context '" + contextName + "' of " + source, Optional.of(contextName),
                namespace);
    }

    private Optional<ResolvedConnection> inCluster() {
        String host = environment.get("KUBERNETES_SERVICE_HOST");
        String port = environment.get("KUBERNETES_SERVICE_PORT");
        Path tokenFile = serviceAccountDir.resolve("token");
        if (!nonBlank(host) || !nonBlank(port) || !Files.isRegularFile(tokenFile)) {
            return Optional.empty();
        }
        String hostPart = host.contains(":") ? "[" + host + "]" : host;
        ConfigBuilder builder = new ConfigBuilder(Config.empty())
                .withMasterUrl("https://" + hostPart + ":" + port)
                .withOauthToken(Tokens.read(tokenFile, "service account token " + tokenFile));
        Path ca = serviceAccountDir.resolve("ca.crt");
        if (Files.isRegularFile(ca)) {
            builder.withCaCertFile(ca.toString());
        }
        String namespace = "default";
        Path namespaceFile = serviceAccountDir.resolve("namespace");
        try {
            if (Files.isRegularFile(namespaceFile) && !Files.readString(namespaceFile).isBlank()) {
                namespace = Files.readString(namespaceFile).strip();
            }
        } catch (IOException e) {
            throw new InvalidInputException("service account namespace " + namespaceFile, "could not be read");
        }
        return Optional.of(new ResolvedConnection(builder.withNamespace(namespace).build(),
                "in-cluster service account " + serviceAccountDir, Optional.empty(), namespace));
    }

    private ResolvedConnection overridden(ResolvedConnection base) {
        ConfigBuilder builder = new ConfigBuilder(base.config());
        String source = base.source();
        if (options.server() != null) {
            builder.withMasterUrl(checkedUrl("--server", options.server()));
            if (!source.equals("--server")) {
                source = source + ", server from --server";
            }
        }
        if (base.config().getMasterUrl() == null && options.server() == null) {
            throw new InvalidInputException("--server", base.source() + " names no server; give --server URL");
        }
        Optional<String> token = options.tokenFile() != null
                ? Optional.of(Tokens.read(options.tokenFile(), "--token-file"))
                : base.context().isPresent() ? Optional.empty() : Tokens.fromEnvironment(environment);
        token.ifPresent(builder::withOauthToken);
        if (options.certificateAuthority() != null) {
            Path ca = options.certificateAuthority();
            if (!Files.isReadable(ca) || Files.isDirectory(ca)) {
                throw new InvalidInputException("--certificate-authority", "must name a readable PEM file; could not "
                        + "read " + ca);
            }
            builder.withCaCertFile(ca.toAbsolutePath().toString()).withCaCertData(null);
        }
        if (options.insecureSkipTlsVerify()) {
            builder.withTrustCerts(true).withDisableHostnameVerification(true);
        }
        String namespace = base.namespace();
        if (options.namespace() != null) {
            namespace = checkedNamespace(options.namespace());
        }
        builder.withNamespace(namespace);
        return new ResolvedConnection(builder.build(), source, base.context(), namespace);
    }

    static String checkedNamespace(String namespace) {
        if (!namespace.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
            throw new InvalidInputException("--namespace", "must be a DNS label (lower-case letters, digits and '-', "
                    + "at most 63 characters)");
        }
        return namespace;
    }

    static String checkedUrl(String field, String url) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
                throw new InvalidInputException(field, "must be an http(s) URL with a host, such as "
                        + "https://10.0.0.1:6443");
            }
            return url;
        } catch (URISyntaxException e) {
            throw new InvalidInputException(field, "is not a valid URL: " + e.getReason());
        }
    }

    private static <T> List<T> listOf(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static String names(Set<String> names) {
        return names.isEmpty() ? "none" : String.join(", ", names);
    }

    private static boolean nonBlank(String s) {
        return s != null && !s.isBlank();
    }
}
