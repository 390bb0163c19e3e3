package io.jenkins.plugins.kubeplatform.sim.controllers;

import io.fabric8.kubernetes.api.model.ContainerImage;
import io.fabric8.kubernetes.api.model.ContainerImageBuilder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The images each simulated node holds, named as containerd names them, and the list its kubelet reports in
 * {@code node.status.images}.
 *
 * <p>containerd's CRI image service ({@code getRepoDigestAndTag}) names an image pulled by tag with its
 * fully-qualified tag ({@code RepoTags}: {@code docker.io/library/nginx:1.27}) and its repository digest
 * ({@code RepoDigests}: {@code docker.io/library/nginx@sha256:...}); one pulled by digest has only the digest name.
 * References are normalised by distribution/reference {@code ParseDockerRef}: {@code docker.io} for a name without a
 * registry, {@code library/} for a single-component Docker Hub name, {@code :latest} when there is neither tag nor
 * digest, the digest alone when there are both. The simulated registries serve, for a tag, the content whose digest
 * is the SHA-256 of its normalised name, and images of a size derived from that digest (4 MB to 400 MB).
 *
 * <p>The kubelet's node status setter ({@code nodestatus.Images}) reports at most {@link #MAX_IMAGES} images
 * ({@code nodeStatusMaxImages}), largest first (the image manager's cache is sorted by size,
 * {@code sliceutils.ByImageSize}), each with its digests then its tags, at most {@link #MAX_NAMES} names
 * ({@code MaxNamesPerImageInNodeStatus}).
 */
final class NodeImages {

    /** The kubelet's default {@code nodeStatusMaxImages}. */
    static final int MAX_IMAGES = 50;
    /** {@code MaxNamesPerImageInNodeStatus}. */
    static final int MAX_NAMES = 5;
    private static final long MIN_SIZE = 4_000_000L;
    private static final long SIZE_SPREAD = 396_000_000L;

    /** One image in a node's content store: its names and size. */
    private static final class Image {
        final TreeSet<String> repoDigests = new TreeSet<>();
        final TreeSet<String> repoTags = new TreeSet<>();
        final long size;

        Image(long size) {
            this.size = size;
        }
    }

    /** Node → image digest → image. */
    private final Map<String, Map<String, Image>> byNode = new HashMap<>();

    /** Whether {@code reference} names an image on {@code node} (containerd's local resolve). */
    boolean has(String node, String reference) {
        String name = lookupName(reference);
        return byNode.getOrDefault(node, Map.of()).values().stream()
                .anyMatch(i -> i.repoTags.contains(name) || i.repoDigests.contains(name));
    }

    /** Records a finished pull of {@code reference} on {@code node}. */
    void add(String node, String reference) {
        Name n = Name.of(reference);
        String digest = digest(n);
        Image image = byNode.computeIfAbsent(node, x -> new HashMap<>())
                .computeIfAbsent(digest, d -> new Image(size(d)));
        image.repoDigests.add(n.repository() + "@" + digest);
        if (n.digest().isEmpty()) {
            image.repoTags.add(n.lookupName());
        }
    }

    /** Forgets a removed node: a new node of that name starts with no images. */
    void removeNode(String node) {
        byNode.remove(node);
    }

    /** {@code node.status.images} as the node's kubelet writes it. */
    List<ContainerImage> status(String node) {
        List<Image> images = new ArrayList<>(byNode.getOrDefault(node, Map.of()).values());
        images.sort(Comparator.comparingLong((Image i) -> i.size).reversed()
                .thenComparing(i -> i.repoDigests.first()));
        List<ContainerImage> out = new ArrayList<>();
        for (Image image : images.subList(0, Math.min(MAX_IMAGES, images.size()))) {
            List<String> names = new ArrayList<>(image.repoDigests);
            names.addAll(image.repoTags);
            out.add(new ContainerImageBuilder().withNames(names.subList(0, Math.min(MAX_NAMES, names.size())))
                    .withSizeBytes(image.size).build());
        }
        return out;
    }

    /** {@code repository@digest} of the image {@code reference} resolves to: its {@code RepoDigests} entry. */
    static String repoDigest(String reference) {
        Name n = Name.of(reference);
        return n.repository() + "@" + digest(n);
    }

    /** The digest written in the reference, else the one the simulated registry serves for its tag. */
    private static String digest(Name n) {
        return n.digest().orElseGet(() -> "sha256:" + sha256(n.lookupName()));
    }

    /** The name containerd resolves {@code reference} by: {@code repo@digest}, else {@code repo:tag}. */
    static String lookupName(String reference) {
        return Name.of(reference).lookupName();
    }

    private static long size(String digest) {
        String hex = digest.substring(digest.indexOf(':') + 1);
        long seed = hex.length() >= 8 ? Long.parseLong(hex.substring(0, 8), 16) : hex.hashCode() & 0xffffffffL;
        return MIN_SIZE + seed % SIZE_SPREAD;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    /** A reference split and normalised as distribution/reference {@code splitDockerDomain} does. */
    private record Name(String repository, Optional<String> tag, Optional<String> digest) {

        static Name of(String reference) {
            String name = reference == null ? "" : reference;
            Optional<String> digest = Optional.empty();
            int at = name.indexOf('@');
            if (at >= 0) {
                digest = Optional.of(name.substring(at + 1));
                name = name.substring(0, at);
            }
            Optional<String> tag = Optional.empty();
            int colon = name.lastIndexOf(':');
            if (colon > name.lastIndexOf('/')) {
                tag = Optional.of(name.substring(colon + 1));
                name = name.substring(0, colon);
            }
            int slash = name.indexOf('/');
            String first = slash < 0 ? "" : name.substring(0, slash);
            String domain;
            String path;
            if (slash < 0 || (!first.contains(".") && !first.contains(":") && !first.equals("localhost")
                    && first.toLowerCase(Locale.ROOT).equals(first))) {
                domain = "docker.io";
                path = name;
            } else {
                domain = first.equals("index.docker.io") ? "docker.io" : first;
                path = name.substring(slash + 1);
            }
            if (domain.equals("docker.io") && !path.contains("/")) {
                path = "library/" + path;
            }
            return new Name(domain + "/" + path, tag, digest);
        }

        String lookupName() {
            return digest.map(d -> repository + "@" + d).orElseGet(() -> repository + ":" + tag.orElse("latest"));
        }
    }
}
