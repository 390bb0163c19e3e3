package io.jenkins.plugins.kubeplatform.image;

import hudson.AbortException;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.io.IOException;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * Runs an {@link ImageBuild} for a step: resolves its credentials in the build's context, then builds and pushes on
 * the agent that holds the workspace. Steps deploy the returned {@link PushedImage#reference()} (by digest).
 */
public final class ImageBuilds {

    private ImageBuilds() {
    }

    public static PushedImage buildAndPush(ImageBuild build, StepContext context)
            throws IOException, InterruptedException {
        Run<?, ?> run = context.get(Run.class);
        TaskListener listener = context.get(TaskListener.class);
        FilePath workspace = context.get(FilePath.class);
        if (workspace == null) {
            throw new AbortException(Messages.ImageBuild_NoWorkspace());
        }
        if (build.getArtifact() == null || build.getArtifact().isBlank()) {
            throw new AbortException(Messages.ImageBuild_InvalidInput("artifact: is required"));
        }
        RegistryCredential toCredential = RegistryCredentials.resolve(build.getCredentialsId(), "credentialsId", run);
        RegistryCredential fromCredential = build.getFromCredentialsId().isEmpty()
                ? null
                : RegistryCredentials.resolve(build.getFromCredentialsId(), "fromCredentialsId", run);
        return workspace.child(build.getArtifact())
                .act(new ImageBuildOnAgent(build, toCredential, fromCredential, listener));
    }
}
