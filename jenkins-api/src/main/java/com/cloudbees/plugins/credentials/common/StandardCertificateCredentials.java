package com.cloudbees.plugins.credentials.common;

/** Stand-in for credentials-plugin {@code StandardCertificateCredentials}: a certificate credential with an ID. */
public interface StandardCertificateCredentials extends StandardCredentials, CertificateCredentials {
}
