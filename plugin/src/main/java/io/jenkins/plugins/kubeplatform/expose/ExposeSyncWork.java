package io.jenkins.plugins.kubeplatform.expose;

import hudson.Extension;
import hudson.model.AsyncPeriodicWork;
import hudson.model.TaskListener;
import io.jenkins.plugins.kubeplatform.common.ApiRetries;
import io.jenkins.plugins.kubeplatform.common.JenkinsProgress;
import io.jenkins.plugins.kubeplatform.common.PluginServices;
import io.jenkins.plugins.kubeplatform.engine.expose.ExposeSync;
import io.jenkins.plugins.kubeplatform.kube.SystemClients;

/**
 * EXP-7 in Jenkins: every few minutes, when enabled in the domain settings, one sync pass keeps host claims, the
 * domain registry under JENKINS_HOME and the nginx blocks in step with labelled Ingresses and HTTPRoutes.
 */
@Extension
public final class ExposeSyncWork extends AsyncPeriodicWork {

    public ExposeSyncWork() {
        super("exposeApp domain sync");
    }

    @Override
    public long getRecurrencePeriod() {
        return 5 * MIN;
    }

    @Override
    protected void execute(TaskListener listener) throws java.io.IOException, InterruptedException {
        DomainSettingsConfiguration config = DomainSettingsConfiguration.get();
        if (!config.isSyncEnabled()) {
            return;
        }
        try (SystemClients.Lease lease = SystemClients.get().lease(config.getSyncCluster())) {
            ExposeSync.Report report = new ExposeSync(lease.client(), config.toSettings(),
                    DomainRegistries.get(), PluginServices.clock(),
                    JenkinsProgress.of(listener), ApiRetries.policy()).runOnce();
            listener.getLogger().println(report.hosts() + " host(s) registered, " + report.changes().size()
                    + " change(s), " + report.conflicts().size() + " conflict(s)");
        }
    }
}
