package io.jenkins.plugins.kubeplatform.store;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A {@link StateStore} kept as one JSON document: every write goes to a temporary file in the same directory, is
 * fsynced, atomically renamed over the old file, and the directory is fsynced. Writers are serialized inside the
 * process by a lock and across processes by an OS file lock on a sibling {@code .lock} file, and each update
 * re-reads the file, so several processes (CLI runs, a controller) can share one state directory.
 */
public final class AtomicFileStore<S> implements StateStore<S> {

    static final String FORMAT = "kubeplatform-state/1";

    /** OS file locks are held per process, so writers inside one JVM must also share one lock per file. */
    private static final ConcurrentMap<Path, ReentrantLock> PROCESS_LOCKS = new ConcurrentHashMap<>();

    private final Path file;
    private final Path lockFile;
    private final String kind;
    private final JavaType type;
    private final Supplier<S> empty;
    private final ReentrantLock writeLock;
    private final FileIo io;

    /**
     * @param file  the state file; its directory is created on first write
     * @param kind  a name recorded in the file so that one store is never read as another
     * @param type  Jackson type of the state
     * @param empty the state before anything was written
     */
    public AtomicFileStore(Path file, String kind, JavaType type, Supplier<S> empty) {
        this(file, kind, type, empty, FileIo.nio());
    }

    /** @param io the file system (tests: one that models the page cache and power cuts) */
    public AtomicFileStore(Path file, String kind, JavaType type, Supplier<S> empty, FileIo io) {
        this.io = Objects.requireNonNull(io);
        this.file = file.toAbsolutePath();
        this.lockFile = this.file.resolveSibling(this.file.getFileName() + ".lock");
        this.kind = Objects.requireNonNull(kind);
        this.type = Objects.requireNonNull(type);
        this.empty = Objects.requireNonNull(empty);
        this.writeLock = PROCESS_LOCKS.computeIfAbsent(this.file, f -> new ReentrantLock());
    }

    public static <S> AtomicFileStore<S> of(Path file, String kind, Class<S> type, Supplier<S> empty) {
        return new AtomicFileStore<>(file, kind, Json.mapper().constructType(type), empty);
    }

    public Path file() {
        return file;
    }

    @Override
    public S read() {
        return readFile();
    }

    @Override
    public <R> R update(Function<S, Update<S, R>> change) {
        writeLock.lock();
        try (FileChannel lockChannel = io.open(ensureParent(lockFile),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = lockChannel.lock()) {
            S current = readFile();
            Update<S, R> decision = change.apply(current);
            if (decision.changed()) {
                write(decision.state());
            }
            return decision.result();
        } catch (IOException e) {
            throw new StoreException("Could not lock or write state file " + file + ": " + e.getMessage(), e);
        } finally {
            writeLock.unlock();
        }
    }

    private S readFile() {
        byte[] bytes;
        try {
            bytes = io.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return empty.get();
        } catch (IOException e) {
            throw new StoreException("Could not read state file " + file + ": " + e.getMessage(), e);
        }
        try {
            JsonNode root = Json.mapper().readTree(bytes);
            if (root == null || !root.isObject()) {
                throw new IOException("not a JSON object");
            }
            if (!FORMAT.equals(root.path("format").asText()) || !kind.equals(root.path("kind").asText())) {
                throw new IOException("expected format '" + FORMAT + "' and kind '" + kind + "', found format '"
                        + root.path("format").asText() + "' and kind '" + root.path("kind").asText() + "'");
            }
            return Json.mapper().treeToValue(root.get("data"), type);
        } catch (IOException | IllegalArgumentException e) {
            throw new StoreCorruptedException(file, e);
        }
    }

    private void write(S state) throws IOException {
        ObjectNode root = Json.mapper().createObjectNode();
        root.put("format", FORMAT);
        root.put("kind", kind);
        root.set("data", Json.mapper().valueToTree(state));
        byte[] bytes = Json.mapper().writeValueAsBytes(root);

        Path dir = ensureParent(file).getParent();
        Path tmp = dir.resolve("." + file.getFileName() + ".tmp-" + UUID.randomUUID());
        try {
            try (FileChannel out = io.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                out.force(true);
            }
            io.move(tmp, file, true);
            io.fsyncDirectory(dir);
        } finally {
            io.deleteIfExists(tmp);
        }
    }

    private Path ensureParent(Path path) throws IOException {
        io.createDirectories(path.getParent());
        return path;
    }
}
