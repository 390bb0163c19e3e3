package com.cloudbees.plugins.credentials.common;

/** Stand-in for credentials-plugin {@code common.StandardCredentials}. */
public interface StandardCredentials extends IdCredentials {

    String getDescription();
}
