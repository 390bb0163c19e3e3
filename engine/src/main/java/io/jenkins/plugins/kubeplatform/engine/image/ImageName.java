package io.jenkins.plugins.kubeplatform.engine.image;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A container image reference normalised the way containerd names the images it holds (and a kubelet reports them in
 * {@code node.status.images}): distribution/reference {@code ParseDockerRef}. A name without a registry is on
 * {@code docker.io}, a single-component Docker Hub name is under {@code library/}, {@code index.docker.io} is
 * {@code docker.io}, a reference without tag or digest is {@code :latest}, and one with both a tag and a digest is
 * looked up by its digest alone.
 *
 * @param domain the registry host (with its port, if any)
 * @param path   the repository path in that registry
 * @param tag    the tag as written (empty when none was given)
 * @param digest the digest as written ({@code algorithm:hex}; empty when none was given)
 */
public record ImageName(String domain, String path, Optional<String> tag, Optional<String> digest) {

    private static final String DOCKER_HUB = "docker.io";
    private static final String LEGACY_DOCKER_HUB = "index.docker.io";
    private static final int NAME_TOTAL_LENGTH_MAX = 255;
    private static final Pattern IDENTIFIER = Pattern.compile("[a-f0-9]{64}");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern DOMAIN = Pattern.compile(
            "(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*"
                    + "[a-zA-Z0-9]))*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?");
    /** go-digest: the algorithms containerd registers and the length of their lowercase hex encoding. */
    private static final Map<String, Integer> DIGEST_HEX_LENGTH = Map.of("sha256", 64, "sha384", 96, "sha512", 128);

    /** The reference {@code text} normalised; empty when containerd would refuse it (the kubelet: InvalidImageName). */
    public static Optional<ImageName> parse(String text) {
        if (text == null || text.isEmpty() || IDENTIFIER.matcher(text).matches()) {
            return Optional.empty();
        }
        String name = text;
        Optional<String> digest = Optional.empty();
        int at = name.indexOf('@');
        if (at >= 0) {
            digest = Optional.of(name.substring(at + 1)).filter(ImageName::validDigest);
            if (digest.isEmpty()) {
                return Optional.empty();
            }
            name = name.substring(0, at);
        }
        Optional<String> tag = Optional.empty();
        int colon = name.lastIndexOf(':');
        if (colon > name.lastIndexOf('/')) {
            tag = Optional.of(name.substring(colon + 1)).filter(t -> TAG.matcher(t).matches());
            if (tag.isEmpty()) {
                return Optional.empty();
            }
            name = name.substring(0, colon);
        }
        int slash = name.indexOf('/');
        String first = slash < 0 ? "" : name.substring(0, slash);
        String domain;
        String path;
        if (slash < 0 || (!first.contains(".") && !first.contains(":") && !first.equals("localhost")
                && first.toLowerCase(java.util.Locale.ROOT).equals(first))) {
            domain = DOCKER_HUB;
            path = name;
        } else {
            domain = first.equals(LEGACY_DOCKER_HUB) ? DOCKER_HUB : first;
            path = name.substring(slash + 1);
        }
        if (domain.equals(DOCKER_HUB) && !path.contains("/")) {
            path = "library/" + path;
        }
        if (!DOMAIN.matcher(domain).matches() || !validPath(path)
                || domain.length() + 1 + path.length() > NAME_TOTAL_LENGTH_MAX) {
            return Optional.empty();
        }
        return Optional.of(new ImageName(domain, path, tag, digest));
    }

    private static boolean validDigest(String digest) {
        int colon = digest.indexOf(':');
        if (colon < 0) {
            return false;
        }
        Integer length = DIGEST_HEX_LENGTH.get(digest.substring(0, colon));
        String hex = digest.substring(colon + 1);
        return length != null && hex.length() == length && hex.chars().allMatch(c -> (c >= '0' && c <= '9')
                || (c >= 'a' && c <= 'f'));
    }

    private static boolean validPath(String path) {
        for (String component : path.split("/", -1)) {
            if (!PATH_COMPONENT.matcher(component).matches()) {
                return false;
            }
        }
        return true;
    }

    /** {@code domain/path}: the repository, as in containerd's {@code RepoDigests} before the {@code @}. */
    public String repository() {
        return domain + "/" + path;
    }

    /**
     * The name containerd finds the image by: {@code repository@digest} when there is a digest (a {@code RepoDigests}
     * entry), else {@code repository:tag} with {@code latest} for a missing tag (a {@code RepoTags} entry).
     */
    public String lookupName() {
        return digest.map(d -> repository() + "@" + d).orElseGet(() -> repository() + ":" + tag.orElse("latest"));
    }

    /**
     * The {@code imagePullPolicy} the API server gives a container that sets none (SetDefaults_Container):
     * {@code Always} when the tag is {@code latest} or there is neither tag nor digest, else {@code IfNotPresent}.
     */
    public String defaultPullPolicy() {
        boolean latest = tag.map("latest"::equals).orElse(digest.isEmpty());
        return latest ? "Always" : "IfNotPresent";
    }
}
