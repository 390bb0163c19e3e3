package io.jenkins.plugins.kubeplatform.engine.image;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/** What the built artifact is; decides where it goes in the image and the default entrypoint. */
public enum ArtifactKind {
    /** An executable jar: copied to {@code /app/<name>.jar}, started with {@code java -jar}. */
    JAR,
    /** A web archive: copied to {@code /var/lib/jetty/webapps/ROOT.war}; the base image (a servlet container) starts it. */
    WAR,
    /** A directory: its content copied to {@code /app}; the base image's entrypoint unless one is given. */
    DIRECTORY;

    /** The kind of an existing path, or empty when it is neither a .jar or .war file nor a directory. */
    public static Optional<ArtifactKind> of(Path artifact) {
        if (Files.isDirectory(artifact)) {
            return Optional.of(DIRECTORY);
        }
        String name = artifact.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".jar")) {
            return Optional.of(JAR);
        }
        if (name.endsWith(".war")) {
            return Optional.of(WAR);
        }
        return Optional.empty();
    }
}
