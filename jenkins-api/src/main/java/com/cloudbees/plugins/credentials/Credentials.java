package com.cloudbees.plugins.credentials;

import hudson.ExtensionPoint;
import hudson.model.Describable;
import java.io.Serializable;

/** Stand-in for credentials-plugin {@code Credentials}. */
public interface Credentials extends Describable<Credentials>, Serializable, ExtensionPoint {

    CredentialsScope getScope();
}
