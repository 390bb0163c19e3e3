package com.cloudbees.plugins.credentials.common;

import com.cloudbees.plugins.credentials.Credentials;
import hudson.util.Secret;

/** Stand-in for credentials-plugin {@code common.PasswordCredentials}. */
public interface PasswordCredentials extends Credentials {

    Secret getPassword();
}
