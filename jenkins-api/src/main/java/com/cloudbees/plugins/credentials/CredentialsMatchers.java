package com.cloudbees.plugins.credentials;

import java.util.List;

/** Stand-in for credentials-plugin {@code CredentialsMatchers}. */
public class CredentialsMatchers {

    private CredentialsMatchers() {
        throw new UnsupportedOperationException("Utility class");
    }

    public static CredentialsMatcher always() {
        throw new UnsupportedOperationException("stand-in");
    }

    public static CredentialsMatcher never() {
        throw new UnsupportedOperationException("stand-in");
    }

    public static CredentialsMatcher not(CredentialsMatcher matcher) {
        throw new UnsupportedOperationException("stand-in");
    }

    @SuppressWarnings("rawtypes")
    public static CredentialsMatcher instanceOf(Class clazz) {
        throw new UnsupportedOperationException("stand-in");
    }

    public static CredentialsMatcher withId(String id) {
        throw new UnsupportedOperationException("stand-in");
    }

    public static CredentialsMatcher withUsername(String username) {
        throw new UnsupportedOperationException("stand-in");
    }

    public static CredentialsMatcher allOf(CredentialsMatcher... matchers) {
        throw new UnsupportedOperationException("stand-in");
    }

    public static CredentialsMatcher anyOf(CredentialsMatcher... matchers) {
        throw new UnsupportedOperationException("stand-in");
    }

    public static <C extends Credentials> List<C> filter(List<C> credentials, CredentialsMatcher matcher) {
        throw new UnsupportedOperationException("stand-in");
    }

    public static <C extends Credentials> C firstOrNull(Iterable<C> credentials, CredentialsMatcher matcher) {
        throw new UnsupportedOperationException("stand-in");
    }

    public static <C extends Credentials> C firstOrDefault(Iterable<C> credentials, CredentialsMatcher matcher,
            C defaultIfNone) {
        throw new UnsupportedOperationException("stand-in");
    }
}
