package io.jenkins.plugins.kubeplatform.stickyip;

import hudson.AbortException;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.common.JenkinsProgress;
import io.jenkins.plugins.kubeplatform.common.ResultAction;
import io.jenkins.plugins.kubeplatform.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.core.OperationFailedException;
import io.jenkins.plugins.kubeplatform.core.Require;
import io.jenkins.plugins.kubeplatform.image.ImageBuilds;
import io.jenkins.plugins.kubeplatform.image.PushedImage;
import io.jenkins.plugins.kubeplatform.kube.ApiRetry;
import io.jenkins.plugins.kubeplatform.kube.ClusterConnection;
import io.jenkins.plugins.kubeplatform.kube.JenkinsClusters;
import io.jenkins.plugins.kubeplatform.kube.KubernetesClients;
import io.jenkins.plugins.kubeplatform.store.StoreException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;

/** Maps the step to a {@link DeployRequest}, runs {@link StickyIpDeployer}, and returns the result map. */
final class StickyIpDeployExecution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {

    private static final long serialVersionUID = 1L;

    /** Stands in for the image while the other inputs are checked, before the build. */
    private static final String IMAGE_BUILT_NEXT = "image-built-next";

    private final transient StickyIpDeployStep step;

    StickyIpDeployExecution(StickyIpDeployStep step, StepContext context) {
        super(context);
        this.step = step;
    }

    @Override
    protected Map<String, Object> run() throws Exception {
        Run<?, ?> run = getContext().get(Run.class);
        TaskListener listener = getContext().get(TaskListener.class);
        ClusterConnection connection = JenkinsClusters.connection(step.getCluster(), run);
        try (KubernetesClient client = KubernetesClients.create(connection)) {
            java.util.Optional<WorkloadTemplate> template = template();
            DeployRequest request = new DeployRequest(
                    step.getNamespace().isEmpty() ? connection.namespace() : step.getNamespace(), step.getName(),
                    step.getImage(), DeployRequest.replicas(step.getReplicas(), template), step.getPort(),
                    step.getPool(), run.getExternalizableId(), Require.duration("timeout", step.getTimeout()),
                    step.getEnv(), template, java.util.Optional.empty());
            RolloutPolicy rollout = RolloutPolicy.maxUnavailable(step.getMaxUnavailable());
            StickyIpDeployer deployer = new StickyIpDeployer(client, StickyIpConfiguration.get().validatedPools(),
                    StickyIpLedgers.get(), ApiRetry.defaults());
            request = withImage(request);
            DeployResult result = deployer.deploy(request, rollout, JenkinsProgress.of(listener));
            run.addAction(new ResultAction("stickyIpDeploy " + result.namespace() + "/" + result.name(), lines(result)));
            return result.toMap();
        } catch (InvalidInputException e) {
            throw new AbortException(Messages.StickyIpDeployStep_InvalidInput(e.getMessage()));
        } catch (OperationFailedException | StoreException e) {
            throw new AbortException(e.getMessage());
        }
    }

    /** The user's workload from {@code template} (text) or {@code manifest} (a workspace file), parsed safely. */
    private java.util.Optional<WorkloadTemplate> template() throws IOException, InterruptedException {
        if (!step.getTemplate().isBlank() && !step.getManifest().isEmpty()) {
            throw new InvalidInputException("manifest", "give either template (YAML text) or manifest (a file), not both");
        }
        if (!step.getTemplate().isBlank()) {
            return java.util.Optional.of(ManifestParser.parse("template", step.getTemplate()));
        }
        if (step.getManifest().isEmpty()) {
            return java.util.Optional.empty();
        }
        hudson.FilePath workspace = getContext().get(hudson.FilePath.class);
        if (workspace == null) {
            throw new InvalidInputException("manifest", "needs a workspace: call stickyIpDeploy inside node { }, or pass "
                    + "the YAML as template: readFile('" + step.getManifest() + "')");
        }
        hudson.FilePath file = workspace.child(step.getManifest());
        if (!file.exists() || file.isDirectory()) {
            throw new InvalidInputException("manifest", "no file " + step.getManifest() + " in the workspace");
        }
        return java.util.Optional.of(ManifestParser.parse("manifest", file.readToString()));
    }

    /**
     * The image to deploy: the {@code image} parameter (a prebuilt image), or the digest reference of the image that
     * {@code build} builds and pushes now. The deploy's own inputs are checked before anything is pushed.
     */
    private DeployRequest withImage(DeployRequest request) throws IOException, InterruptedException {
        if (step.getBuild() == null) {
            if (step.getImage().isEmpty() && request.template().isEmpty()) {
                throw new InvalidInputException("image", "is required: give a prebuilt image such as registry/app:1.0, "
                        + "or build: imageBuild(...) to build and push one first");
            }
            return request;
        }
        if (!step.getImage().isEmpty()) {
            throw new InvalidInputException("image", "give either image (a prebuilt image) or build, not both");
        }
        request.withImage(IMAGE_BUILT_NEXT).validate();
        PushedImage pushed = ImageBuilds.buildAndPush(step.getBuild(), getContext());
        DeployRequest built = request.withImage(pushed.reference());
        // the pods pull what was pushed with the same credentials (SIP-14)
        return PullCredentials.forPush(pushed.repository(),
                ImageBuilds.pushCredential(step.getBuild(), getContext().get(Run.class)))
                .map(built::withPullCredentials).orElse(built);
    }

    private static List<String> lines(DeployResult result) {
        List<String> lines = new ArrayList<>();
        lines.add("service " + result.service() + ", image " + result.image()
                + result.imageDigest().map(d -> " (" + d + ")").orElse(""));
        for (DeployResult.IdentityResult r : result.identities()) {
            lines.add(r.identity() + ": " + r.ip() + " on " + r.node());
        }
        result.removed().forEach(r -> lines.add(r + ": removed"));
        return lines;
    }
}
