package io.jenkins.plugins.kubeplatform.stickyip;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.common.ApiRetries;
import io.jenkins.plugins.kubeplatform.common.EngineStepExecution;
import io.jenkins.plugins.kubeplatform.common.FolderAccess;
import io.jenkins.plugins.kubeplatform.common.JenkinsProgress;
import io.jenkins.plugins.kubeplatform.common.ResultAction;
import io.jenkins.plugins.kubeplatform.common.StepHost;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.core.Require;
import io.jenkins.plugins.kubeplatform.engine.image.ImageSource;
import io.jenkins.plugins.kubeplatform.engine.image.PushedImage;
import io.jenkins.plugins.kubeplatform.engine.kube.ClusterConnection;
import io.jenkins.plugins.kubeplatform.engine.stickyip.BuildThenDeploy;
import io.jenkins.plugins.kubeplatform.engine.stickyip.DeployRequest;
import io.jenkins.plugins.kubeplatform.engine.stickyip.DeployResult;
import io.jenkins.plugins.kubeplatform.engine.stickyip.ManifestParser;
import io.jenkins.plugins.kubeplatform.engine.stickyip.RolloutPolicy;
import io.jenkins.plugins.kubeplatform.engine.stickyip.StickyIpDeployer;
import io.jenkins.plugins.kubeplatform.engine.stickyip.WorkloadTemplate;
import io.jenkins.plugins.kubeplatform.image.ImageBuild;
import io.jenkins.plugins.kubeplatform.image.ImageBuilds;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * Maps the step to a {@link DeployRequest} and an {@link ImageSource}, runs the engine's {@link BuildThenDeploy} on
 * the plugin's workers (an image {@code build} runs on the agent with the workspace) and returns the
 * result map. After a restart the deploy runs again: reservations are already in the ledger (written ahead), workloads
 * already created are kept, so only the missing identities are created and awaited. An image built by {@code build}
 * is pushed once; its digest reference is kept so a resumed deploy does not build again.
 */
final class StickyIpDeployExecution extends EngineStepExecution {

    private static final long serialVersionUID = 1L;

    /** Jenkins, or a test's stand-in for it. */
    static volatile StickyIpHost host = StickyIpHost.JENKINS;

    private final String cluster;
    private final String namespace;
    private final String name;
    private final String image;
    private final Integer replicas;
    private final String template;
    private final String manifest;
    private final String maxUnavailable;
    /** Null in an execution persisted before the option existed: on. */
    private final Boolean prePull;
    /** Null in an execution persisted before the option existed: on. */
    private final Boolean inPlaceUpdate;
    private final int port;
    private final String pool;
    private final String timeout;
    private final LinkedHashMap<String, String> env;
    private final ImageBuild build;
    /** The image {@code build} pushed (repository, tag, digest), once it is pushed: a resumed deploy reuses it. */
    private String pushedRepository;
    private String pushedTag;
    private String pushedDigest;

    StickyIpDeployExecution(StickyIpDeployStep step, StepContext context) {
        super(context);
        this.cluster = step.getCluster();
        this.namespace = step.getNamespace();
        this.name = step.getName();
        this.image = step.getImage();
        this.replicas = step.getReplicas();
        this.port = step.getPort();
        this.pool = step.getPool();
        this.timeout = step.getTimeout();
        this.env = new LinkedHashMap<>(step.environment());
        this.build = step.getBuild();
        this.template = step.getTemplate();
        this.manifest = step.getManifest();
        this.maxUnavailable = step.getMaxUnavailable();
        this.prePull = step.isPrePull();
        this.inPlaceUpdate = step.isInPlaceUpdate();
    }

    @Override
    protected String functionName() {
        return "stickyIpDeploy";
    }

    @Override
    protected StepHost host() {
        return host;
    }

