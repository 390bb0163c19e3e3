package io.jenkins.plugins.kubeplatform.common;

import hudson.model.Run;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.kube.ClusterConnection;
import io.jenkins.plugins.kubeplatform.kube.JenkinsClusters;
import io.jenkins.plugins.kubeplatform.kube.KubernetesClients;
import java.io.IOException;
import java.util.concurrent.ScheduledExecutorService;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/** The parts of a {@link StepHost} every step shares in a real Jenkins. */
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
    public KubernetesClient client(ClusterConnection connection) {
        return KubernetesClients.create(connection);
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
