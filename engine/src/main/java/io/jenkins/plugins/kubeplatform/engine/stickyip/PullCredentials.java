package io.jenkins.plugins.kubeplatform.engine.stickyip;

import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import java.util.Objects;

/**
 * The registry credentials an image was pushed with (SIP-14): the deploy keeps a {@code kubernetes.io/dockerconfigjson}
 * Secret from them so the pods can pull what was pushed. The password never appears in {@link #toString()}.
 *
 * @param registry the registry host as it appears in image references ({@code registry.example.com:5000})
 */
public record PullCredentials(String registry, String username, String password) {

    public PullCredentials {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        if (registry.isBlank() || registry.chars().anyMatch(c -> c <= ' ' || c == '/')) {
            throw new InvalidInputException("registry", "must be a registry host such as registry.example.com:5000");
        }
    }

    /** The registry host of an image reference: its first path segment when that looks like a host, else Docker Hub. */
    public static String registryOf(String image) {
        int slash = image.indexOf('/');
        if (slash > 0) {
            String first = image.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                return first;
            }
        }
        return "docker.io";
    }

    /** The pull credentials for an image pushed to {@code repository} with {@code credential}; none if anonymous. */
    public static java.util.Optional<PullCredentials> forPush(String repository,
                                                              io.jenkins.plugins.kubeplatform.engine.image.RegistryCredential credential) {
        if (credential instanceof io.jenkins.plugins.kubeplatform.engine.image.RegistryCredential.UsernamePassword up) {
            return java.util.Optional.of(new PullCredentials(registryOf(repository), up.username(), up.password()));
        }
        return java.util.Optional.empty();
    }

    @Override
    public String toString() {
        return "PullCredentials[registry=" + registry + ", username=" + username + ", password=****]";
    }
}
