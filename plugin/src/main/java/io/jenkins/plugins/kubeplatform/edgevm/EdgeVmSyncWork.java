package io.jenkins.plugins.kubeplatform.edgevm;

import hudson.Extension;
import hudson.model.AsyncPeriodicWork;
import hudson.model.TaskListener;
import io.jenkins.plugins.kubeplatform.common.ApiRetries;
import io.jenkins.plugins.kubeplatform.common.JenkinsProgress;
import io.jenkins.plugins.kubeplatform.common.PluginServices;
import io.jenkins.plugins.kubeplatform.engine.edgevm.EdgeVmEngine;
import java.util.List;

/** EVM-8 in Jenkins: every minute one state-sync pass over the VMs of the inventory (restart, recreate, give up). */
@Extension
public final class EdgeVmSyncWork extends AsyncPeriodicWork {

    public EdgeVmSyncWork() {
        super("provisionEdgeVm state sync");
    }

    @Override
    public long getRecurrencePeriod() {
        return MIN;
    }

    @Override
    protected void execute(TaskListener listener) {
        EdgeVmConfiguration config = EdgeVmConfiguration.get();
        if (!config.isSyncEnabled() || config.getSites().isEmpty()) {
            return;
        }
        try (JenkinsEdgeClients clients = JenkinsEdgeClients.asSystem()) {
            EdgeVmEngine engine = new EdgeVmEngine(config.toSettings(), clients,
                    JenkinsJoinTokens.asSystem(), EdgeVmInventories.get(), PluginServices.clock(),
                    ApiRetries.policy());
            List<String> report = engine.sync(JenkinsProgress.of(listener));
            listener.getLogger().println(report.size() + " edge VM(s) checked");
        }
    }
}
