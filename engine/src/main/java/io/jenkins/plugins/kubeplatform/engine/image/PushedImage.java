package io.jenkins.plugins.kubeplatform.engine.image;

import java.io.Serializable;

/**
 * An image that is in the registry: {@code repository} includes the registry host ({@code registry/path/name}),
 * {@code digest} is the manifest digest ({@code sha256:...}). Deploy {@link #reference()} so every replica runs
 * exactly this image, whatever happens to the tag later.
 */
public record PushedImage(String repository, String tag, String digest) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** {@code repository@sha256:...}: the immutable reference to deploy. */
    public String reference() {
        return repository + "@" + digest;
    }

    /** {@code repository:tag}: the human-friendly (mutable) name. */
    public String taggedReference() {
        return repository + ":" + tag;
    }
}
