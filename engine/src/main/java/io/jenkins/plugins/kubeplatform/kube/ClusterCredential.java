package io.jenkins.plugins.kubeplatform.kube;

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

    /** A whole kubeconfig file (from a Jenkins secret file credential or --kubeconfig). */
    record Kubeconfig(String content) implements ClusterCredential {
        @Override
        public String toString() {
            return "Kubeconfig[****]";
        }
    }
}
