package io.jenkins.plugins.kubeplatform.engine.kube;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The connection of a process running in a pod: the API server from {@code KUBERNETES_SERVICE_HOST}/{@code _PORT}
 * and the pod's service account (token, CA and namespace under
 * {@code /var/run/secrets/kubernetes.io/serviceaccount}) — what fabric8's auto-configuration and client-go's
 * {@code rest.InClusterConfig} use, and nothing else (never a kubeconfig in the controller's home directory).
 */
public final class InClusterConnection {

    /** Where Kubernetes mounts the service account of a pod. */
    public static final Path SERVICE_ACCOUNT = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");

    private InClusterConnection() {
    }

    /** The in-cluster connection when the environment and the service account files say we run in a pod. */
    public static Optional<ClusterConnection> detect(Map<String, String> env, Path serviceAccount) {
        String host = env.getOrDefault("KUBERNETES_SERVICE_HOST", "").trim();
        String port = env.getOrDefault("KUBERNETES_SERVICE_PORT", "").trim();
        Path token = serviceAccount.resolve("token");
        if (host.isEmpty() || port.isEmpty() || !Files.isReadable(token)) {
            return Optional.empty();
        }
        try {
            String server = "https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
            Optional<String> ca = read(serviceAccount.resolve("ca.crt"));
            String namespace = read(serviceAccount.resolve("namespace")).orElse("default");
            return Optional.of(new ClusterConnection("in-cluster", Optional.of(server), namespace, ca, false,
                    new ClusterCredential.Token(Files.readString(token, StandardCharsets.UTF_8).trim())));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** What {@link #detect} looks at, for the message when nothing applies. */
    public static String describe(Path serviceAccount) {
        return "in-cluster service account (KUBERNETES_SERVICE_HOST/KUBERNETES_SERVICE_PORT and "
                + serviceAccount.resolve("token") + ")";
    }

    private static Optional<String> read(Path file) throws IOException {
        return Files.isReadable(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8).trim())
                .filter(s -> !s.isEmpty()) : Optional.empty();
    }
}
