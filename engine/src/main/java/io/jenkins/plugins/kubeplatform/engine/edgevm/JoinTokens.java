package io.jenkins.plugins.kubeplatform.engine.edgevm;

/**
 * Port: the join token of an edge cluster (Jenkins: the secret text credential {@code tokenCredentialsId}; CLI: the
 * file {@code tokenFile}). The value goes into the join Secret only and is never logged or returned.
 */
@FunctionalInterface
public interface JoinTokens {

    String token(EdgeSettings.EdgeCluster cluster);

    /** One token for every edge cluster (the simulated cluster accepts any well-formed token). */
    static JoinTokens fixed(String token) {
        return cluster -> token;
    }
}
