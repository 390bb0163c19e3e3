package io.jenkins.plugins.kubeplatform.engine.image;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Build an image from the base image {@code from} plus {@code artifact} (a .jar, a .war or a directory) and push it
 * to {@code to}. Field names are the names users see in errors ({@code artifact}, {@code from}, {@code to}, ...).
 *
 * @param fromCredential credentials for the base image's registry; when empty, the {@code to} credentials are used
 *                       if both images live in the same registry, else anonymous access
 * @param allowInsecure  allow plain HTTP and unverified TLS for both registries (credentials are still never sent
 *                       over plain HTTP)
 * @param entrypoint     empty: {@code java -jar <jar>} for a jar, the base image's entrypoint otherwise
 * @param destination    where the artifact goes in the image; empty: the kind's default (see {@link ArtifactKind})
 * @param cacheDir       where base and application layers are cached between builds; empty: Jib's defaults
 */
public record ImageBuildRequest(
        Path artifact,
        String from,
        String to,
        Optional<RegistryCredential> fromCredential,
        RegistryCredential toCredential,
        boolean allowInsecure,
        List<String> entrypoint,
        List<Integer> ports,
        Map<String, String> environment,
        Map<String, String> labels,
        Optional<String> destination,
        Optional<Path> cacheDir) {

    public ImageBuildRequest {
        Objects.requireNonNull(fromCredential, "fromCredential");
        Objects.requireNonNull(toCredential, "toCredential");
        entrypoint = List.copyOf(entrypoint);
        ports = List.copyOf(ports);
        environment = Map.copyOf(environment);
        labels = Map.copyOf(labels);
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(cacheDir, "cacheDir");
    }

    public static Builder builder(Path artifact, String from, String to) {
        return new Builder(artifact, from, to);
    }

    /** Optional settings with their defaults. */
    public static final class Builder {
        private final Path artifact;
        private final String from;
        private final String to;
        private RegistryCredential fromCredential;
        private RegistryCredential toCredential = RegistryCredential.anonymous();
        private boolean allowInsecure;
        private List<String> entrypoint = List.of();
        private final List<Integer> ports = new ArrayList<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private final Map<String, String> labels = new LinkedHashMap<>();
        private String destination;
        private Path cacheDir;

        private Builder(Path artifact, String from, String to) {
            this.artifact = artifact;
            this.from = from;
            this.to = to;
        }

        public Builder fromCredential(RegistryCredential credential) {
            this.fromCredential = credential;
            return this;
        }

        public Builder toCredential(RegistryCredential credential) {
            this.toCredential = Objects.requireNonNull(credential);
            return this;
        }

        public Builder allowInsecure(boolean allow) {
            this.allowInsecure = allow;
            return this;
        }

        public Builder entrypoint(List<String> command) {
            this.entrypoint = List.copyOf(command);
            return this;
        }

        public Builder port(int port) {
            ports.add(port);
            return this;
        }

        public Builder ports(List<Integer> values) {
            ports.addAll(values);
            return this;
        }

        public Builder environment(String name, String value) {
            environment.put(name, value);
            return this;
        }

        public Builder environment(Map<String, String> values) {
            environment.putAll(values);
            return this;
        }

        public Builder label(String name, String value) {
            labels.put(name, value);
            return this;
        }

        public Builder labels(Map<String, String> values) {
            labels.putAll(values);
            return this;
        }

        public Builder destination(String path) {
            this.destination = path;
            return this;
        }

        public Builder cacheDir(Path dir) {
            this.cacheDir = dir;
            return this;
        }

        public ImageBuildRequest build() {
            return new ImageBuildRequest(artifact, from, to, Optional.ofNullable(fromCredential), toCredential,
                    allowInsecure, entrypoint, ports, environment, labels,
                    Optional.ofNullable(destination).filter(d -> !d.isBlank()), Optional.ofNullable(cacheDir));
        }
    }
}
