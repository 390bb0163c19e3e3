package io.jenkins.plugins.kubeplatform.edgevm;

import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import hudson.model.Run;
import hudson.security.ACL;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.edgevm.EdgeSettings;
import io.jenkins.plugins.kubeplatform.engine.edgevm.JoinTokens;
import java.util.List;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/** Join tokens from secret text credentials named by each edge cluster's {@code tokenCredentialsId}. */
final class JenkinsJoinTokens {

    private JenkinsJoinTokens() {
    }

    /** Looked up in the build's context and tracked on the build. */
    static JoinTokens forBuild(Run<?, ?> run) {
        return cluster -> {
            String id = id(cluster);
            StringCredentials c = CredentialsProvider.findCredentialById(id, StringCredentials.class, run);
            if (c == null) {
                throw missing(cluster, id);
            }
            CredentialsProvider.track(run, c);
            return c.getSecret().getPlainText();
        };
    }

    /** For the periodic state sync, which runs as SYSTEM. */
    static JoinTokens asSystem() {
        return cluster -> {
            String id = id(cluster);
            StringCredentials c = CredentialsMatchers.firstOrNull(
                    CredentialsProvider.lookupCredentialsInItemGroup(StringCredentials.class, Jenkins.get(),
                            ACL.SYSTEM2, List.of()),
                    CredentialsMatchers.withId(id));
            if (c == null) {
                throw missing(cluster, id);
            }
            return c.getSecret().getPlainText();
        };
    }

    private static String id(EdgeSettings.EdgeCluster cluster) {
        String id = cluster.tokenCredentialsId();
        if (id == null || id.isBlank()) {
            throw new InvalidInputException("edge cluster '" + cluster.name() + "' tokenCredentialsId",
                    "is required: the join token comes from a secret text credential");
        }
        return id;
    }

    private static InvalidInputException missing(EdgeSettings.EdgeCluster cluster, String id) {
        return new InvalidInputException("edge cluster '" + cluster.name() + "' tokenCredentialsId",
                "names credential '" + id + "', which does not exist or is not a secret text credential");
    }
}
