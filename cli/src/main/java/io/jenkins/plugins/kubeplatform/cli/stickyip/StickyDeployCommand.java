package io.jenkins.plugins.kubeplatform.cli.stickyip;

import io.jenkins.plugins.kubeplatform.cli.CliContext;
import io.jenkins.plugins.kubeplatform.cli.DryRunOption;
import io.jenkins.plugins.kubeplatform.cli.image.ImageBuildOptions;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.core.Require;
import io.jenkins.plugins.kubeplatform.engine.image.ImageBuildRequest;
import io.jenkins.plugins.kubeplatform.engine.image.ImageSource;
import io.jenkins.plugins.kubeplatform.engine.image.ImageSourceBuilder;
import io.jenkins.plugins.kubeplatform.engine.stickyip.BuildThenDeploy;
import io.jenkins.plugins.kubeplatform.engine.stickyip.DeployRequest;
import io.jenkins.plugins.kubeplatform.engine.stickyip.DeployResult;
import io.jenkins.plugins.kubeplatform.engine.stickyip.IpReservationLedger;
import io.jenkins.plugins.kubeplatform.engine.stickyip.ManifestParser;
import io.jenkins.plugins.kubeplatform.engine.stickyip.RolloutPolicy;
import io.jenkins.plugins.kubeplatform.engine.stickyip.StickyIpConfig;
import io.jenkins.plugins.kubeplatform.engine.stickyip.StickyIpDeployer;
import io.jenkins.plugins.kubeplatform.engine.stickyip.WorkloadTemplate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kubeplatform sticky-deploy}: deploy with pinned pod IPs (the {@code stickyIpDeploy} step). */
@Command(name = "sticky-deploy", mixinStandardHelpOptions = true,
        description = "Deploy an app so that every replica keeps its pod IP across restarts, reschedules and redeploys.")
public final class StickyDeployCommand implements Callable<Integer> {

    @Option(names = "--name", required = true, description = "App name: workloads are NAME-0..N-1, the Service is NAME.")
    String name;

    @Option(names = "--image", description = "Image to run (a digest reference pins one exact image); or give the build "
            + "options --artifact, --from and --to to build and push it first and deploy it by digest.")
    String image;

    @Mixin
    ImageBuildOptions build;

    @Mixin
    DryRunOption dryRun;

    @Option(names = "--replicas", description = "Number of replica identities. Default: the manifest's spec.replicas, else 1.")
    Integer replicas;

    @Option(names = "--port", description = "Container port, also the Service port. Required without --manifest; with "
            + "it, the Service gets the template's container ports unless --port is given.")
    int port;

    @Option(names = {"-f", "--manifest"}, paramLabel = "FILE", description = "Your pod template or Deployment manifest "
            + "(YAML, like kubectl apply -f): every identity is rendered from it; --image sets the container named like "
            + "the app (or the only one).")
    java.nio.file.Path manifest;

    @Option(names = "--pool", defaultValue = "default", description = "IP pool from the configuration. Default: ${DEFAULT-VALUE}.")
    String pool;

    @Option(names = "--timeout", defaultValue = "5m", description = "Wait per identity for Running+Ready. Default: ${DEFAULT-VALUE}.")
    String timeout;

    @Option(names = "--env", paramLabel = "KEY=VALUE", description = "Environment variable for the container (repeatable).")
    Map<String, String> env = new LinkedHashMap<>();

    @Option(names = "--max-unavailable", paramLabel = "N|P%", defaultValue = "25%", description = "How many identities "
            + "a redeploy may take down at once (a number or a percentage of the replicas, rounded down, at least 1); "
            + "new identities are all created at once. Default: ${DEFAULT-VALUE}.")
    String maxUnavailable;

    @Option(names = "--no-pre-pull", description = "Replace identities without first pulling a redeploy's new images "
            + "on their nodes (by default one short-lived pod per node pulls them, and a bad image fails the deploy "
            + "before any identity is replaced).")
    boolean noPrePull;

    @Option(names = "--no-in-place", description = "Replace identities whose change is only in container images "
            + "instead of updating their pods in place (by default such a pod keeps its node and address and its "
            + "kubelet restarts the changed containers).")
    boolean noInPlace;

    @Option(names = "--owner", defaultValue = "cli", description = "Recorded in the ledger as the deployer. Default: ${DEFAULT-VALUE}.")
    String owner;

    @Spec
    CommandSpec spec;

