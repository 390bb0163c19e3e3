package io.jenkins.plugins.kubeplatform.sim.registry;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.mindrot.jbcrypt.BCrypt;

/**
 * A real image registry (Docker distribution, Debian's {@code docker-registry}) on a free 127.0.0.1 port with its
 * storage in a temporary directory, for tests and benchmarks of image builds. Optionally TLS with a self-signed
 * certificate and htpasswd users. Closing stops the process and deletes the storage.
 */
public final class LocalRegistry implements AutoCloseable {

    private static final int START_ATTEMPTS = 3;
    private static final long START_TIMEOUT_SECONDS = 30;

    private final Path dir;
    private final Process process;
    private final int port;
    private final RegistryOptions options;
    private final SelfSignedCertificate certificate;

    private LocalRegistry(Path dir, Process process, int port, RegistryOptions options,
            SelfSignedCertificate certificate) {
        this.dir = dir;
        this.process = process;
        this.port = port;
        this.options = options;
        this.certificate = certificate;
    }

    /** Starts a registry and returns once it listens; fails (never skips) when the program is missing. */
    public static LocalRegistry start(RegistryOptions options) {
        Path binary = RegistryBinary.path();
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException("the image registry program " + binary + " is not installed; install the "
                    + "Debian package docker-registry (apt-get install docker-registry), as .ci/run does");
        }
        Path dir = null;
        try {
            dir = Files.createTempDirectory("kubeplatform-registry");
            SelfSignedCertificate certificate = options.tls() ? SelfSignedCertificate.create(dir) : null;
            if (!options.users().isEmpty()) {
                writeHtpasswd(dir.resolve("htpasswd"), options.users());
            }
            IllegalStateException last = null;
            for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
                int port = freePort();
                Path config = dir.resolve("config.yml");
                Files.writeString(config, config(dir, port, options, certificate));
                Process process = new ProcessBuilder(binary.toString(), "serve", config.toString())
                        .directory(dir.toFile()).redirectErrorStream(true).start();
                try {
                    awaitListening(process);
                    return new LocalRegistry(dir, process, port, options, certificate);
                } catch (IllegalStateException e) {
                    // another process may have taken the port between probing and binding: try a new one
                    process.destroyForcibly().waitFor();
                    last = e;
                }
            }
            throw last;
        } catch (IOException e) {
            deleteQuietly(dir);
            throw new UncheckedIOException("could not start the image registry", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            deleteQuietly(dir);
            throw new IllegalStateException("interrupted while starting the image registry", e);
        } catch (RuntimeException e) {
            deleteQuietly(dir);
            throw e;
        }
    }

    /** {@code 127.0.0.1:port}: the registry part of image references. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    /** {@code 127.0.0.1:port/repository:tag}. */
    public String image(String repository, String tag) {
        return host() + "/" + repository + ":" + tag;
    }

    public boolean tls() {
        return options.tls();
    }

    /** The registry HTTP API, authenticated as the first configured user (if any). */
    public RegistryApi api() {
        return options.users().entrySet().stream().findFirst()
                .map(u -> api(u.getKey(), u.getValue()))
                .orElseGet(() -> new RegistryApi(baseUrl(), certificate == null ? null : certificate.certificate(),
                        null, null));
    }

    /** The registry HTTP API with the given credentials (which may be wrong, to test refusals). */
    public RegistryApi api(String username, String password) {
        return new RegistryApi(baseUrl(), certificate == null ? null : certificate.certificate(), username, password);
    }

    private String baseUrl() {
        return (options.tls() ? "https://" : "http://") + host();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        deleteQuietly(dir);
    }

    /** Waits for the registry's own "listening on" log line (no polling); reports its output if it exits first. */
    private static void awaitListening(Process process) throws InterruptedException {
        CompletableFuture<Void> listening = new CompletableFuture<>();
        Deque<String> tail = new ArrayDeque<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    synchronized (tail) {
                        tail.addLast(line);
                        if (tail.size() > 20) {
                            tail.removeFirst();
                        }
                    }
                    if (line.contains("listening on ")) {
                        listening.complete(null);
                    }
                }
            } catch (IOException e) {
                // the process is gone; onExit below reports it
            }
            listening.completeExceptionally(new IllegalStateException("exited"));
        }, "docker-registry-output");
        reader.setDaemon(true);
        reader.start();
        try {
            listening.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            String output;
            synchronized (tail) {
                output = String.join("\n", tail);
            }
            throw new IllegalStateException("the image registry did not start listening: " + output);
        }
    }

    private static String config(Path dir, int port, RegistryOptions options, SelfSignedCertificate certificate) {
        StringBuilder yaml = new StringBuilder();
        yaml.append("version: 0.1\n")
                .append("log:\n  level: info\n  accesslog:\n    disabled: true\n")
                .append("storage:\n  filesystem:\n    rootdirectory: ").append(dir.resolve("data")).append('\n')
                .append("  delete:\n    enabled: true\n")
                .append("http:\n  addr: 127.0.0.1:").append(port).append('\n')
                .append("  secret: ").append(UUID.randomUUID()).append('\n');
        if (certificate != null) {
            yaml.append("  tls:\n    certificate: ").append(certificate.certificate()).append('\n')
                    .append("    key: ").append(certificate.key()).append('\n');
        }
        if (!options.users().isEmpty()) {
            yaml.append("auth:\n  htpasswd:\n    realm: kubeplatform-test\n    path: ")
                    .append(dir.resolve("htpasswd")).append('\n');
        }
        return yaml.toString();
    }

    private static void writeHtpasswd(Path file, Map<String, String> users) throws IOException {
        List<String> lines = users.entrySet().stream()
                .map(u -> u.getKey() + ":" + BCrypt.hashpw(u.getValue(), BCrypt.gensalt(6)))
                .toList();
        Files.write(file, lines, StandardCharsets.UTF_8);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a temporary directory; nothing else depends on its removal
        }
    }
}
