package com.cloudbees.plugins.credentials;

/** Stand-in for credentials-plugin {@code CredentialsScope}. */
public enum CredentialsScope {
    SYSTEM,
    GLOBAL,
    USER;
}
