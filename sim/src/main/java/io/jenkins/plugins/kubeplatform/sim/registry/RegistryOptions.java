package io.jenkins.plugins.kubeplatform.sim.registry;

import java.util.Map;

/**
 * How to run a {@link LocalRegistry}: open (anonymous, plain HTTP) or protected by an htpasswd file. A protected
 * registry always serves TLS with a throw-away self-signed certificate, because image clients (Jib among them) never
 * send credentials over plain HTTP.
 */
public record RegistryOptions(Map<String, String> users, boolean tls) {

    public RegistryOptions {
        users = Map.copyOf(users);
        if (!users.isEmpty() && !tls) {
            throw new IllegalArgumentException("a registry with users must serve TLS");
        }
    }

    /** Anonymous push and pull over plain HTTP. */
    public static RegistryOptions open() {
        return new RegistryOptions(Map.of(), false);
    }

    /** Anonymous push and pull over TLS with a self-signed certificate. */
    public static RegistryOptions openTls() {
        return new RegistryOptions(Map.of(), true);
    }

    /** Basic authentication (htpasswd, bcrypt) for one user, over TLS with a self-signed certificate. */
    public static RegistryOptions withUser(String username, String password) {
        return new RegistryOptions(Map.of(username, password), true);
    }
}
