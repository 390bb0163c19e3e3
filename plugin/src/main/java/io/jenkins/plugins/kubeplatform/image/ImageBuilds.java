package io.jenkins.plugins.kubeplatform.image;

import hudson.AbortException;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.kubeplatform.engine.core.Require;
import io.jenkins.plugins.kubeplatform.engine.image.PushedImage;
import io.jenkins.plugins.kubeplatform.engine.image.RegistryCredential;
import java.io.IOException;
import java.util.Arrays;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * Runs an {@link ImageBuild} for a step: resolves its credentials in the build's context, then builds and pushes on
 * the agent that holds the workspace. Steps deploy the returned {@link PushedImage#reference()} (by digest).
 */
public final class ImageBuilds {

    private ImageBuilds() {
    }

    /**
     * The artifact path, which must stay inside the workspace: relative, without {@code ..} segments. What goes into
     * an image and a registry is what this build produced, not any file of the agent.
     */
    static String workspaceRelative(String artifact) throws AbortException {
        if (artifact == null || artifact.isBlank()) {
            throw new AbortException(Messages.ImageBuild_InvalidInput("artifact: is required"));
        }
        String path = artifact.trim().replace('\\', '/');
        boolean absolute = path.startsWith("/") || path.matches("[A-Za-z]:.*");
        boolean escapes = Arrays.asList(path.split("/")).contains("..");
        if (absolute || escapes) {
            throw new AbortException(Messages.ImageBuild_InvalidInput("artifact: must be a path inside the workspace "
                    + "such as target/app.jar (relative, without '..'); got '" + Require.printable(artifact) + "'"));
        }
        return path;
    }

    /** The credentials {@code build} pushes with, resolved for {@code run} (for the pods' pull secret, SIP-14). */
    public static RegistryCredential pushCredential(ImageBuild build, Run<?, ?> run) throws AbortException {
        return RegistryCredentials.resolve(build.getCredentialsId(), "credentialsId", run);
    }

    public static PushedImage buildAndPush(ImageBuild build, StepContext context)
            throws IOException, InterruptedException {
        Run<?, ?> run = context.get(Run.class);
        TaskListener listener = context.get(TaskListener.class);
        FilePath workspace = context.get(FilePath.class);
        if (workspace == null) {
            throw new AbortException(Messages.ImageBuild_NoWorkspace());
        }
        String artifact = workspaceRelative(build.getArtifact());
        RegistryCredential toCredential = RegistryCredentials.resolve(build.getCredentialsId(), "credentialsId", run);
        RegistryCredential fromCredential = build.getFromCredentialsId().isEmpty()
                ? null
                : RegistryCredentials.resolve(build.getFromCredentialsId(), "fromCredentialsId", run);
        return workspace.child(artifact)
                .act(new ImageBuildOnAgent(build, toCredential, fromCredential, listener));
    }
}