    @Override
    protected Object run() throws Exception {
        StickyIpHost h = host;
        FolderAccess.check(h.job(getContext()), PoolConfig.access(pool, h.poolAllowedJobs(pool)));
        ClusterConnection connection = h.connection(cluster, getContext());
        Progress progress = JenkinsProgress.of(listener());
        try (KubernetesClient client = h.client(connection, progress)) {
            java.util.Optional<WorkloadTemplate> workload = template();
            DeployRequest request = new DeployRequest(namespace.isEmpty() ? connection.namespace() : namespace, name,
                    image, DeployRequest.replicas(replicas, workload), port, pool, h.owner(getContext()),
                    Require.duration("timeout", timeout), env, workload, java.util.Optional.empty());
            RolloutPolicy rollout = RolloutPolicy.maxUnavailable(maxUnavailable)
                    .withPrePull(!Boolean.FALSE.equals(prePull)).withInPlace(!Boolean.FALSE.equals(inPlaceUpdate));
            StickyIpDeployer deployer = new StickyIpDeployer(client, h.pools(), h.ledger(), ApiRetries.policy());
            phase("deploying " + request.namespace() + "/" + request.name() + " (" + request.replicas() + " replica(s))");
            DeployResult result = new BuildThenDeploy(deployer).deploy(request, imageSource(request), rollout,
                    this::buildOnAgent, progress);
            h.addAction(getContext(), new ResultAction("stickyIpDeploy " + result.namespace() + "/" + result.name(),
                    lines(result), result.document()));
            return result.toMap();
        }
    }

    /** The user's workload from {@code template} (text) or {@code manifest} (a workspace file), parsed safely. */
    private java.util.Optional<WorkloadTemplate> template() throws IOException, InterruptedException {
        if (!template.isBlank() && !manifest.isEmpty()) {
            throw new InvalidInputException("manifest", "give either template (YAML text) or manifest (a file), not both");
        }
        if (!template.isBlank()) {
            return java.util.Optional.of(ManifestParser.parse("template", template));
        }
        if (manifest.isEmpty()) {
            return java.util.Optional.empty();
        }
        hudson.FilePath workspace = getContext().get(hudson.FilePath.class);
        if (workspace == null) {
            throw new InvalidInputException("manifest", "needs a workspace: call stickyIpDeploy inside node { }, or pass "
                    + "the YAML as template: readFile('" + manifest + "')");
        }
        hudson.FilePath file = workspace.child(manifest);
        if (!file.exists() || file.isDirectory()) {
            throw new InvalidInputException("manifest", "no file " + manifest + " in the workspace");
        }
        return java.util.Optional.of(ManifestParser.parse("manifest", file.readToString()));
    }

    /** The {@code image} parameter (a prebuilt image), or {@code build} (built on the agent, then deployed by digest). */
    private ImageSource imageSource(DeployRequest request) throws IOException, InterruptedException {
        if (build == null) {
            if (image.isEmpty() && request.template().isEmpty()) {
                throw new InvalidInputException("image", "is required: give a prebuilt image such as registry/app:1.0, "
                        + "or build: imageBuild(...) to build and push one first");
            }
            return new ImageSource.Prebuilt(image);
        }
        if (!image.isEmpty()) {
            throw new InvalidInputException("image", "give either image (a prebuilt image) or build, not both");
        }
        return new ImageSource.BuildFrom(build.getArtifact(), build.getTo(), build.getFrom(),
                ImageBuilds.pushCredential(build, getContext().get(hudson.model.Run.class)));
    }

    /** Builds and pushes on the agent that has the workspace, once: a resumed deploy reuses the pushed image. */
    private PushedImage buildOnAgent(ImageSource.BuildFrom source, Progress progress)
            throws IOException, InterruptedException {
        if (pushedDigest == null) {
            phase("building and pushing the image");
            PushedImage pushed = ImageBuilds.buildAndPush(build, getContext());
            pushedRepository = pushed.repository();
            pushedTag = pushed.tag();
            pushedDigest = pushed.digest();
            phase("pushed " + pushed.reference());
        }
        return new PushedImage(pushedRepository, pushedTag, pushedDigest);
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
