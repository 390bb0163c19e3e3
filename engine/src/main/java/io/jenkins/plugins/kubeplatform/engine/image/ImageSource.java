package io.jenkins.plugins.kubeplatform.engine.image;

import java.util.Objects;

/** Where the image of a deploy comes from: an image already in a registry, or one built from an artifact first. */
public sealed interface ImageSource {

    /** The reference a plan shows before anything is built: the prebuilt image, or the tag the build pushes to. */
    String plannedReference();

    /** One line for plans and logs, e.g. {@code built from target/app.jar, pushed to registry/app:1}. */
    String describe();

    /**
     * An image already in a registry (a digest reference pins one exact image). A blank reference keeps the images
     * of the user's workload template.
     */
    record Prebuilt(String reference) implements ImageSource {

        public Prebuilt {
            reference = reference == null ? "" : reference.trim();
        }

        @Override
        public String plannedReference() {
            return reference;
        }

        @Override
        public String describe() {
            return reference.isEmpty() ? "the template's own images" : reference;
        }
    }

    /**
     * Build from {@code artifact} (a .jar, a .war or a directory) on top of {@code base}, push to {@code target},
     * then deploy the pushed image by digest; the pods pull it with {@code pushCredential} (SIP-14). Where and how
     * the build runs is the caller's {@link ImageSourceBuilder} (the CLI in its own process, Jenkins on the agent that
     * has the workspace).
     */
    record BuildFrom(String artifact, String target, String base, RegistryCredential pushCredential)
            implements ImageSource {

        public BuildFrom {
            Objects.requireNonNull(artifact, "artifact");
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(base, "base");
            Objects.requireNonNull(pushCredential, "pushCredential");
        }

        /** The source of a build the caller runs in its own process. */
        public static BuildFrom of(ImageBuildRequest request) {
            return new BuildFrom(String.valueOf(request.artifact()), request.to(), request.from(),
                    request.toCredential());
        }

        @Override
        public String plannedReference() {
            return target;
        }

        @Override
        public String describe() {
            return "built from " + artifact + " on " + base + ", pushed to " + target;
        }
    }
}
