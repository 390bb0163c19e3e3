package io.jenkins.plugins.kubeplatform.kube;

import hudson.model.Run;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.common.ResultAction;
import io.jenkins.plugins.kubeplatform.common.StepHost;
import io.jenkins.plugins.kubeplatform.common.StepWorkers;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.kube.ClusterConnection;
import io.jenkins.plugins.kubeplatform.engine.kube.KubernetesClients;
import io.jenkins.plugins.kubeplatform.engine.kube.ServerWarnings;
import java.io.IOException;
import java.util.concurrent.ScheduledExecutorService;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * The parts of a {@link StepHost} every step shares in a real Jenkins: cluster connections come from the configured
 * clusters of this package, so it lives here rather than in {@code common} (which the configuration depends on).
 */
public abstract class JenkinsStepHost implements StepHost {

    @Override
    public ScheduledExecutorService workers() {
        return StepWorkers.get();
    }

    @Override
    public ClusterConnection connection(String cluster, StepContext context) throws IOException, InterruptedException {
        return JenkinsClusters.connection(cluster, context);
    }

    @Override
    public KubernetesClient client(ClusterConnection connection, Progress log) {
        return KubernetesClients.create(connection, new ServerWarnings(log));
    }

    @Override
    public String job(StepContext context) throws IOException, InterruptedException {
        return context.get(Run.class).getParent().getFullName();
    }

    @Override
    public String owner(StepContext context) throws IOException, InterruptedException {
        return context.get(Run.class).getExternalizableId();
    }

    @Override
    public void addAction(StepContext context, ResultAction action) throws IOException, InterruptedException {
        context.get(Run.class).addAction(action);
    }
}
