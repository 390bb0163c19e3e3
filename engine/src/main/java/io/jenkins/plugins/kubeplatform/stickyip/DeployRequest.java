package io.jenkins.plugins.kubeplatform.stickyip;

import io.jenkins.plugins.kubeplatform.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.core.Require;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What {@code stickyIpDeploy} / {@code kubeplatform sticky-deploy} asks for.
 *
 * @param image   a pullable image reference; a digest reference ({@code repo@sha256:...}) pins exactly one image
 * @param port    the container port, also the Service port
 * @param pool    the pool to take addresses from
 * @param owner   who deploys (job and build number, or "cli"); recorded in the ledger
 * @param timeout how long to wait for each identity to become Ready with its address
 * @param env     environment variables for the container
 */
public record DeployRequest(String namespace, String name, String image, int replicas, int port, String pool,
                            String owner, Duration timeout, Map<String, String> env) {

    /** Longest app name: {@code name-NNN} must stay a DNS-1123 label of at most 63 characters. */
    static final int MAX_NAME = 58;

    public DeployRequest {
        env = env == null ? Map.of() : Map.copyOf(env);
        owner = owner == null || owner.isBlank() ? "unknown" : owner;
        timeout = timeout == null ? Duration.ofMinutes(5) : timeout;
    }

    public static DeployRequest of(String namespace, String name, String image, int replicas, int port, String pool) {
        return new DeployRequest(namespace, name, image, replicas, port, pool, "unknown", Duration.ofMinutes(5), Map.of());
    }

    public DeployRequest withOwner(String newOwner) {
        return new DeployRequest(namespace, name, image, replicas, port, pool, newOwner, timeout, env);
    }

    public DeployRequest withTimeout(Duration newTimeout) {
        return new DeployRequest(namespace, name, image, replicas, port, pool, owner, newTimeout, env);
    }

    /** The same request with another image, e.g. the digest reference of an image built just before. */
    public DeployRequest withImage(String newImage) {
        return new DeployRequest(namespace, name, newImage, replicas, port, pool, owner, timeout, env);
    }

    public DeployRequest withEnv(Map<String, String> newEnv) {
        return new DeployRequest(namespace, name, image, replicas, port, pool, owner, timeout, newEnv);
    }

    /** Checks every field: raised before anything is reserved or applied. */
    public void validate() {
        Require.dnsLabel("namespace", namespace);
        Require.dnsLabel("name", name);
        if (name.length() > MAX_NAME) {
            throw new InvalidInputException("name", "must be at most " + MAX_NAME
                    + " characters so that the workload names name-<ordinal> stay DNS labels; got " + name.length());
        }
        Require.nonBlank("image", image);
        if (image.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            throw new InvalidInputException("image", "must not contain whitespace or control characters; got '"
                    + Require.printable(image) + "'");
        }
        Require.range("replicas", replicas, 0, 500);
        Require.range("port", port, 1, 65535);
        Require.dnsLabel("pool", pool);
        if (timeout.isNegative() || timeout.isZero()) {
            throw new InvalidInputException("timeout", "must be positive");
        }
        for (var e : new TreeMap<>(env).entrySet()) {
            if (!e.getKey().matches("[A-Za-z_][A-Za-z0-9_.-]*")) {
                throw new InvalidInputException("env", "names must be C identifiers (letters, digits, '_', '.', '-'); got '"
                        + Require.printable(e.getKey()) + "'");
            }
            Objects.requireNonNull(e.getValue(), "env value");
        }
    }
}
