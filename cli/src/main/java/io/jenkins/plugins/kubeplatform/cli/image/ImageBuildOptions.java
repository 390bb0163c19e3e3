package io.jenkins.plugins.kubeplatform.cli.image;

import io.jenkins.plugins.kubeplatform.cli.CliContext;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.image.ImageBuildRequest;
import io.jenkins.plugins.kubeplatform.engine.image.RegistryCredential;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The daemonless image build options, shared by {@code build-image} and {@code sticky-deploy} (as a picocli mixin;
 * names that a deploy command also has, such as {@code --port} and {@code --env}, carry an image prefix here).
 * Passwords and tokens come from files or environment variables, never from arguments.
 */
public final class ImageBuildOptions {

    public static final String USERNAME_ENV = "KUBEPLATFORM_REGISTRY_USERNAME";
    public static final String PASSWORD_ENV = "KUBEPLATFORM_REGISTRY_PASSWORD";
    public static final String BASE_USERNAME_ENV = "KUBEPLATFORM_BASE_REGISTRY_USERNAME";
    public static final String BASE_PASSWORD_ENV = "KUBEPLATFORM_BASE_REGISTRY_PASSWORD";

    @Option(names = "--artifact", paramLabel = "PATH",
            description = "The built artifact to put in the image: a .jar, a .war or a directory.")
    Path artifact;

    @Option(names = "--from", paramLabel = "IMAGE", description = "Base image, e.g. eclipse-temurin:17-jre.")
    String from;

    @Option(names = "--to", paramLabel = "IMAGE", description = "Image to push, e.g. registry.example.com/team/app:1.0.")
    String to;

    @Option(names = "--insecure",
            description = "Allow registries with plain HTTP or an untrusted certificate (credentials are still never "
                    + "sent over plain HTTP).")
    boolean insecure;

    @Option(names = "--username", paramLabel = "USER",
            description = "Registry user for --to (or set " + USERNAME_ENV + ").")
    String username;

    @Option(names = "--password-file", paramLabel = "FILE",
            description = "File holding the registry password or token for --to (or set " + PASSWORD_ENV + ").")
    Path passwordFile;

    @Option(names = "--from-username", paramLabel = "USER",
            description = "Registry user for --from (or set " + BASE_USERNAME_ENV + "); default: the --to "
                    + "credentials when both images are in the same registry, else anonymous.")
    String fromUsername;

    @Option(names = "--from-password-file", paramLabel = "FILE",
            description = "File holding the password or token for --from (or set " + BASE_PASSWORD_ENV + ").")
    Path fromPasswordFile;

    @Option(names = "--entrypoint", paramLabel = "COMMAND",
            description = "Entrypoint, split on whitespace (default: java -jar <jar> for a jar, the base image's "
                    + "for a war or directory).")
    String entrypoint;

    @Option(names = "--expose", split = ",", paramLabel = "PORT", description = "Port(s) the image exposes.")
    List<Integer> ports = List.of();

    @Option(names = "--image-env", paramLabel = "NAME=VALUE",
            description = "Environment variable(s) baked into the image (no secrets: they end up in the image).")
    Map<String, String> environment = new LinkedHashMap<>();

    @Option(names = "--image-label", paramLabel = "NAME=VALUE", description = "Image label(s).")
    Map<String, String> labels = new LinkedHashMap<>();

    @Option(names = "--destination", paramLabel = "PATH",
            description = "Where the artifact goes in the image (default: /app/<jar>, "
                    + "/var/lib/jetty/webapps/ROOT.war, /app for a directory).")
    String destination;

    @Option(names = "--cache-dir", paramLabel = "DIR", description = "Layer cache between builds (default: Jib's).")
    Path cacheDir;

    /** True when any build option was given (sticky-deploy then builds before it deploys). */
    public boolean requested() {
        return artifact != null || from != null || to != null;
    }

    /** The engine request; missing options and unreadable secret files are input errors naming the option. */
    public ImageBuildRequest toRequest(CliContext context) {
        if (artifact == null) {
            throw new InvalidInputException("--artifact", "is required: the .jar, .war or directory to put in the image");
        }
        if (from == null || from.isBlank()) {
            throw new InvalidInputException("--from", "is required: the base image");
        }
        if (to == null || to.isBlank()) {
            throw new InvalidInputException("--to", "is required: the image to push");
        }
        ImageBuildRequest.Builder request = ImageBuildRequest.builder(artifact, from, to)
                .toCredential(credential(context, "--username", username, USERNAME_ENV, "--password-file",
                        passwordFile, PASSWORD_ENV).orElse(RegistryCredential.anonymous()))
                .allowInsecure(insecure)
                .ports(ports)
                .environment(environment)
                .labels(labels)
                .destination(destination)
                .cacheDir(cacheDir);
        credential(context, "--from-username", fromUsername, BASE_USERNAME_ENV, "--from-password-file",
                fromPasswordFile, BASE_PASSWORD_ENV).ifPresent(request::fromCredential);
        if (entrypoint != null && !entrypoint.isBlank()) {
            request.entrypoint(Arrays.asList(entrypoint.trim().split("\\s+")));
        }
        return request.build();
    }

    private static Optional<RegistryCredential> credential(CliContext context, String userOption, String user,
            String userEnv, String passwordOption, Path passwordFile, String passwordEnv) {
        Optional<String> username = Optional.ofNullable(user).filter(u -> !u.isBlank())
                .or(() -> context.environment(userEnv));
        Optional<String> password = passwordFile != null
                ? Optional.of(read(passwordFile, passwordOption))
                : context.environment(passwordEnv);
        if (username.isEmpty() && password.isEmpty()) {
            return Optional.empty();
        }
        if (username.isEmpty()) {
            throw new InvalidInputException(userOption, "is required with a password (or set " + userEnv + ")");
        }
        if (password.isEmpty()) {
            throw new InvalidInputException(passwordOption, "is required with " + userOption + " (or set "
                    + passwordEnv + ")");
        }
        return Optional.of(new RegistryCredential.UsernamePassword(username.get().trim(), password.get()));
    }

    private static String read(Path file, String option) {
        try {
            String secret = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (secret.isEmpty()) {
                throw new InvalidInputException(option, "names an empty file; it must hold the password or token");
            }
            return secret;
        } catch (IOException e) {
            throw new InvalidInputException(option, "must name a readable file; could not read " + file);
        }
    }
}
