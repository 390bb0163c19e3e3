package io.jenkins.plugins.kubeplatform.expose;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.AbstractProject;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.tasks.BuildStepDescriptor;
import hudson.tasks.Builder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.kubeplatform.common.BuildFailures;
import io.jenkins.plugins.kubeplatform.common.FolderAccess;
import io.jenkins.plugins.kubeplatform.common.JenkinsProgress;
import io.jenkins.plugins.kubeplatform.common.ResultAction;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.expose.DomainRegistry;
import io.jenkins.plugins.kubeplatform.engine.expose.ExposeSettings;
import io.jenkins.plugins.kubeplatform.engine.kube.ApiRetry;
import io.jenkins.plugins.kubeplatform.engine.kube.ClusterConnection;
import io.jenkins.plugins.kubeplatform.engine.kube.KubernetesClients;
import io.jenkins.plugins.kubeplatform.engine.kube.ServerWarnings;
import io.jenkins.plugins.kubeplatform.engine.store.StateStore;
import io.jenkins.plugins.kubeplatform.kube.JenkinsClusters;
import java.io.IOException;
import jenkins.tasks.SimpleBuildStep;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;

/**
 * Freestyle build step "Expose an app": the settings and help of the {@code exposeApp} step, run by the same engine;
 * the URL is shown on the build page and in its {@code api/json}. In Pipeline use the step.
 */
public class ExposeAppBuilder extends Builder implements SimpleBuildStep {

    private final ExposeAppStep expose;

    @DataBoundConstructor
    public ExposeAppBuilder(ExposeAppStep expose) {
        this.expose = expose;
    }

    public ExposeAppStep getExpose() {
        return expose;
    }

    @Override
    public void perform(Run<?, ?> run, FilePath workspace, EnvVars env, Launcher launcher, TaskListener listener)
            throws InterruptedException, IOException {
        DomainSettingsConfiguration domains = DomainSettingsConfiguration.get();
        checkAccess(run.getParent().getFullName(), domains.getSuffix(), domains.getSuffixAllowedJobs());
        ClusterConnection connection = JenkinsClusters.connection(expose.getCluster(), run);
        Progress progress = JenkinsProgress.of(listener);
        try (KubernetesClient client = KubernetesClients.create(connection, new ServerWarnings(progress))) {
            run.addAction(exposeWith(client, connection.namespace(), run.getExternalizableId(),
                    DomainSettingsConfiguration.get().toSettings(), DomainRegistries.get(), progress));
        } catch (InvalidInputException | OperationFailedException e) {
            throw BuildFailures.forBuilder("exposeApp", run, e);
        } catch (KubernetesClientException e) {
            throw new AbortException("exposeApp: the Kubernetes API refused a request: " + ApiRetry.serverMessage(e)
                    + " (see docs/rbac.yaml, Role kubeplatform-exposeApp)");
        }
    }

    /** Fails the build before any cluster call when the job may not claim hosts under the suffix. */
    void checkAccess(String job, String suffix, String suffixAllowedJobs) throws AbortException {
        FolderAccess.check(job, DomainSettingsConfiguration.suffixAccess(suffix, suffixAllowedJobs));
    }

    /** Runs the expose and returns the build's result action. */
    ResultAction exposeWith(KubernetesClient client, String defaultNamespace, String owner, ExposeSettings settings,
            StateStore<DomainRegistry> registry, Progress progress) {
        return ExposeApps.resultAction(ExposeApps.expose(expose, client, defaultNamespace, owner, settings, registry,
                progress));
    }

    /** Offered in every job type's build steps. */
    @Extension
    @Symbol("exposeAppBuilder")
    public static final class DescriptorImpl extends BuildStepDescriptor<Builder> {

        @Override
        @SuppressWarnings("rawtypes")
        public boolean isApplicable(Class<? extends AbstractProject> jobType) {
            return true;
        }

        @Override
        public String getDisplayName() {
            return Messages.ExposeAppBuilder_DisplayName();
        }
    }
}
