package io.jenkins.plugins.kubeplatform.stickyip;

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
import io.jenkins.plugins.kubeplatform.common.BuildFailures;
import io.jenkins.plugins.kubeplatform.common.FolderAccess;
import io.jenkins.plugins.kubeplatform.common.JenkinsProgress;
import io.jenkins.plugins.kubeplatform.common.ResultAction;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.kube.ClusterConnection;
import io.jenkins.plugins.kubeplatform.engine.kube.KubernetesClients;
import io.jenkins.plugins.kubeplatform.engine.kube.ServerWarnings;
import io.jenkins.plugins.kubeplatform.engine.stickyip.IpPool;
import io.jenkins.plugins.kubeplatform.engine.stickyip.IpReservationLedger;
import io.jenkins.plugins.kubeplatform.engine.store.StoreException;
import io.jenkins.plugins.kubeplatform.kube.JenkinsClusters;
import java.io.IOException;
import java.util.Map;
import jenkins.tasks.SimpleBuildStep;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;

/**
 * Freestyle build step "Deploy with sticky pod IPs": the settings and help of the {@code stickyIpDeploy} step, run by
 * the same engine; the result is shown on the build page and in its {@code api/json}. In Pipeline use the step.
 */
public class StickyIpDeployBuilder extends Builder implements SimpleBuildStep {

    private final StickyIpDeployStep deploy;

    @DataBoundConstructor
    public StickyIpDeployBuilder(StickyIpDeployStep deploy) {
        this.deploy = deploy;
    }

    public StickyIpDeployStep getDeploy() {
        return deploy;
    }

    @Override
    public void perform(Run<?, ?> run, FilePath workspace, EnvVars env, Launcher launcher, TaskListener listener)
            throws InterruptedException, IOException {
        checkAccess(run.getParent().getFullName(), StickyIpConfiguration.get().getPools().stream()
                .filter(p -> p.getName().equals(deploy.getPool())).findFirst().map(PoolConfig::getAllowedJobs).orElse(""));
        ClusterConnection connection = JenkinsClusters.connection(deploy.getCluster(), run);
        Progress progress = JenkinsProgress.of(listener);
        try (KubernetesClient client = KubernetesClients.create(connection, new ServerWarnings(progress))) {
            run.addAction(deployWith(client, connection.namespace(), run.getExternalizableId(),
                    StickyIpConfiguration.get().validatedPools(), StickyIpLedgers.get(), progress));
        } catch (InvalidInputException | OperationFailedException | StoreException e) {
            throw BuildFailures.forBuilder("stickyIpDeploy", run, e);
        }
    }

    /** Fails the build before any cluster call when the job may not use the step's pool. */
    void checkAccess(String job, String poolAllowedJobs) throws AbortException {
        FolderAccess.check(job, PoolConfig.access(deploy.getPool(), poolAllowedJobs));
    }

    /** Runs the deploy and returns the build's result action. */
    ResultAction deployWith(KubernetesClient client, String defaultNamespace, String owner, Map<String, IpPool> pools,
            IpReservationLedger ledger, Progress progress) {
        return StickyIpDeploys.resultAction(StickyIpDeploys.deploy(deploy, client, defaultNamespace, owner, pools,
                ledger, progress));
    }

    /** Offered in every job type's build steps. */
    @Extension
    @Symbol("stickyIpDeployBuilder")
    public static final class DescriptorImpl extends BuildStepDescriptor<Builder> {

        @Override
        @SuppressWarnings("rawtypes")
        public boolean isApplicable(Class<? extends AbstractProject> jobType) {
            return true;
        }

        @Override
        public String getDisplayName() {
            return Messages.StickyIpDeployBuilder_DisplayName();
        }
    }
}
