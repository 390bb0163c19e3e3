package io.jenkins.plugins.kubeplatform.edgevm;

import hudson.model.Run;
import io.jenkins.plugins.kubeplatform.common.StepHost;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.edgevm.ClusterClients;
import io.jenkins.plugins.kubeplatform.engine.edgevm.EdgeSettings;
import io.jenkins.plugins.kubeplatform.engine.edgevm.Inventory;
import io.jenkins.plugins.kubeplatform.engine.edgevm.JoinTokens;
import io.jenkins.plugins.kubeplatform.engine.store.StateStore;
import io.jenkins.plugins.kubeplatform.kube.JenkinsStepHost;
import java.io.IOException;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/** What {@link ProvisionEdgeVmExecution} needs from Jenkins: edge settings, cluster clients, join tokens, state. */
interface EdgeVmHost extends StepHost {

    EdgeSettings settings();

    /** Clients of the configured clusters in the build's context; closed by the caller when they are closeable. */
    /** The build's clients of the edge clusters; the API server's warnings go to {@code log}. */
    ClusterClients clients(StepContext context, Progress log) throws IOException, InterruptedException;

    JoinTokens tokens(StepContext context) throws IOException, InterruptedException;

    /** The tenant quota's Allowed folders and jobs; empty for a tenant without a configured quota. */
    String tenantAllowedJobs(String tenant);

    /** The VM inventory (the controller's one instance, see {@link EdgeVmInventories}). */
    StateStore<Inventory> inventory();

    /** The real Jenkins. */
    EdgeVmHost JENKINS = new Jenkins();

    /** The global edge configuration, the build's credentials and {@code JENKINS_HOME/kubeplatform}. */
    final class Jenkins extends JenkinsStepHost implements EdgeVmHost {
        @Override
        public EdgeSettings settings() {
            return EdgeVmConfiguration.get().toSettings();
        }

        @Override
        public ClusterClients clients(StepContext context, Progress log) {
            return JenkinsEdgeClients.forBuild(context, log);
        }

        @Override
        public JoinTokens tokens(StepContext context) throws IOException, InterruptedException {
            return JenkinsJoinTokens.forBuild(context.get(Run.class));
        }

        @Override
        public String tenantAllowedJobs(String tenant) {
            return EdgeVmConfiguration.get().tenantAllowedJobs(tenant);
        }

        @Override
        public StateStore<Inventory> inventory() {
            return EdgeVmInventories.get();
        }
    }
}
