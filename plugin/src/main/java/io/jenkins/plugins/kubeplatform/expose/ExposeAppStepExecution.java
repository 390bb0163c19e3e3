package io.jenkins.plugins.kubeplatform.expose;

import hudson.AbortException;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.kubeplatform.common.JenkinsProgress;
import io.jenkins.plugins.kubeplatform.common.JenkinsStateDirectory;
import io.jenkins.plugins.kubeplatform.common.ResultAction;
import io.jenkins.plugins.kubeplatform.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.core.OperationFailedException;
import io.jenkins.plugins.kubeplatform.kube.ApiRetry;
import io.jenkins.plugins.kubeplatform.kube.ClusterConnection;
import io.jenkins.plugins.kubeplatform.kube.JenkinsClusters;
import io.jenkins.plugins.kubeplatform.kube.KubernetesClients;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;

/** Maps the step to an {@link ExposeRequest}, runs the engine, returns the result map and shows it on the build page. */
final class ExposeAppStepExecution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {

    private static final long serialVersionUID = 1L;

    private final transient ExposeAppStep step;

    ExposeAppStepExecution(ExposeAppStep step, StepContext context) {
        super(context);
        this.step = step;
    }

    @Override
    protected Map<String, Object> run() throws Exception {
        TaskListener listener = getContext().get(TaskListener.class);
        Run<?, ?> run = getContext().get(Run.class);
        ClusterConnection connection = JenkinsClusters.connection(step.getCluster(), run);
        String namespace = step.getNamespace().isBlank() ? connection.namespace() : step.getNamespace();
        ExposeRequest request = new ExposeRequest(namespace, step.getApp(), step.getPort(),
                Optional.ofNullable(step.getTargetPort()), Optional.of(step.getHost()), Optional.of(step.getService()),
                Optional.of(step.getRoute()), Optional.of(step.getOnConflict()), Optional.of(step.getUpstream()),
                step.isVerify(), run.getExternalizableId());
        try (KubernetesClient client = KubernetesClients.create(connection)) {
            ExposeEngine engine = new ExposeEngine(client, DomainSettingsConfiguration.get().toSettings(),
                    DomainRegistry.fileStore(JenkinsStateDirectory.path()), Clock.systemUTC(),
                    JenkinsProgress.of(listener), ApiRetry.defaults());
            ExposeResult result = engine.expose(request);
            List<String> lines = new ArrayList<>();
            lines.add(result.url() + " for " + result.owner());
            lines.add("Service " + result.namespace() + "/" + result.service()
                    + (result.routeName().isEmpty() ? "" : ", " + result.route() + " " + result.routeName()));
            result.verifyStatus().ifPresent(s -> lines.add("verified: HTTP " + s));
            run.addAction(new ResultAction("exposeApp", lines));
            return result.toMap();
        } catch (InvalidInputException | OperationFailedException e) {
            throw new AbortException(e.getMessage());
        } catch (KubernetesClientException e) {
            throw new AbortException("exposeApp: the Kubernetes API refused a request: " + ApiRetry.serverMessage(e)
                    + " (see docs/rbac.yaml, Role kubeplatform-exposeApp)");
        }
    }
}
