package io.jenkins.plugins.kubeplatform.kube;

import com.cloudbees.plugins.credentials.common.StandardCertificateCredentials;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import hudson.Extension;
import hudson.model.AbstractDescribableImpl;
import hudson.model.Descriptor;
import hudson.security.ACL;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.kubeplatform.common.FolderAccess;
import io.jenkins.plugins.kubeplatform.common.FormChecks;
import io.jenkins.plugins.kubeplatform.engine.config.KubePlatformSchema;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.kube.ClusterConnection;
import io.jenkins.plugins.kubeplatform.engine.kube.ClusterCredential;
import java.util.Optional;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.plaincredentials.FileCredentials;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/** One named Kubernetes cluster connection in the global configuration. Holds a credentials ID, never a secret. */
public class ClusterConnectionConfig extends AbstractDescribableImpl<ClusterConnectionConfig> {

    private final String name;
    private String serverUrl = "";
    private String credentialsId = "";
    private String namespace = KubePlatformSchema.NAMESPACE.defaultText().orElseThrow();
    private String caCertificate = "";
    private boolean skipTlsVerify;
    private String context = "";
    private String tokenFile = "";
    private String kubeconfigFile = "";
    /** Null in configurations saved before it existed: every job. */
    private String allowedJobs = "";

    @DataBoundConstructor
    public ClusterConnectionConfig(String name) {
        this.name = name == null ? "" : name.trim();
    }

    public String getName() {
        return name;
    }

    public String getServerUrl() {
        return serverUrl;
    }

    @DataBoundSetter
    public void setServerUrl(String serverUrl) {
        this.serverUrl = serverUrl == null ? "" : serverUrl.trim();
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    /**
     * A "secret text" credential (bearer token), a "secret file" credential (kubeconfig), a "username with password"
     * credential (basic authentication) or a "certificate" credential (client certificate).
     */
    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = credentialsId == null ? "" : credentialsId.trim();
    }

    public String getNamespace() {
        return namespace;
    }

    @DataBoundSetter
    public void setNamespace(String namespace) {
        this.namespace = namespace == null || namespace.isBlank() ? KubePlatformSchema.NAMESPACE.defaultText().orElseThrow() : namespace.trim();
    }

    public String getCaCertificate() {
        return caCertificate;
    }

    @DataBoundSetter
    public void setCaCertificate(String caCertificate) {
        this.caCertificate = caCertificate == null ? "" : caCertificate.trim();
    }

    public boolean isSkipTlsVerify() {
        return skipTlsVerify;
    }

    @DataBoundSetter
    public void setSkipTlsVerify(boolean skipTlsVerify) {
        this.skipTlsVerify = skipTlsVerify;
    }

    public String getContext() {
        return context == null ? "" : context;
    }

    /** With a kubeconfig credential: the context to use; empty means the kubeconfig's current-context. */
    @DataBoundSetter
    public void setContext(String context) {
        this.context = context == null ? "" : context.trim();
    }

    public String getTokenFile() {
        return tokenFile == null ? "" : tokenFile;
    }

    /**
     * Read by the command line only (a file holding a bearer token); Jenkins never reads files named here and uses
     * {@link #getCredentialsId()}. Accepted so that one configuration file serves Configuration as Code and the CLI.
     */
    @DataBoundSetter
    public void setTokenFile(String tokenFile) {
        this.tokenFile = tokenFile == null ? "" : tokenFile.trim();
    }

    public String getKubeconfigFile() {
        return kubeconfigFile == null ? "" : kubeconfigFile;
    }

    /** Command line only, like {@link #setTokenFile}: a kubeconfig file. Jenkins never reads it. */
    @DataBoundSetter
    public void setKubeconfigFile(String kubeconfigFile) {
        this.kubeconfigFile = kubeconfigFile == null ? "" : kubeconfigFile.trim();
    }

    public String getAllowedJobs() {
        return allowedJobs == null ? "" : allowedJobs;
    }

    /** Folders and jobs that may use this cluster (full names or patterns, one per line); empty: every job. */
    @DataBoundSetter
    public void setAllowedJobs(String allowedJobs) {
        this.allowedJobs = allowedJobs == null ? "" : allowedJobs.trim();
    }

