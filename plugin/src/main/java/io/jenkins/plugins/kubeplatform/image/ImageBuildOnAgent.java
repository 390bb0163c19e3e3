package io.jenkins.plugins.kubeplatform.image;

import hudson.AbortException;
import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import io.jenkins.plugins.kubeplatform.common.JenkinsProgress;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException;
import io.jenkins.plugins.kubeplatform.engine.image.ImageBuildRequest;
import io.jenkins.plugins.kubeplatform.engine.image.ImageBuilder;
import io.jenkins.plugins.kubeplatform.engine.image.PushedImage;
import io.jenkins.plugins.kubeplatform.engine.image.RegistryCredential;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import jenkins.MasterToSlaveFileCallable;

/**
 * Runs the image build where the workspace is (the agent): the artifact is read there and pushed from there.
 * Carries only strings, numbers and the build log across the channel; credentials were resolved on the controller.
 */
final class ImageBuildOnAgent extends MasterToSlaveFileCallable<PushedImage> {

    private static final long serialVersionUID = 1L;

    private final String from;
    private final String to;
    private final RegistryCredential toCredential;
    private final RegistryCredential fromCredential;
    private final boolean insecure;
    private final ArrayList<String> entrypoint;
    private final ArrayList<Integer> ports;
    private final LinkedHashMap<String, String> environment;
    private final LinkedHashMap<String, String> labels;
    private final String destination;
    private final TaskListener listener;

    ImageBuildOnAgent(ImageBuild build, RegistryCredential toCredential, RegistryCredential fromCredential,
            TaskListener listener) {
        this.from = build.getFrom();
        this.to = build.getTo();
        this.toCredential = toCredential;
        this.fromCredential = fromCredential;
        this.insecure = build.isInsecure();
        this.entrypoint = new ArrayList<>(build.getEntrypoint());
        this.ports = new ArrayList<>(build.getPorts());
        this.environment = strings(build.environment());
        this.labels = strings(build.imageLabels());
        this.destination = build.getDestination();
        this.listener = listener;
    }

    @Override
    public PushedImage invoke(File artifact, VirtualChannel channel) throws IOException, InterruptedException {
        ImageBuildRequest.Builder request = ImageBuildRequest.builder(artifact.toPath(), from, to)
                .toCredential(toCredential)
                .allowInsecure(insecure)
                .entrypoint(entrypoint)
                .ports(ports)
                .environment(environment)
                .labels(labels)
                .destination(destination);
        if (fromCredential != null) {
            request.fromCredential(fromCredential);
        }
        try {
            return new ImageBuilder().buildAndPush(request.build(), JenkinsProgress.of(listener));
        } catch (InvalidInputException e) {
            throw new AbortException(Messages.ImageBuild_InvalidInput(e.getMessage()));
        } catch (OperationFailedException e) {
            throw new AbortException(Messages.ImageBuild_Failed(e.getMessage()));
        }
    }

    /** Pipeline maps may carry GStrings or numbers as values; the image configuration wants strings. */
    static LinkedHashMap<String, String> strings(Map<?, ?> values) {
        LinkedHashMap<String, String> map = new LinkedHashMap<>();
        values.forEach((k, v) -> map.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
        return map;
    }
}
