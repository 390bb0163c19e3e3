package com.cloudbees.plugins.credentials.common;

/** Stand-in for credentials-plugin {@code common.StandardUsernamePasswordCredentials} (e.g. registry logins). */
public interface StandardUsernamePasswordCredentials
        extends StandardUsernameCredentials, UsernamePasswordCredentials {
}
