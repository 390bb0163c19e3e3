package io.jenkins.plugins.kubeplatform.kube;

import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardCertificateCredentials;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.security.ACL;
import io.fabric8.kubernetes.client.Config;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.kube.ClusterConnection;
import io.jenkins.plugins.kubeplatform.engine.kube.ClusterCredential;
import io.jenkins.plugins.kubeplatform.engine.kube.InClusterConnection;
import io.jenkins.plugins.kubeplatform.engine.kube.KubernetesClients;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.plaincredentials.FileCredentials;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * Resolves the cluster a step or background task talks to into the engine's {@link ClusterConnection}, credentials
 * included. A build may use a configured cluster only when its job is in the cluster's Allowed folders and jobs.
 * Credentials are looked up in the build's context, tracked on the build and never written to a log; the configuration
 * accepts only global credentials ({@link CredentialScope}), so background work running as SYSTEM resolves the same
 * credential a build does.
 */
public final class JenkinsClusters {

    /** The variable the kubernetes-cli plugin's {@code withKubeConfig} sets to its kubeconfig file. */
    static final String KUBECONFIG = "KUBECONFIG";

    private JenkinsClusters() {
    }

    /** For a step, in the order of {@link ClusterResolution}. */
    public static ClusterConnection connection(String cluster, StepContext context)
            throws IOException, InterruptedException {
        Run<?, ?> run = context.get(Run.class);
        ClusterConnection connection = ClusterResolution.resolve(cluster, new ClusterResolution.Sources() {
            @Override
            public ClusterConnection named(String name) throws AbortException {
                return fromConfig(find(name), run);
            }

            @Override
            public Optional<ClusterConnection> withKubeConfig() throws IOException, InterruptedException {
                EnvVars env = context.get(EnvVars.class);
                String path = env == null ? null : env.get(KUBECONFIG);
                if (path == null || path.isBlank()) {
                    return Optional.empty();
                }
                return Optional.of(fromKubeconfigFile(path, context.get(FilePath.class)));
            }

            @Override
            public Optional<ClusterConnection> globalDefault() throws AbortException {
                Optional<ClusterConnectionConfig> config = KubePlatformConfiguration.get().findCluster("");
                return config.isPresent() ? Optional.of(fromConfig(config.get(), run)) : Optional.empty();
            }

            @Override
            public Optional<ClusterConnection> inCluster() {
                return InClusterConnection.detect(System.getenv(), InClusterConnection.SERVICE_ACCOUNT);
            }

            @Override
            public String inClusterDescription() {
                return InClusterConnection.describe(InClusterConnection.SERVICE_ACCOUNT);
            }
        });
        if (connection.skipTlsVerify()) {
            TaskListener listener = context.get(TaskListener.class);
            if (listener != null) {
                listener.getLogger().println(Messages.JenkinsClusters_SkipTlsVerifyWarning(connection.name()));
            }
        }
        return connection;
    }

