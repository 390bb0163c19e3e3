package io.jenkins.plugins.kubeplatform.engine.expose;

import io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.store.Uninterruptible;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The server-block directory of the platform's own nginx: one file per host, written only when its content
 * changes, then {@code nginx -t} (the previous files are restored if it fails) and one reload. Files without the
 * {@link NginxServerBlock#HEADER} belong to someone else and are never changed or removed.
 */
public final class NginxSites {

    private static final ConcurrentHashMap<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();
    private static final long COMMAND_TIMEOUT_SECONDS = 30;

    private final ExposeSettings.Nginx settings;
    private final Path dir;
    private final Progress progress;

    public NginxSites(ExposeSettings.Nginx settings, Progress progress) {
        this.settings = settings;
        this.dir = Path.of(settings.confDir());
        this.progress = progress;
    }

    public Path directory() {
        return dir;
    }

    /** The {@code listen} value of new blocks. */
    public String listen() {
        return settings.listen();
    }

    public NginxServerBlock.Listeners listeners() {
        return NginxServerBlock.Listeners.of(settings);
    }

    public ExposeSettings.Nginx settings() {
        return settings;
    }

    /** Where the certificate and key of {@code host} taken from a Secret are written. */
    public Path certificateFile(String host) {
        return dir.resolve("tls").resolve(NginxServerBlock.checkHost("host", host) + ".crt");
    }

    public Path keyFile(String host) {
        return dir.resolve("tls").resolve(NginxServerBlock.checkHost("host", host) + ".key");
    }

    /** The configured certificate files for hosts without a Secret of their own, if any. */
    public Optional<NginxServerBlock.Tls> configuredCertificate() {
        return settings.certificateFile() == null ? Optional.empty() : Optional.of(new NginxServerBlock.Tls.Files(
                Path.of(settings.certificateFile()), Path.of(settings.keyFile())));
    }

    /** Hosts that have a block written by this project. */
    public Map<String, String> managedBlocks() {
        Map<String, String> blocks = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return blocks;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.conf")) {
            for (Path file : files) {
                String content = Files.readString(file, StandardCharsets.UTF_8);
                String name = file.getFileName().toString();
                if (content.startsWith(NginxServerBlock.HEADER)
                        && DnsNames.isHost(name.substring(0, name.length() - ".conf".length()))) {
                    blocks.put(name.substring(0, name.length() - ".conf".length()), content);
                }
            }
        } catch (IOException e) {
            throw new OperationFailedException("Could not read the nginx server blocks in " + dir + ": " + e.getMessage(), e);
        }
        return blocks;
    }

    /**
     * Writes {@code upserts} and removes the managed blocks of {@code removals}; validates and reloads once if
     * anything changed. Returns the hosts whose files changed.
     */
    public List<String> apply(Collection<NginxServerBlock> upserts, Collection<String> removals) {
        return update(upserts, removals).hosts();
    }

    /**
     * What {@link #update} did.
     *
     * @param hosts    hosts whose files changed
     * @param reloaded whether nginx was reloaded (any file changed, the catch-all included)
     */
    public record Applied(List<String> hosts, boolean reloaded) {
    }

    /**
     * As {@link #apply}, also saying whether nginx was reloaded. Runs on a thread nobody interrupts
     * ({@link Uninterruptible}): an aborted build's interrupt would otherwise close the lock or a file half-written
     * and leave the directory between two versions. Interrupted while it still waits for the directory's locks, the
     * caller gets an error and nothing is changed; once they are held, the update (files, {@code nginx -t}, the
     * reload or the restore) finishes and the caller's interrupt is set again.
     */
    public Applied update(Collection<NginxServerBlock> upserts, Collection<String> removals) {
        return Uninterruptible.call(() -> updateNow(upserts, removals), e -> new OperationFailedException(
                "Interrupted while waiting to update the nginx server blocks in " + dir + " (another update holds "
                        + "them); nothing was changed", e));
    }

    private Applied updateNow(Collection<NginxServerBlock> upserts, Collection<String> removals) {
        ReentrantLock lock = LOCKS.computeIfAbsent(dir.toAbsolutePath(), d -> new ReentrantLock());
        lock.lock();
        try {
            Uninterruptible.stillWanted(); // an update its caller gave up while it queued touches nothing
            Files.createDirectories(dir);
            try (FileChannel channel = FileChannel.open(dir.resolve(".kubeplatform.lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                Uninterruptible.begin(); // from here on the caller waits for the end, whatever happens to it
                return applyLocked(upserts, removals);
            }
        } catch (IOException e) {
            throw new OperationFailedException("Could not update the nginx server blocks in " + dir + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    private Applied applyLocked(Collection<NginxServerBlock> upserts, Collection<String> removals) throws IOException {
        Map<Path, Optional<String>> previous = new HashMap<>();
        List<String> changed = new ArrayList<>();
        Path defaultServer = writeDefaultServer(previous);
        writeBlocks(upserts, previous, changed);
        removeBlocks(removals, previous, changed);
        if (previous.isEmpty()) {
            return new Applied(changed, false);
        }
        CommandOutput test = run(command("-t"));
        if (test.exitCode() != 0) {
            restore(previous);
            throw new OperationFailedException("nginx rejected the new configuration (nothing was reloaded; the "
                    + "previous server blocks were restored): " + test.output().strip());
        }
        CommandOutput reload = run(command("-s", "reload"));
        if (reload.exitCode() != 0) {
            throw new OperationFailedException("nginx accepted the configuration but did not reload (is it "
                    + "running?): " + reload.output().strip());
        }
        List<String> what = new ArrayList<>(changed);
        if (previous.containsKey(defaultServer)) {
            what.add(0, "the default server");
        }
        if (what.isEmpty()) {
            what.add("certificates");
        }
        progress.step("nginx: reloaded after updating " + String.join(", ", what));
        return new Applied(changed, true);
    }

    /** Writes the catch-all server when it differs from the wanted one (old content kept in {@code previous}). */
    private Path writeDefaultServer(Map<Path, Optional<String>> previous) throws IOException {
        Path defaultServer = dir.resolve(NginxServerBlock.DEFAULT_SERVER_FILE);
        Optional<String> oldDefault = read(defaultServer);
        String wantedDefault = NginxServerBlock.renderDefaultServer(listeners());
        if (oldDefault.isEmpty() || !oldDefault.get().equals(wantedDefault)) {
            if (oldDefault.isPresent() && !oldDefault.get().startsWith(NginxServerBlock.HEADER)) {
                throw new OperationFailedException("nginx file " + defaultServer + " exists and was not written by "
                        + "kubernetes-platform-steps; remove it (the platform writes its catch-all server there)");
            }
            previous.put(defaultServer, oldDefault);
            write(defaultServer, wantedDefault, false);
        }
        return defaultServer;
    }

    /** Writes each block (and its TLS material) that differs from the file on disk, refusing foreign files. */
    private void writeBlocks(Collection<NginxServerBlock> upserts, Map<Path, Optional<String>> previous,
            List<String> changed) throws IOException {
        for (NginxServerBlock block : upserts) {
            Path file = dir.resolve(block.fileName());
            Optional<String> old = read(file);
            if (old.isPresent() && !old.get().startsWith(NginxServerBlock.HEADER)) {
                throw new OperationFailedException("nginx server block " + file + " exists and was not written by "
                        + "kubernetes-platform-steps; remove it or choose another host for " + block.host());
            }
            if (block.tls().orElse(null) instanceof NginxServerBlock.Tls.Material m) {
                writeSecretFile(m.certificateFile(), m.certificatePem(), previous);
                writeSecretFile(m.keyFile(), m.keyPem(), previous);
            }
            String content = block.render();
            if (old.isEmpty() || !old.get().equals(content)) {
                previous.put(file, old);
                write(file, content, false);
                changed.add(block.host());
            }
        }
    }

    /** Deletes the blocks (and their TLS material) of {@code removals} that the platform wrote. */
    private void removeBlocks(Collection<String> removals, Map<Path, Optional<String>> previous, List<String> changed)
            throws IOException {
        for (String host : removals) {
            Path file = dir.resolve(NginxServerBlock.fileName(host));
            Optional<String> old = read(file);
            if (old.isPresent() && old.get().startsWith(NginxServerBlock.HEADER)) {
                previous.put(file, old);
                Files.delete(file);
                changed.add(host);
                for (Path secret : List.of(certificateFile(host), keyFile(host))) {
                    Optional<String> material = read(secret);
                    if (material.isPresent()) {
                        previous.put(secret, material);
                        Files.delete(secret);
                    }
                }
            }
        }
    }

    private List<String> command(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(settings.binary());
        if (settings.mainConfig() != null) {
            cmd.add("-c");
            cmd.add(settings.mainConfig());
        }
        cmd.addAll(List.of(args));
        return cmd;
    }

    private record CommandOutput(int exitCode, String output) {
    }

    private static CommandOutput run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new CommandOutput(-1, String.join(" ", command) + " did not finish within "
                        + COMMAND_TIMEOUT_SECONDS + "s");
            }
            return new CommandOutput(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new CommandOutput(-1, "could not run " + String.join(" ", command) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationFailedException("interrupted while running " + String.join(" ", command), e);
        }
    }

    private static Optional<String> read(Path file) throws IOException {
        try {
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    private void writeSecretFile(Path file, String content, Map<Path, Optional<String>> previous) throws IOException {
        Optional<String> old = read(file);
        if (old.isEmpty() || !old.get().equals(content)) {
            Files.createDirectories(file.getParent());
            previous.put(file, old);
            write(file, content, true);
        }
    }

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private static void write(Path file, String content, boolean secret) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (secret && posix) {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_ONLY)); // 0600 before any byte is in it
        }
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            out.write(java.nio.ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
            out.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void restore(Map<Path, Optional<String>> previous) throws IOException {
        for (var e : previous.entrySet()) {
            if (e.getValue().isPresent()) {
                write(e.getKey(), e.getValue().get(), e.getKey().getParent().getFileName().toString().equals("tls"));
            } else {
                Files.deleteIfExists(e.getKey());
            }
        }
    }
}
