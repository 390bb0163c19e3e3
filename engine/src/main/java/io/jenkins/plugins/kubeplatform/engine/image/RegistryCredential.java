package io.jenkins.plugins.kubeplatform.engine.image;

import java.io.Serializable;

/** How to authenticate to an image registry. Secrets never appear in {@link #toString()}. */
public sealed interface RegistryCredential extends Serializable {

    /** No credentials: anonymous pull or push. */
    record Anonymous() implements RegistryCredential {
        private static final long serialVersionUID = 1L;
    }

    /**
     * Username and password; for token-based registries the password is the token and the username the one the
     * registry documents (for example {@code oauth2accesstoken} or the account name).
     */
    record UsernamePassword(String username, String password) implements RegistryCredential {
        private static final long serialVersionUID = 1L;

        @Override
        public String toString() {
            return "UsernamePassword[username=" + username + ", password=****]";
        }
    }

    static RegistryCredential anonymous() {
        return new Anonymous();
    }

    /** A short description for logs: the username, never the secret. */
    default String describe() {
        return this instanceof UsernamePassword up ? "as user " + up.username() : "anonymously";
    }
}
