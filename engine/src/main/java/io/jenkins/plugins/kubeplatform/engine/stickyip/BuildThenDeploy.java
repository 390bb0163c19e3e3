package io.jenkins.plugins.kubeplatform.engine.stickyip;

import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.image.ImageSource;
import io.jenkins.plugins.kubeplatform.engine.image.ImageSourceBuilder;
import io.jenkins.plugins.kubeplatform.engine.image.PushedImage;
import java.io.IOException;

/**
 * The one orchestration of a sticky deploy from an {@link ImageSource}, for the Pipeline step and the CLI: the
 * deploy's inputs are checked against the image the source will give before anything is built, the image is
 * resolved once (built and pushed through the caller's {@link ImageSourceBuilder} when it must be), and the pods pull
 * it with the credentials it was pushed with (SIP-14). A dry run plans with the source's planned reference and never
 * builds.
 */
public final class BuildThenDeploy {

    private final StickyIpDeployer deployer;

    public BuildThenDeploy(StickyIpDeployer deployer) {
        this.deployer = deployer;
    }

    /** {@code request} with the image the source will give, checked; nothing is built or sent. */
    public static DeployRequest planned(DeployRequest request, ImageSource source) {
        DeployRequest planned = request.withImage(source.plannedReference());
        planned.validate();
        return planned;
    }

    /** {@link StickyIpDeployer#checkPodAdmission}: a server-side dry run of one of the plan's pods. */
    public void checkPodAdmission(DeployPlan plan, io.jenkins.plugins.kubeplatform.engine.core.Progress progress) {
        deployer.checkPodAdmission(plan, progress);
    }

    /** What the deploy would do, decided by the code path of a real deploy on a scratch ledger; builds nothing. */
    public StickyIpDeployer.DryRun dryRun(DeployRequest request, ImageSource source) {
        return deployer.dryRun(planned(request, source));
    }

    /**
     * Checks the request, resolves the image (building and pushing it through {@code builder} for a
     * {@link ImageSource.BuildFrom}), then deploys it.
     */
    public DeployResult deploy(DeployRequest request, ImageSource source, RolloutPolicy rollout,
                               ImageSourceBuilder builder, Progress progress) throws IOException, InterruptedException {
        return deployer.deploy(resolve(request, source, builder, progress), rollout, progress);
    }

    /** The request to deploy: the prebuilt image as given, or the digest reference of the image built now. */
    public static DeployRequest resolve(DeployRequest request, ImageSource source, ImageSourceBuilder builder,
                                        Progress progress) throws IOException, InterruptedException {
        planned(request, source);
        if (source instanceof ImageSource.Prebuilt prebuilt) {
            return request.withImage(prebuilt.reference());
        }
        ImageSource.BuildFrom build = (ImageSource.BuildFrom) source;
        // everything the deploy needs was checked above: only now is anything pushed
        progress.step("image: " + build.describe());
        PushedImage pushed = builder.buildAndPush(build, progress);
        DeployRequest built = request.withImage(pushed.reference());
        return PullCredentials.forPush(pushed.repository(), build.pushCredential())
                .map(built::withPullCredentials).orElse(built);
    }
}
