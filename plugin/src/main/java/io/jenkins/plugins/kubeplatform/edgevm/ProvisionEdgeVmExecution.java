package io.jenkins.plugins.kubeplatform.edgevm;

import hudson.AbortException;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.kubeplatform.common.JenkinsProgress;
import io.jenkins.plugins.kubeplatform.common.JenkinsStateDirectory;
import io.jenkins.plugins.kubeplatform.common.ResultAction;
import io.jenkins.plugins.kubeplatform.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.core.OperationFailedException;
import io.jenkins.plugins.kubeplatform.core.Progress;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;

/** Maps the step to an engine call (create, release or delete), returns the result map and shows it on the build. */
final class ProvisionEdgeVmExecution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {

    private static final long serialVersionUID = 1L;

    private final transient ProvisionEdgeVmStep step;

    ProvisionEdgeVmExecution(ProvisionEdgeVmStep step, StepContext context) {
        super(context);
        this.step = step;
    }

    @Override
    protected Map<String, Object> run() throws Exception {
        TaskListener listener = getContext().get(TaskListener.class);
        Run<?, ?> run = getContext().get(Run.class);
        Progress progress = JenkinsProgress.of(listener);
        String action = step.getAction().toLowerCase(Locale.ROOT);
        try (JenkinsEdgeClients clients = JenkinsEdgeClients.forBuild(run)) {
            EdgeSettings settings = EdgeVmConfiguration.get().toSettings();
            EdgeVmEngine engine = EdgeVmEngine.withFileInventory(settings, clients, JenkinsJoinTokens.forBuild(run),
                    JenkinsStateDirectory.path(), Clock.systemUTC());
            EdgeVmResult result = switch (action) {
                case "create" -> engine.create(EdgeVmRequest.of(step.getName(), step.getTenant(), step.getCpu(),
                        step.getMemory(), step.getDisk(), step.getImage(), step.isExclusive(), step.getLocation(),
                        step.getRegion(), step.getZone(), step.getSite(), step.getCluster()), step.isWaitForJoin(),
                        progress);
                case "release" -> engine.release(step.getTenant(), step.getName(), progress);
                case "delete" -> engine.delete(step.getTenant(), step.getName(), progress);
                default -> throw new InvalidInputException("action", "must be create, release or delete; got '"
                        + step.getAction() + "'");
            };
            run.addAction(new ResultAction("provisionEdgeVm", List.of(
                    result.outcome() + ": edge VM " + result.vm() + " (tenant " + result.tenant() + ") on site "
                            + result.site() + ", edge cluster " + result.edgeCluster(),
                    "node " + (result.node() == null ? "-" : result.node()) + ", address "
                            + (result.address() == null ? "-" : result.address()) + ", state " + result.state())));
            return result.toMap();
        } catch (InvalidInputException | OperationFailedException e) {
            throw new AbortException(e.getMessage());
        }
    }
}
