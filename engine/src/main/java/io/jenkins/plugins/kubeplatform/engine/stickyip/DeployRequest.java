package io.jenkins.plugins.kubeplatform.engine.stickyip;

import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.core.Require;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
 * @param template the user's own workload (SIP-12); identities are rendered from it. With a template, {@code port} 0
 *                 derives the Service from the containers' ports and a blank {@code image} keeps the template's images
 * @param pullCredentials the credentials the image was pushed with: a pull Secret is kept from them (SIP-14)
 */
public record DeployRequest(String namespace, String name, String image, int replicas, int port, String pool,
                            String owner, Duration timeout, Map<String, String> env,
                            Optional<WorkloadTemplate> template, Optional<PullCredentials> pullCredentials) {

    /** Longest app name: {@code name-NNN} must stay a DNS-1123 label of at most 63 characters. */
    static final int MAX_NAME = 58;

    public DeployRequest {
        env = env == null ? Map.of() : Map.copyOf(env);
        owner = owner == null || owner.isBlank() ? "unknown" : owner;
        timeout = timeout == null ? Duration.ofMinutes(5) : timeout;
        template = template == null ? Optional.empty() : template;
        pullCredentials = pullCredentials == null ? Optional.empty() : pullCredentials;
        image = image == null ? "" : image;
    }

    public DeployRequest(String namespace, String name, String image, int replicas, int port, String pool,
                         String owner, Duration timeout, Map<String, String> env) {
        this(namespace, name, image, replicas, port, pool, owner, timeout, env, Optional.empty(), Optional.empty());
    }

    /**
     * The number of identities: the step's {@code replicas} when given, else the Deployment manifest's
     * {@code spec.replicas}, else 1.
     */
    public static int replicas(Integer given, Optional<WorkloadTemplate> template) {
        return given != null ? given : template.flatMap(WorkloadTemplate::replicas).orElse(1);
    }

    public static DeployRequest of(String namespace, String name, String image, int replicas, int port, String pool) {
        return new DeployRequest(namespace, name, image, replicas, port, pool, "unknown", Duration.ofMinutes(5), Map.of());
    }

    public DeployRequest withTimeout(Duration newTimeout) {
        return new DeployRequest(namespace, name, image, replicas, port, pool, owner, newTimeout, env, template,
                pullCredentials);
    }

    /** The same request with another image, e.g. the digest reference of an image built just before. */
    public DeployRequest withImage(String newImage) {
        return new DeployRequest(namespace, name, newImage, replicas, port, pool, owner, timeout, env, template,
                pullCredentials);
    }

    public DeployRequest withEnv(Map<String, String> newEnv) {
        return new DeployRequest(namespace, name, image, replicas, port, pool, owner, timeout, newEnv, template,
                pullCredentials);
    }

    /** The same request rendered from the user's own workload (SIP-12). */
    public DeployRequest withTemplate(WorkloadTemplate newTemplate) {
        return new DeployRequest(namespace, name, image, replicas, port, pool, owner, timeout, env,
                Optional.of(newTemplate), pullCredentials);
    }

    /** The same request, keeping a pull Secret for the registry the image was pushed to (SIP-14). */
    public DeployRequest withPullCredentials(PullCredentials credentials) {
        return new DeployRequest(namespace, name, image, replicas, port, pool, owner, timeout, env, template,
                Optional.of(credentials));
    }

    /** Checks every field: raised before anything is reserved or applied. */
    public void validate() {
        Require.dnsLabel("namespace", namespace);
        Require.dnsLabel("name", name);
        if (name.length() > MAX_NAME) {
            throw new InvalidInputException("name", "must be at most " + MAX_NAME
                    + " characters so that the workload names name-<ordinal> stay DNS labels; got " + name.length());
        }
        if (template.isEmpty()) {
            Require.nonBlank("image", image);
        }
        if (image.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            throw new InvalidInputException("image", "must not contain whitespace or control characters; got '"
                    + Require.printable(image) + "'");
        }
        Require.range("replicas", replicas, 0, 1000);
        Require.range("port", port, template.isPresent() ? 0 : 1, 65535);
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
