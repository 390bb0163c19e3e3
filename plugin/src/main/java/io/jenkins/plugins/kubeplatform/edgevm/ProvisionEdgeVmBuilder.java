package io.jenkins.plugins.kubeplatform.edgevm;

import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.AbstractProject;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.tasks.BuildStepDescriptor;
import hudson.tasks.Builder;
import io.jenkins.plugins.kubeplatform.common.ApiRetries;
import io.jenkins.plugins.kubeplatform.common.BuildFailures;
import io.jenkins.plugins.kubeplatform.common.FolderAccess;
import io.jenkins.plugins.kubeplatform.common.JenkinsProgress;
import io.jenkins.plugins.kubeplatform.common.PluginServices;
import io.jenkins.plugins.kubeplatform.common.ResultAction;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.edgevm.EdgeVmEngine;
import java.io.IOException;
import jenkins.tasks.SimpleBuildStep;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;

/**
 * Freestyle build step "Provision an edge VM": the settings and help of the {@code provisionEdgeVm} step, run by the
 * same engine; the VM, site, node and address are shown on the build page and in its {@code api/json}.
 */
public class ProvisionEdgeVmBuilder extends Builder implements SimpleBuildStep {

    private final ProvisionEdgeVmStep vm;

    @DataBoundConstructor
    public ProvisionEdgeVmBuilder(ProvisionEdgeVmStep vm) {
        this.vm = vm;
    }

    public ProvisionEdgeVmStep getVm() {
        return vm;
    }

    @Override
    public void perform(Run<?, ?> run, FilePath workspace, EnvVars env, Launcher launcher, TaskListener listener)
            throws InterruptedException, IOException {
        checkAccess(run.getParent().getFullName(), EdgeVmConfiguration.get().tenantAllowedJobs(vm.getTenant()));
        Progress progress = JenkinsProgress.of(listener);
        try (JenkinsEdgeClients clients = JenkinsEdgeClients.forBuild(run, progress)) {
            EdgeVmEngine engine = new EdgeVmEngine(EdgeVmConfiguration.get().toSettings(), clients,
                    JenkinsJoinTokens.forBuild(run), EdgeVmInventories.get(), PluginServices.clock(),
                    ApiRetries.policy());
            run.addAction(runWith(engine, progress));
        } catch (InvalidInputException | OperationFailedException e) {
            throw BuildFailures.forBuilder("provisionEdgeVm", run, e);
        }
    }

    /** Fails the build before any cluster call when the job may not use the step's tenant. */
    void checkAccess(String job, String tenantAllowedJobs) throws hudson.AbortException {
        FolderAccess.check(job, TenantQuotaConfig.access(vm.getTenant(), tenantAllowedJobs));
    }

    /** Runs the operation and returns the build's result action. */
    ResultAction runWith(EdgeVmEngine engine, Progress progress) {
        return EdgeVms.resultAction(EdgeVms.run(vm, engine, progress), vm.getAction().toLowerCase(java.util.Locale.ROOT));
    }

    /** Offered in every job type's build steps. */
    @Extension
    @Symbol("provisionEdgeVmBuilder")
    public static final class DescriptorImpl extends BuildStepDescriptor<Builder> {

        @Override
        @SuppressWarnings("rawtypes")
        public boolean isApplicable(Class<? extends AbstractProject> jobType) {
            return true;
        }

        @Override
        public String getDisplayName() {
            return Messages.ProvisionEdgeVmBuilder_DisplayName();
        }
    }
}
