package com.cloudbees.plugins.credentials.common;

/** Stand-in for credentials-plugin {@code common.StandardUsernameCredentials}. */
public interface StandardUsernameCredentials extends StandardCredentials, UsernameCredentials {
}