    /** The image build to run first, or empty when a prebuilt --image (or the manifest's images) is deployed. */
    private Optional<ImageBuildRequest> buildRequest(CliContext context) {
        if (!build.requested()) {
            if ((image == null || image.isBlank()) && manifest == null) {
                throw new InvalidInputException("--image", "is required: a prebuilt image, or --artifact, --from and "
                        + "--to to build and push one first");
            }
            return Optional.empty();
        }
        if (image != null) {
            throw new InvalidInputException("--image", "give either --image (a prebuilt image) or the build options "
                    + "--artifact, --from and --to, not both");
        }
        return Optional.of(build.toRequest(context));
    }

    private java.util.Optional<WorkloadTemplate> template() {
        if (manifest == null) {
            return java.util.Optional.empty();
        }
        try {
            if (java.nio.file.Files.size(manifest) > ManifestParser.MAX_CHARS * 4L) {
                throw new InvalidInputException("--manifest", manifest + " is larger than " + ManifestParser.MAX_CHARS
                        + " characters");
            }
            return java.util.Optional.of(ManifestParser.parse("manifest",
                    java.nio.file.Files.readString(manifest, java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.io.IOException e) {
            throw new InvalidInputException("--manifest", "cannot read " + manifest + ": " + e.getMessage());
        }
    }

    @Override
    public Integer call() {
        try (CliContext context = CliContext.of(spec)) {
            if (image != null) {
                io.jenkins.plugins.kubeplatform.engine.core.ImageReference.check("--image", image);
            }
            io.jenkins.plugins.kubeplatform.cli.FreeText.check("--owner", owner);
            java.util.Optional<WorkloadTemplate> template = template();
            DeployRequest request = new DeployRequest(context.namespace(), name, image,
                    DeployRequest.replicas(replicas, template), port, pool, owner, Require.duration("--timeout", timeout),
                    env, template, java.util.Optional.empty());
            RolloutPolicy rollout;
            try {
                rollout = RolloutPolicy.maxUnavailable(maxUnavailable).withPrePull(!noPrePull).withInPlace(!noInPlace);
            } catch (InvalidInputException e) {
                throw new InvalidInputException("--max-unavailable", e.rule());
            }
            Optional<ImageBuildRequest> buildRequest = buildRequest(context);
            ImageSource source = buildRequest.<ImageSource>map(ImageSource.BuildFrom::of)
                    .orElseGet(() -> new ImageSource.Prebuilt(image));
            BuildThenDeploy.planned(request, source);
            var pools = StickyIpConfig.pools(context.config());
            StickyIpDeployer deployer = new StickyIpDeployer(context.client(), pools,
                    IpLedgerCommand.ledger(context), context.retry());
            if (dryRun.requested()) {
                return StickyDeployDryRun.run(context, new BuildThenDeploy(deployer), request, source, dryRun.mode(),
                        !noInPlace);
            }
            if (request.replicas() == 0) {
                context.progress().warn("--replicas 0: every workload of " + request.namespace() + "/" + name
                        + " is removed; the Service " + request.namespace() + "/" + name + " is kept, and each address "
                        + "is kept idle in a keep-namespace of pool '" + pool + "', else released (listed below)");
            }
            DeployResult result = deploy(new BuildThenDeploy(deployer), request, source, rollout, buildRequest,
                    context);
            context.result(result.document(), out -> {
                out.println((result.changed() ? "Deployed " : "Unchanged ") + result.namespace() + "/" + result.name()
                        + " (service " + result.service() + ", image " + result.image() + ")");
                io.jenkins.plugins.kubeplatform.cli.Table table = io.jenkins.plugins.kubeplatform.cli.Table.of(
                        "IDENTITY", "IP", "NODE", "POD");
                result.identities().forEach(r -> table.row(r.identity(), r.ip(), r.node(), r.pod()));
                table.print(out, false, !context.noHeaders());
                result.removed().forEach(r -> out.println("removed " + r));
            });
            return 0;
        }
    }

    private static DeployResult deploy(BuildThenDeploy deploy, DeployRequest request, ImageSource source,
                                       RolloutPolicy rollout, Optional<ImageBuildRequest> buildRequest,
                                       CliContext context) {
        ImageSourceBuilder builder = buildRequest.map(ImageSourceBuilder::inProcess)
                .orElse((s, p) -> {
                    throw new IllegalStateException("a prebuilt image is never built");
                });
        try {
            return deploy.deploy(request, source, rollout, builder, context.progress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while deploying " + request.name(), e);
        }
    }
}
