package io.jenkins.plugins.kubeplatform.engine.config;

/**
 * One configured cluster connection, as written in the Jenkins global configuration or the CLI's --config file
 * (declared in {@link KubePlatformSchema}). Jenkins resolves {@code credentialsId}; the CLI reads {@code tokenFile} or
 * {@code kubeconfigFile} instead (secrets are never written into the configuration itself). Built with
 * {@link #builder()}.
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

    /** A builder with every value absent (null) and TLS verification on. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds settings key by key; no positional construction at call sites. */
    public static final class Builder {
        private String name;
        private String serverUrl;
        private String namespace;
        private String credentialsId;
        private String tokenFile;
        private String kubeconfigFile;
        private String caCertificate;
        private boolean skipTlsVerify;

        private Builder() {
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder serverUrl(String serverUrl) {
            this.serverUrl = serverUrl;
            return this;
        }

        public Builder namespace(String namespace) {
            this.namespace = namespace;
            return this;
        }

        public Builder credentialsId(String credentialsId) {
            this.credentialsId = credentialsId;
            return this;
        }

        public Builder tokenFile(String tokenFile) {
            this.tokenFile = tokenFile;
            return this;
        }

        public Builder kubeconfigFile(String kubeconfigFile) {
            this.kubeconfigFile = kubeconfigFile;
            return this;
        }

        public Builder caCertificate(String caCertificate) {
            this.caCertificate = caCertificate;
            return this;
        }

        public Builder skipTlsVerify(boolean skipTlsVerify) {
            this.skipTlsVerify = skipTlsVerify;
            return this;
        }

        public ClusterSettings build() {
            return new ClusterSettings(name, serverUrl, namespace, credentialsId, tokenFile, kubeconfigFile,
                    caCertificate, skipTlsVerify);
        }
    }
}
