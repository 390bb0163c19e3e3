package io.jenkins.plugins.kubeplatform.config;

/**
 * One configured cluster connection, as written in the Jenkins global configuration or the CLI's --config file.
 * Jenkins resolves {@code credentialsId}; the CLI reads {@code tokenFile} or {@code kubeconfigFile} instead
 * (secrets are never written into the configuration itself).
 */
public record ClusterSettings(
        String name,
        String serverUrl,
        String namespace,
        String credentialsId,
        String tokenFile,
        String kubeconfigFile,
        String caCertificate,
        boolean skipTlsVerify) {
}
