package io.jenkins.plugins.kubeplatform.expose;

import io.jenkins.plugins.kubeplatform.core.OperationFailedException;
import io.jenkins.plugins.kubeplatform.core.Progress;
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
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    /** Hosts that have a block written by this project. */
    public Map<String, String> managedBlocks() {
        Map<String, String> blocks = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return blocks;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.conf")) {
            for (Path file : files) {
                String content = Files.readString(file, StandardCharsets.UTF_8);
                if (content.startsWith(NginxServerBlock.HEADER)) {
                    String name = file.getFileName().toString();
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
        ReentrantLock lock = LOCKS.computeIfAbsent(dir.toAbsolutePath(), d -> new ReentrantLock());
        lock.lock();
        try {
            Files.createDirectories(dir);
            try (FileChannel channel = FileChannel.open(dir.resolve(".kubeplatform.lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                return applyLocked(upserts, removals);
            }
        } catch (IOException e) {
            throw new OperationFailedException("Could not update the nginx server blocks in " + dir + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    private List<String> applyLocked(Collection<NginxServerBlock> upserts, Collection<String> removals) throws IOException {
        Map<Path, Optional<String>> previous = new HashMap<>();
        List<String> changed = new ArrayList<>();
        for (NginxServerBlock block : upserts) {
            Path file = dir.resolve(block.fileName());
            Optional<String> old = read(file);
            if (old.isPresent() && !old.get().startsWith(NginxServerBlock.HEADER)) {
                throw new OperationFailedException("nginx server block " + file + " exists and was not written by "
                        + "kubernetes-platform-steps; remove it or choose another host for " + block.host());
            }
            String content = block.render();
            if (old.isEmpty() || !old.get().equals(content)) {
                previous.put(file, old);
                write(file, content);
                changed.add(block.host());
            }
        }
        for (String host : removals) {
            Path file = dir.resolve(NginxServerBlock.fileName(host));
            Optional<String> old = read(file);
            if (old.isPresent() && old.get().startsWith(NginxServerBlock.HEADER)) {
                previous.put(file, old);
                Files.delete(file);
                changed.add(host);
            }
        }
        if (changed.isEmpty()) {
            return changed;
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
        progress.step("nginx: reloaded after updating " + String.join(", ", changed));
        return changed;
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

    private static void write(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
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
                write(e.getKey(), e.getValue().get());
            } else {
                Files.deleteIfExists(e.getKey());
            }
        }
    }
}
