package io.jenkins.plugins.kubeplatform.engine.kube;

/** How to authenticate to a cluster. The secret material never appears in {@code toString()}. */
public sealed interface ClusterCredential {

    /** No credential (a local proxy or the simulated cluster). */
    record None() implements ClusterCredential {
    }

    /** A bearer token (a service account token, from a Jenkins secret text credential or a token file). */
    record Token(String token) implements ClusterCredential {
        @Override
        public String toString() {
            return "Token[****]";
        }
    }

    /**
     * A whole kubeconfig file (from a Jenkins secret file credential, an enclosing {@code withKubeConfig} or
     * --kubeconfig), used with {@code context}, or with its current-context when {@code context} is empty.
     */
    record Kubeconfig(String content, String context) implements ClusterCredential {
        public Kubeconfig {
            context = context == null ? "" : context.trim();
        }

        public Kubeconfig(String content) {
            this(content, "");
        }

        @Override
        public String toString() {
            return "Kubeconfig[****" + (context.isEmpty() ? "" : ", context " + context) + "]";
        }
    }

    /** HTTP basic authentication (a Jenkins username with password credential). */
    record Basic(String username, String password) implements ClusterCredential {
        @Override
        public String toString() {
            return "Basic[" + username + ", ****]";
        }
    }

    /** A client certificate and its private key, both PEM (a Jenkins certificate credential). */
    record ClientCertificate(String certificatePem, String privateKeyPem) implements ClusterCredential {
        @Override
        public String toString() {
            return "ClientCertificate[****]";
        }
    }
}
