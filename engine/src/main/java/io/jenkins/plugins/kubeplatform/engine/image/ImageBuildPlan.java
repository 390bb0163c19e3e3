package io.jenkins.plugins.kubeplatform.engine.image;

import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.core.Require;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A checked {@link ImageBuildRequest}: every rule a user can break is checked here, before any registry is
 * contacted, and reported as an {@link InvalidInputException} naming the field.
 */
public record ImageBuildPlan(
        Path artifact,
        ArtifactKind kind,
        long artifactBytes,
        ImageReference from,
        ImageReference to,
        RegistryCredential fromCredential,
        RegistryCredential toCredential,
        String destination,
        List<String> entrypoint,
        ImageBuildRequest request) {

    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern UNIX_PATH = Pattern.compile("/[^\\x00-\\x1f\\x7f]*");
    static final String JAR_DIR = "/app/";
    static final String WAR_DESTINATION = "/var/lib/jetty/webapps/ROOT.war";
    static final String DIRECTORY_DESTINATION = "/app";

    public static ImageBuildPlan of(ImageBuildRequest request) {
        Path artifact = artifact(request.artifact());
        ArtifactKind kind = ArtifactKind.of(artifact).orElseThrow(() -> new InvalidInputException("artifact",
                "must be a .jar or .war file or a directory; got '" + Require.printable(artifact.toString()) + "'"));
        long bytes = size(artifact, kind);
        ImageReference from = reference("from", request.from());
        ImageReference to = reference("to", request.to());
        if (to.isScratch()) {
            throw new InvalidInputException("to", "must name a repository in a registry, not 'scratch'");
        }
        if (to.getDigest().isPresent()) {
            throw new InvalidInputException("to", "must name a tag to push to, not a digest; got '"
                    + Require.printable(request.to()) + "'");
        }
        for (int port : request.ports()) {
            Require.range("ports", port, 1, 65535);
        }
        request.environment().keySet().forEach(name -> {
            if (!ENV_NAME.matcher(name).matches()) {
                throw new InvalidInputException("env", "variable names must match [A-Za-z_][A-Za-z0-9_]*; got '"
                        + Require.printable(name) + "'");
            }
        });
        request.labels().keySet().forEach(name -> Require.nonBlank("labels", name));
        for (String part : request.entrypoint()) {
            if (part == null) {
                throw new InvalidInputException("entrypoint", "must not contain empty elements");
            }
        }
        String destination = request.destination().map(ImageBuildPlan::destination).orElseGet(() -> switch (kind) {
            case JAR -> JAR_DIR + artifact.getFileName();
            case WAR -> WAR_DESTINATION;
            case DIRECTORY -> DIRECTORY_DESTINATION;
        });
        List<String> entrypoint = !request.entrypoint().isEmpty() || kind != ArtifactKind.JAR
                ? request.entrypoint()
                : List.of("java", "-jar", destination);
        RegistryCredential fromCredential = request.fromCredential().orElseGet(() ->
                from.getRegistry().equals(to.getRegistry()) ? request.toCredential() : RegistryCredential.anonymous());
        return new ImageBuildPlan(artifact, kind, bytes, from, to, fromCredential, request.toCredential(),
                destination, entrypoint, request);
    }

    /** One line for the log: what will be built and where it goes (no secrets). */
    public String describe() {
        List<String> parts = new ArrayList<>();
        parts.add("build " + to + " from " + (from.isScratch() ? "scratch" : from.toString()));
        parts.add("add " + kind.name().toLowerCase(java.util.Locale.ROOT) + " " + artifact.getFileName() + " ("
                + kib(artifactBytes) + ") at " + destination);
        parts.add(entrypoint.isEmpty() ? "entrypoint from the base image" : "entrypoint " + entrypoint);
        if (!request.ports().isEmpty()) {
            parts.add("ports " + request.ports());
        }
        parts.add("push to " + to.getRegistry() + " " + toCredential.describe()
                + (request.allowInsecure() ? " (insecure registries allowed)" : ""));
        return String.join("; ", parts);
    }

    Map<String, String> environment() {
        return request.environment();
    }

    private static Path artifact(Path path) {
        if (path == null || path.toString().isBlank()) {
            throw new InvalidInputException("artifact", "is required: the .jar, .war or directory to put in the image");
        }
        if (!Files.exists(path)) {
            throw new InvalidInputException("artifact", "'" + Require.printable(path.toString())
                    + "' does not exist; build it first (for example with 'mvn -B verify') and check the path");
        }
        if (!Files.isReadable(path)) {
            throw new InvalidInputException("artifact", "'" + Require.printable(path.toString()) + "' is not readable");
        }
        return path.toAbsolutePath().normalize();
    }

    private static long size(Path artifact, ArtifactKind kind) {
        try {
            if (kind != ArtifactKind.DIRECTORY) {
                return Files.size(artifact);
            }
            try (Stream<Path> files = Files.walk(artifact)) {
                List<Path> regular = files.filter(Files::isRegularFile).toList();
                if (regular.isEmpty()) {
                    throw new InvalidInputException("artifact", "'" + Require.printable(artifact.toString())
                            + "' is an empty directory");
                }
                long total = 0;
                for (Path p : regular) {
                    total += Files.size(p);
                }
                return total;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ImageReference reference(String field, String value) {
        Require.nonBlank(field, value);
        String text = value.trim();
        if (text.equals("scratch")) {
            return ImageReference.scratch();
        }
        try {
            return ImageReference.parse(text);
        } catch (InvalidImageReferenceException e) {
            throw new InvalidInputException(field, "must be an image reference such as registry.example.com/team/app:1.0; "
                    + "got '" + Require.printable(text) + "'");
        }
    }

    private static String destination(String path) {
        String trimmed = path.trim();
        if (!UNIX_PATH.matcher(trimmed).matches()) {
            throw new InvalidInputException("destination", "must be an absolute path inside the image such as "
                    + "/app/app.jar; got '" + Require.printable(path) + "'");
        }
        return trimmed;
    }

    private static String kib(long bytes) {
        return bytes < 1024 ? bytes + " B" : (bytes + 1023) / 1024 + " KiB";
    }

    Optional<Path> cacheDir() {
        return request.cacheDir();
    }
}
