package io.jenkins.plugins.kubeplatform.engine.expose;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real nginx of its own on free loopback ports (HTTP and HTTPS), with its own prefix, configuration and pid file
 * (nothing under /etc/nginx). The main configuration has no server of its own: every listener, the catch-all
 * included, comes from the managed directory. Missing nginx skips the test on a workstation and fails it on CI
 * (CI=true).
 */
final class PrivateNginx implements AutoCloseable {

    final Path prefix;
    final Path config;
    final Path sites;
    final int port;
    final int httpsPort;
    final String binary;

    private PrivateNginx(Path prefix, String binary) throws IOException {
        this.prefix = prefix;
        this.binary = binary;
        this.sites = Files.createDirectories(prefix.resolve("sites"));
        this.config = prefix.resolve("nginx.conf");
        this.port = freePort();
        this.httpsPort = freePort();
        Files.createDirectories(prefix.resolve("tmp"));
        Files.writeString(config, """
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log notice;
                events { worker_connections 64; }
                http {
                    access_log off;
                    client_body_temp_path %1$s/tmp/body;
                    proxy_temp_path %1$s/tmp/proxy;
                    fastcgi_temp_path %1$s/tmp/fastcgi;
                    uwsgi_temp_path %1$s/tmp/uwsgi;
                    scgi_temp_path %1$s/tmp/scgi;
                    include %2$s/*.conf;
                }
                """.formatted(prefix, sites));
    }

    static String findBinary() {
        for (String candidate : List.of("/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        String message = "nginx is not installed (Debian: apt-get install nginx-light; .ci/run installs it)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(message);
        }
        assumeTrue(false, message);
        return null;
    }

    static PrivateNginx start(Path prefix) throws Exception {
        PrivateNginx nginx = new PrivateNginx(prefix, findBinary());
        nginx.run(List.of(nginx.binary, "-e", prefix.resolve("error.log").toString(), "-c", nginx.config.toString()));
        return nginx;
    }

    /**
     * The answer for {@code host} once it satisfies {@code wanted}, or the last answer after 10 s: nginx applies a
     * reload asynchronously and announces nothing, so this looks a few times.
     */
    java.util.Optional<HostProbe.Answer> await(String host, java.util.function.Predicate<HostProbe.Answer> wanted) {
        var last = new java.util.concurrent.atomic.AtomicReference<java.util.Optional<HostProbe.Answer>>(
                java.util.Optional.empty());
        try {
            org.awaitility.Awaitility.await("an answer from " + host).atMost(java.time.Duration.ofSeconds(10))
                    .pollInterval(java.time.Duration.ofMillis(100)).until(() -> {
                        last.set(HostProbe.get("127.0.0.1", port, host, java.time.Duration.ofSeconds(2)));
                        return last.get().filter(wanted).isPresent();
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // the caller asserts on the last answer, which names what was seen
            return last.get();
        }
        awaitOldWorkersGone();
        return last.get();
    }

    /**
     * A reload is graceful: the master starts a worker with the new configuration and lets the old one finish, and
     * until it exits the old worker may still take a new connection. Once an answer shows the new configuration, this
     * waits (bounded) until the master has its one worker again, so later requests all meet the new configuration.
     */
    void awaitOldWorkersGone() {
        try {
            long master = Long.parseLong(Files.readString(prefix.resolve("nginx.pid")).trim());
            org.awaitility.Awaitility.await("nginx " + master + " down to its one worker")
                    .atMost(java.time.Duration.ofSeconds(10)).pollInterval(java.time.Duration.ofMillis(20))
                    .until(() -> ProcessHandle.of(master).map(h -> h.children().count() <= 1).orElse(true));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    ExposeSettings.Nginx settings() {
        return new ExposeSettings.Nginx(sites.toString(), binary, config.toString(), "127.0.0.1:" + port);
    }

    /** HTTPS on {@link #httpsPort} too; endpoints only (no cluster IP fallback); reloads at most every 200 ms. */
    ExposeSettings.Nginx httpsSettings(boolean redirect) {
        return new ExposeSettings.Nginx(sites.toString(), binary, config.toString(), "127.0.0.1:" + port,
                "127.0.0.1:" + httpsPort, redirect, null, null, false, "200ms");
    }

    /**
     * How often the master process has re-read its configuration: it logs one "NNN#NNN: reconfiguring" notice per reload
     * signal (counted from nginx's own log, not from what the code under test says it did).
     */
    long reloads() throws IOException {
        try (var lines = Files.lines(prefix.resolve("error.log"))) {
            return lines.filter(l -> l.matches(".*#[0-9]+: reconfiguring")).count();
        }
    }

    /**
     * The reload count once it reached {@code atLeast}, or the count after {@code timeout}. The master writes its
     * notice when it handles the signal, a moment after {@code nginx -s reload} returns; this waits on file events.
     */
    long awaitReloads(long atLeast, java.time.Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (java.nio.file.WatchService watcher = prefix.getFileSystem().newWatchService()) {
            prefix.register(watcher, java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY);
            long count = reloads();
            while (count < atLeast && System.nanoTime() < deadline) {
                java.nio.file.WatchKey key = watcher.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (key != null) {
                    key.pollEvents();
                    key.reset();
                }
                count = reloads();
            }
            return count;
        }
    }

    private void run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out
                    + Files.readString(prefix.resolve("error.log")));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        run(List.of(binary, "-e", prefix.resolve("error.log").toString(), "-c", config.toString(), "-s", "stop"));
    }
}
