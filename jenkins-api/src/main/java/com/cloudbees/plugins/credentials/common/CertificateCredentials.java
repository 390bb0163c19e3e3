package com.cloudbees.plugins.credentials.common;

import com.cloudbees.plugins.credentials.Credentials;
import java.security.KeyStore;

/** Stand-in for credentials-plugin {@code CertificateCredentials}: a client certificate in a key store. */
public interface CertificateCredentials extends Credentials, PasswordCredentials {

    KeyStore getKeyStore();
}
