package com.cloudbees.plugins.credentials.common;

import com.cloudbees.plugins.credentials.Credentials;

/** Stand-in for credentials-plugin {@code common.IdCredentials}. */
public interface IdCredentials extends Credentials {

    String getId();
}
