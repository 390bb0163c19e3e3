package org.jenkinsci.plugins.plaincredentials;

import com.cloudbees.plugins.credentials.common.StandardCredentials;
import hudson.util.Secret;

/** Stand-in for plain-credentials {@code StringCredentials} ("Secret text"). */
public interface StringCredentials extends StandardCredentials {

    Secret getSecret();
}
