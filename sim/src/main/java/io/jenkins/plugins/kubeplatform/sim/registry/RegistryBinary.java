package io.jenkins.plugins.kubeplatform.sim.registry;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the registry program is: Debian's {@code docker-registry} package (distribution 2.8), or the path in
 * {@code KUBEPLATFORM_REGISTRY_BINARY}. Tests that need it skip on a developer machine without it and fail under CI
 * ({@code CI=true}), where {@code .ci/run} installs it.
 */
public final class RegistryBinary {

    static final String BINARY_ENV = "KUBEPLATFORM_REGISTRY_BINARY";
    static final Path DEFAULT = Path.of("/usr/bin/docker-registry");

    private RegistryBinary() {
    }

    public static Path path() {
        String configured = System.getenv(BINARY_ENV);
        return configured == null || configured.isBlank() ? DEFAULT : Path.of(configured);
    }

    public static boolean installed() {
        return Files.isExecutable(path());
    }

    /**
     * True when a test needing the registry should run: the program is installed, or we are under CI, where a
     * missing program must fail the test (starting the registry then throws) instead of skipping it.
     */
    public static boolean installedOrRequired() {
        return installed() || "true".equalsIgnoreCase(System.getenv("CI"));
    }
}
