package com.cloudbees.plugins.credentials;

import java.io.Serializable;

/** Stand-in for credentials-plugin {@code CredentialsMatcher}. */
public interface CredentialsMatcher extends Serializable {

    boolean matches(Credentials item);
}
