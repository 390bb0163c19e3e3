package com.cloudbees.plugins.credentials.common;

/** Stand-in for credentials-plugin {@code common.UsernamePasswordCredentials}. */
public interface UsernamePasswordCredentials extends UsernameCredentials, PasswordCredentials {
}
