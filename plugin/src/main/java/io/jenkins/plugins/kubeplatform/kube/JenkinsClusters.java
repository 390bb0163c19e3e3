package io.jenkins.plugins.kubeplatform.kube;

import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import hudson.AbortException;
import hudson.model.Run;
import hudson.security.ACL;
import io.jenkins.plugins.kubeplatform.core.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.plaincredentials.FileCredentials;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/** Resolves a configured cluster and its Jenkins credential into the engine's {@link ClusterConnection}. */
public final class JenkinsClusters {

    private JenkinsClusters() {
    }

    /** For a step: the connection of the build that runs it. */
    public static ClusterConnection connection(String cluster, StepContext context)
            throws IOException, InterruptedException {
        return connection(cluster, context.get(Run.class));
    }

    /** For a step: the credential is looked up in the build's context and tracked on the build. */
    public static ClusterConnection connection(String cluster, Run<?, ?> run) throws AbortException {
        ClusterConnectionConfig config = find(cluster);
        Optional<ClusterCredential> credential = Optional.empty();
        if (!config.getCredentialsId().isEmpty()) {
            StandardCredentials c = CredentialsProvider.findCredentialById(config.getCredentialsId(),
                    StandardCredentials.class, run);
            if (c == null) {
                throw new AbortException(Messages.JenkinsClusters_CredentialNotFound(config.getCredentialsId(),
                        config.getName()));
            }
            CredentialsProvider.track(run, c);
            credential = Optional.of(toCredential(c, config));
        }
        return toConnection(config, credential);
    }

    /** For periodic work and management pages, which run as SYSTEM outside any build. */
    public static ClusterConnection connectionAsSystem(String cluster) throws AbortException {
        ClusterConnectionConfig config = find(cluster);
        Optional<ClusterCredential> credential = Optional.empty();
        if (!config.getCredentialsId().isEmpty()) {
            StandardCredentials c = CredentialsMatchers.firstOrNull(
                    CredentialsProvider.lookupCredentialsInItemGroup(StandardCredentials.class, Jenkins.get(),
                            ACL.SYSTEM2, List.of()),
                    CredentialsMatchers.withId(config.getCredentialsId()));
            if (c == null) {
                throw new AbortException(Messages.JenkinsClusters_CredentialNotFound(config.getCredentialsId(),
                        config.getName()));
            }
            credential = Optional.of(toCredential(c, config));
        }
        return toConnection(config, credential);
    }

    private static ClusterConnectionConfig find(String cluster) throws AbortException {
        KubePlatformConfiguration configuration = KubePlatformConfiguration.get();
        return configuration.find(cluster).orElseThrow(() -> new AbortException(
                cluster == null || cluster.isBlank()
                        ? Messages.JenkinsClusters_NoClusterConfigured()
                        : Messages.JenkinsClusters_UnknownCluster(cluster)));
    }

    private static ClusterConnection toConnection(ClusterConnectionConfig config, Optional<ClusterCredential> credential)
            throws AbortException {
        try {
            return config.toConnection(credential);
        } catch (InvalidInputException e) {
            throw new AbortException(e.getMessage());
        }
    }

    private static ClusterCredential toCredential(StandardCredentials c, ClusterConnectionConfig config)
            throws AbortException {
        if (c instanceof StringCredentials token) {
            return new ClusterCredential.Token(token.getSecret().getPlainText());
        }
        if (c instanceof FileCredentials file) {
            try (InputStream in = file.getContent()) {
                return new ClusterCredential.Kubeconfig(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new AbortException(Messages.JenkinsClusters_KubeconfigUnreadable(config.getCredentialsId(),
                        e.getMessage()));
            }
        }
        throw new AbortException(Messages.JenkinsClusters_WrongCredentialType(config.getCredentialsId(), config.getName()));
    }
}