    /** Fails when the job with this full name may not use this cluster; checked before any cluster call. */
    public void checkAllowed(String job) throws hudson.AbortException {
        FolderAccess.check(job, new FolderAccess.Item("cluster", name, getAllowedJobs(),
                "the cluster's Allowed folders and jobs (Manage Jenkins \u203a System \u203a Kubernetes Platform Steps "
                        + "\u203a " + name + ", JCasC kubePlatform.clusters[].allowedJobs)"));
    }

    /** This connection as the engine's configuration record (blank values absent, as in the YAML file). */
    public io.jenkins.plugins.kubeplatform.engine.config.ClusterSettings toSettings() {
        return io.jenkins.plugins.kubeplatform.engine.config.ClusterSettings.builder().name(name).serverUrl(blank(serverUrl))
                .namespace(blank(namespace)).credentialsId(blank(credentialsId)).tokenFile(blank(tokenFile))
                .kubeconfigFile(blank(kubeconfigFile)).caCertificate(blank(caCertificate)).skipTlsVerify(skipTlsVerify)
                .build();
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** Descriptor: form validation and the credentials drop-down. */
    @Extension
    public static class DescriptorImpl extends Descriptor<ClusterConnectionConfig> {

        @Override
        public String getDisplayName() {
            return Messages.ClusterConnectionConfig_DisplayName();
        }

        @POST
        public FormValidation doCheckName(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return value == null || value.isBlank() ? FormValidation.error(Messages.ClusterConnectionConfig_NameRequired())
                    : FormValidation.ok();
        }

        @POST
        public FormValidation doCheckServerUrl(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            if (value == null || value.isBlank()) {
                return FormValidation.ok(Messages.ClusterConnectionConfig_ServerFromKubeconfig());
            }
            try {
                ClusterConnection.anonymous("check", value.trim(), "default");
                return FormValidation.ok();
            } catch (InvalidInputException e) {
                return FormValidation.error(e.rule());
            }
        }

        @POST
        public ListBoxModel doFillCredentialsIdItems(@QueryParameter String credentialsId) {
            Jenkins jenkins = Jenkins.get();
            if (!jenkins.hasPermission(Jenkins.ADMINISTER)) {
                return new StandardListBoxModel().includeCurrentValue(credentialsId);
            }
            return new StandardListBoxModel()
                    .includeEmptyValue()
                    .includeAs(ACL.SYSTEM2, jenkins, StringCredentials.class)
                    .includeAs(ACL.SYSTEM2, jenkins, FileCredentials.class)
                    .includeAs(ACL.SYSTEM2, jenkins, StandardUsernamePasswordCredentials.class)
                    .includeAs(ACL.SYSTEM2, jenkins, StandardCertificateCredentials.class)
                    .includeCurrentValue(credentialsId);
        }

        /** The declared rule of {@code kubePlatform.clusters[].namespace}. */
        @POST
        public FormValidation doCheckNamespace(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return KubePlatformSchema.CLUSTER.check(KubePlatformSchema.NAMESPACE.name(), value)
                    .map(FormValidation::error).orElse(FormValidation.ok());
        }

        @POST
        public FormValidation doCheckAllowedJobs(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return FormChecks.allowedJobs(value, "cluster");
        }

        /** Only global credentials: background work resolves the credential as SYSTEM at the root (see docs/admin.md). */
        @POST
        public FormValidation doCheckCredentialsId(@QueryParameter String value, @QueryParameter String name) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return CredentialScope.problem(value, name, KubePlatformConfiguration.credentials)
                    .map(FormValidation::error).orElse(FormValidation.ok());
        }

        @POST
        public FormValidation doCheckSkipTlsVerify(@QueryParameter boolean value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return value ? FormValidation.warning(Messages.ClusterConnectionConfig_SkipTlsVerifyWarning())
                    : FormValidation.ok();
        }
    }

    /** The engine's view of this connection once the credential is resolved. */
    ClusterConnection toConnection(Optional<ClusterCredential> credential) {
        return new ClusterConnection(name, Optional.of(serverUrl).filter(s -> !s.isBlank()), namespace,
                Optional.of(caCertificate).filter(s -> !s.isBlank()), skipTlsVerify,
                credential.orElse(new ClusterCredential.None()));
    }
}
