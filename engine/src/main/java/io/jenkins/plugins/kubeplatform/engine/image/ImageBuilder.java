package io.jenkins.plugins.kubeplatform.engine.image;

import com.google.cloud.tools.jib.api.CacheDirectoryCreationException;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InsecureRegistryException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.Ports;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.RegistryUnauthorizedException;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.registry.RegistryCredentialsNotSentException;
import io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLException;

/**
 * Builds an image from a base image plus a built artifact and pushes it to a registry, without a Docker daemon
 * (Jib core). Layers are reproducible (fixed timestamps), so pushing an unchanged artifact again yields the same
 * digest and uploads no layer.
 */
public final class ImageBuilder {

    private static final String TOOL_NAME = "kubernetes-platform-steps";
    private static final String DOCKER_HUB = "registry-1.docker.io";

    private final RegistryProbe probe = new RegistryProbe();

    /** Checks the request (nothing is contacted before it passes), builds, pushes, and returns the pushed digest. */
    public PushedImage buildAndPush(ImageBuildRequest request, Progress progress) {
        ImageBuildPlan plan = ImageBuildPlan.of(request);
        progress.plan(plan.describe());
        if (!plan.from().isScratch()) {
            probe.check(plan.from().getRegistry(), plan.from().toString(), request.allowInsecure());
        }
        if (plan.from().isScratch() || !plan.from().getRegistry().equals(plan.to().getRegistry())) {
            probe.check(plan.to().getRegistry(), plan.to().toString(), request.allowInsecure());
        }
        JibContainer container;
        try {
            container = builder(plan).containerize(containerizer(plan, progress));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationFailedException("the image build of " + plan.to() + " was interrupted", e);
        } catch (RegistryException | IOException | CacheDirectoryCreationException | ExecutionException e) {
            throw failure(plan, e);
        }
        PushedImage pushed = new PushedImage(repository(plan.to()), plan.to().getTag().orElse("latest"),
                container.getDigest().toString());
        progress.step("pushed " + pushed.taggedReference() + " as " + pushed.reference()
                + (container.isImagePushed() ? "" : " (the registry already had this image)"));
        return pushed;
    }

    /** The repository part of a reference as Kubernetes pulls it ({@code docker.io/library/x} for Docker Hub). */
    static String repository(ImageReference reference) {
        String registry = DOCKER_HUB.equals(reference.getRegistry()) ? "docker.io" : reference.getRegistry();
        return registry + "/" + reference.getRepository();
    }

    private static JibContainerBuilder builder(ImageBuildPlan plan) throws IOException {
        JibContainerBuilder builder = plan.from().isScratch()
                ? Jib.fromScratch()
                : Jib.from(withCredential(RegistryImage.named(plan.from()), plan.fromCredential()));
        FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName("application");
        AbsoluteUnixPath destination = AbsoluteUnixPath.get(plan.destination());
        if (plan.kind() == ArtifactKind.DIRECTORY) {
            layer.addEntryRecursive(plan.artifact(), destination);
        } else {
            layer.addEntry(plan.artifact(), destination);
        }
        builder.addFileEntriesLayer(layer.build());
        if (!plan.entrypoint().isEmpty()) {
            builder.setEntrypoint(plan.entrypoint());
        }
        if (!plan.request().ports().isEmpty()) {
            builder.setExposedPorts(Ports.parse(plan.request().ports().stream().map(String::valueOf).toList()));
        }
        plan.environment().forEach(builder::addEnvironmentVariable);
        plan.request().labels().forEach(builder::addLabel);
        return builder;
    }

    private static Containerizer containerizer(ImageBuildPlan plan, Progress progress) {
        Containerizer containerizer = Containerizer.to(withCredential(RegistryImage.named(plan.to()),
                        plan.toCredential()))
                .setAllowInsecureRegistries(plan.request().allowInsecure())
                .setToolName(TOOL_NAME)
                .addEventHandler(LogEvent.class, event -> report(event, progress));
        plan.cacheDir().ifPresent(dir -> containerizer
                .setBaseImageLayersCache(dir.resolve("base"))
                .setApplicationLayersCache(dir.resolve("application")));
        return containerizer;
    }

    private static RegistryImage withCredential(RegistryImage image, RegistryCredential credential) {
        if (credential instanceof RegistryCredential.UsernamePassword up) {
            image.addCredential(up.username(), up.password());
        }
        return image;
    }

    private static void report(LogEvent event, Progress progress) {
        if (event.getMessage() == null || event.getMessage().isBlank()) {
            return;
        }
        switch (event.getLevel()) {
            case LIFECYCLE -> progress.step(event.getMessage());
            case WARN, ERROR -> progress.warn(event.getMessage());
            default -> {
                // progress bars, info and debug lines would flood a build log
            }
        }
    }

    /** Turns what Jib throws into a sentence that names the image, what went wrong and what to do. */
    private static OperationFailedException failure(ImageBuildPlan plan, Exception e) {
        String nothing = "; nothing was pushed";
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RegistryUnauthorizedException unauthorized) {
                boolean base = isBase(plan, unauthorized.getImageReference());
                String image = base ? plan.from().toString() : plan.to().toString();
                RegistryCredential credential = base ? plan.fromCredential() : plan.toCredential();
                return new OperationFailedException("the registry refused access to " + image + " "
                        + credential.describe() + " (unauthorized): "
                        + (credential instanceof RegistryCredential.Anonymous
                                ? "it needs credentials" : "check the username and password or token")
                        + (base ? " for the base image" : " for pushing") + nothing, e);
            }
            if (t instanceof RegistryCredentialsNotSentException) {
                return new OperationFailedException("a registry asked for credentials over plain HTTP, which are "
                        + "never sent unencrypted: serve the registry over HTTPS" + nothing, e);
            }
            if (t instanceof InsecureRegistryException) {
                return new OperationFailedException("a registry for " + plan.to() + " or " + plan.from()
                        + " offers no verified HTTPS (plain HTTP or an untrusted certificate): trust its certificate, "
                        + "or allow insecure registries (insecure: true / --insecure) if you trust the network"
                        + nothing, e);
            }
            if (t instanceof UnknownHostException || t instanceof ConnectException) {
                return new OperationFailedException("cannot reach the registry (" + t.getMessage() + ") for "
                        + plan.to() + " or " + plan.from() + nothing, e);
            }
            if (t instanceof SSLException) {
                return new OperationFailedException("TLS with the registry failed (" + t.getMessage()
                        + "): trust its certificate, or allow insecure registries if you trust the network"
                        + nothing, e);
            }
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (message.contains("manifest unknown") || message.contains("MANIFEST_UNKNOWN")) {
            return new OperationFailedException("cannot read the base image " + plan.from()
                    + ": the registry does not have it (check the name and tag)" + nothing, e);
        }
        return new OperationFailedException("building or pushing " + plan.to() + " from " + plan.from()
                + " failed: " + message + nothing, e);
    }

    private static boolean isBase(ImageBuildPlan plan, String imageReference) {
        if (imageReference == null) {
            return false;
        }
        String base = plan.from().getRegistry() + "/" + plan.from().getRepository();
        String target = plan.to().getRegistry() + "/" + plan.to().getRepository();
        return imageReference.startsWith(base) && !imageReference.startsWith(target);
    }

}
