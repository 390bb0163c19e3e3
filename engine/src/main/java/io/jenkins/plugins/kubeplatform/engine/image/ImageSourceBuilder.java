package io.jenkins.plugins.kubeplatform.engine.image;

import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import java.io.IOException;

/**
 * Builds and pushes the image of an {@link ImageSource.BuildFrom}: the port through which the engine's build-then-
 * deploy runs the build where the caller can (the CLI in its own process, Jenkins on the agent with the workspace).
 */
@FunctionalInterface
public interface ImageSourceBuilder {

    PushedImage buildAndPush(ImageSource.BuildFrom source, Progress progress) throws IOException, InterruptedException;

    /** Builds {@code request} in this process (the CLI). */
    static ImageSourceBuilder inProcess(ImageBuildRequest request) {
        return (source, progress) -> new ImageBuilder().buildAndPush(request, progress);
    }
}
