package io.jenkins.plugins.kubeplatform.sim.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A minimal base image (linux/amd64, one layer holding {@code /etc/kubeplatform-base}) pushed with the plain registry
 * API, so image-build tests have a base without the internet and without trusting the code under test to make it.
 */
public final class TinyBaseImage {

    /** The path of the single file the base layer holds. */
    public static final String MARKER_FILE = "etc/kubeplatform-base";

    private static final ObjectMapper JSON = new ObjectMapper();

    private TinyBaseImage() {
    }

    /** A pushed image: the reference by tag and by digest, and the digest of its one layer. */
    public record Pushed(String tagReference, String digestReference, String manifestDigest, String layerDigest) {
    }

    /** Pushes the base image to {@code repository:tag} of the registry, without an entrypoint. */
    public static Pushed push(LocalRegistry registry, String repository, String tag) {
        return push(registry, repository, tag, List.of());
    }

    /** Pushes the base image to {@code repository:tag} with the given entrypoint in its configuration (none if empty). */
    public static Pushed push(LocalRegistry registry, String repository, String tag, List<String> entrypoint) {
        RegistryApi api = registry.api();
        byte[] tar = Tarballs.singleFile(MARKER_FILE, "kubeplatform test base image\n".getBytes(StandardCharsets.UTF_8));
        byte[] layer = Tarballs.gzip(tar);
        String layerDigest = api.pushBlob(repository, layer);

        ObjectNode config = JSON.createObjectNode();
        config.put("architecture", "amd64").put("os", "linux").put("created", "1970-01-01T00:00:00Z");
        ObjectNode containerConfig = config.putObject("config");
        containerConfig.putArray("Env").add("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        containerConfig.put("WorkingDir", "/");
        if (!entrypoint.isEmpty()) {
            entrypoint.forEach(containerConfig.putArray("Entrypoint")::add);
        }
        ObjectNode rootfs = config.putObject("rootfs");
        rootfs.put("type", "layers");
        rootfs.putArray("diff_ids").add(RegistryApi.sha256(tar));
        config.putArray("history").addObject().put("created", "1970-01-01T00:00:00Z")
                .put("created_by", "kubeplatform test base image");
        byte[] configBytes = bytes(config);
        String configDigest = api.pushBlob(repository, configBytes);

        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("schemaVersion", 2).put("mediaType", RegistryApi.DOCKER_MANIFEST);
        manifest.putObject("config").put("mediaType", "application/vnd.docker.container.image.v1+json")
                .put("size", configBytes.length).put("digest", configDigest);
        manifest.putArray("layers").addObject().put("mediaType", "application/vnd.docker.image.rootfs.diff.tar.gzip")
                .put("size", layer.length).put("digest", layerDigest);
        String manifestDigest = api.pushManifest(repository, tag, RegistryApi.DOCKER_MANIFEST, bytes(manifest));
        return new Pushed(registry.image(repository, tag), registry.host() + "/" + repository + "@" + manifestDigest,
                manifestDigest, layerDigest);
    }

    /** The file names inside a gzipped layer tarball (as stored in the registry), for checking what was pushed. */
    public static List<String> layerEntries(byte[] gzippedTar) {
        return Tarballs.entryNames(gzippedTar);
    }

    private static byte[] bytes(ObjectNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