    /** For a build outside Pipeline: a configured cluster (or the default, then in-cluster) in the build's context. */
    public static ClusterConnection connection(String cluster, Run<?, ?> run) throws AbortException {
        if ((cluster == null || cluster.isBlank()) && KubePlatformConfiguration.get().findCluster("").isEmpty()) {
            return InClusterConnection.detect(System.getenv(), InClusterConnection.SERVICE_ACCOUNT)
                    .orElseThrow(() -> new AbortException(Messages.JenkinsClusters_NoClusterConfigured()));
        }
        return fromConfig(find(cluster), run);
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
                throw new AbortException(CredentialScope.message(config.getCredentialsId(), config.getName()));
            }
            credential = Optional.of(toCredential(c, config));
        }
        return toConnection(config, credential);
    }

    private static ClusterConnection fromConfig(ClusterConnectionConfig config, Run<?, ?> run) throws AbortException {
        config.checkAllowed(run.getParent().getFullName());
        Optional<ClusterCredential> credential = Optional.empty();
        if (!config.getCredentialsId().isEmpty()) {
            StandardCredentials c = CredentialsProvider.findCredentialById(config.getCredentialsId(),
                    StandardCredentials.class, run, Collections.emptyList());
            if (c == null) {
                throw new AbortException(Messages.JenkinsClusters_CredentialNotFound(config.getCredentialsId(),
                        config.getName()));
            }
            CredentialsProvider.track(run, c);
            credential = Optional.of(toCredential(c, config));
        }
        return toConnection(config, credential);
    }

    /**
     * The kubeconfig {@code withKubeConfig} wrote, read where the build runs (the agent of the enclosing
     * {@code node}); with a list of files, the first one.
     */
    static ClusterConnection fromKubeconfigFile(String path, FilePath workspace)
            throws IOException, InterruptedException {
        String first = path.split(java.util.regex.Pattern.quote(java.io.File.pathSeparator))[0].trim();
        if (workspace == null) {
            throw new AbortException(Messages.JenkinsClusters_KubeconfigWithoutNode(first));
        }
        String content = workspace.child(first).readToString();
        return fromKubeconfig("withKubeConfig", content, "");
    }

    /** A connection that takes server, CA and user from a kubeconfig, with its context's namespace. */
    static ClusterConnection fromKubeconfig(String name, String content, String context) throws AbortException {
        try {
            ClusterCredential.Kubeconfig kubeconfig = new ClusterCredential.Kubeconfig(content, context);
            KubernetesClients.config(new ClusterConnection(name, Optional.empty(), "default", Optional.empty(), false,
                    kubeconfig));
            Config parsed = kubeconfig.context().isEmpty() ? Config.fromKubeconfig(content)
                    : Config.fromKubeconfig(kubeconfig.context(), content, null);
            String namespace = parsed.getNamespace();
            return new ClusterConnection(name, Optional.empty(), namespace, Optional.empty(), false, kubeconfig);
        } catch (InvalidInputException e) {
            throw new AbortException(e.getMessage());
        } catch (RuntimeException e) {
            throw new AbortException(Messages.JenkinsClusters_KubeconfigUnreadable(name, e.getMessage()));
        }
    }

    private static ClusterConnectionConfig find(String cluster) throws AbortException {
        KubePlatformConfiguration configuration = KubePlatformConfiguration.get();
        return configuration.findCluster(cluster).orElseThrow(() -> new AbortException(
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

    /** The engine's credential for a Jenkins credential of one of the four accepted kinds. */
    static ClusterCredential toCredential(StandardCredentials c, ClusterConnectionConfig config) throws AbortException {
        if (c instanceof StringCredentials token) {
            return new ClusterCredential.Token(token.getSecret().getPlainText());
        }
        if (c instanceof FileCredentials file) {
            try (InputStream in = file.getContent()) {
                return new ClusterCredential.Kubeconfig(new String(in.readAllBytes(), StandardCharsets.UTF_8),
                        config.getContext());
            } catch (IOException e) {
                throw new AbortException(Messages.JenkinsClusters_KubeconfigUnreadable(config.getCredentialsId(),
                        e.getMessage()));
            }
        }
        if (c instanceof StandardUsernamePasswordCredentials user) {
            return new ClusterCredential.Basic(user.getUsername(), user.getPassword().getPlainText());
        }
        if (c instanceof StandardCertificateCredentials certificate) {
            return clientCertificate(certificate, config);
        }
        throw new AbortException(Messages.JenkinsClusters_WrongCredentialType(config.getCredentialsId(), config.getName()));
    }

    /** The first key entry of the credential's key store: its certificate and private key as PEM. */
    private static ClusterCredential clientCertificate(StandardCertificateCredentials c, ClusterConnectionConfig config)
            throws AbortException {
        try {
            KeyStore store = c.getKeyStore();
            char[] password = c.getPassword().getPlainText().toCharArray();
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    Key key = store.getKey(alias, password);
                    Certificate[] chain = store.getCertificateChain(alias);
                    if (key != null && chain != null && chain.length > 0) {
                        return new ClusterCredential.ClientCertificate(pem("CERTIFICATE", chain[0].getEncoded()),
                                pem("PRIVATE KEY", key.getEncoded()));
                    }
                }
            }
        } catch (GeneralSecurityException e) {
            throw new AbortException(Messages.JenkinsClusters_CertificateUnreadable(config.getCredentialsId(),
                    e.getClass().getSimpleName()));
        }
        throw new AbortException(Messages.JenkinsClusters_CertificateUnreadable(config.getCredentialsId(),
                "no key with a certificate in the key store"));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
