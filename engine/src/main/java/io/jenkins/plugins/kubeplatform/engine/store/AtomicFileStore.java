package io.jenkins.plugins.kubeplatform.engine.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * A {@link StateStore} kept as one JSON document behind a one-line header that names the format version, the kind of
 * state, a generation number, the content length and a CRC-32C checksum:
 *
 * <pre>kubeplatform-state/2 kind=domain-registry generation=7 length=512 crc32c=1a2b3c4d
 * {...JSON...}</pre>
 *
 * <p>The whole file is validated on every read (header, length, checksum, JSON, the kind and then the records
 * through the store's {@link Validator}); a damaged, truncated or emptied file is refused with a
 * {@link StoreCorruptedException} naming the file, what is damaged and the intact backups, and nothing is ever written
 * over it. Files of the first format (a bare JSON object with {@code "format":"kubeplatform-state/1"}) still read
 * and are rewritten in the new format by the next change.
 *
 * <p>Every write keeps the previous file as {@code <file>.bak-<generation>} (a hard link, or a forced copy where the
 * file system has none; the last {@link #BACKUPS} are kept), then writes the new state to a temporary file in the same directory, forces it, atomically renames it over the old
 * file and forces the directory, all through {@link FileIo}. Writers are serialized inside the process by a lock and
 * across processes by an OS file lock on a sibling {@code .lock} file, and each update re-reads the file, so several
 * processes (CLI runs, a controller) can share one state directory.
 *
 * <p>Every call runs on a thread nobody interrupts ({@link Uninterruptible}): a {@code FileChannel} used by an
 * interrupted thread (an aborted Jenkins build) is closed by the JDK mid-call, and a write interrupted after its rename
 * would report "nothing was changed" for a file that did change. A caller interrupted while it waits for the locks
 * fails with nothing changed; once the update holds them it completes and returns with the interrupt flag set.
 */
public final class AtomicFileStore<S> implements StateStore<S> {

    static final String FORMAT = "kubeplatform-state/1";
    static final String HEADER_PREFIX = "kubeplatform-state/";
    static final int VERSION = 2;
    /** Previous versions kept next to the file. */
    public static final int BACKUPS = 3;
    private static final int MAX_HEADER = 512;
    private static final Pattern HEADER = Pattern.compile(
            "kubeplatform-state/(\\d+) kind=(\\S+) generation=(\\d+) length=(\\d+) crc32c=([0-9a-f]{8})");

    /** OS file locks are held per process, so writers inside one JVM must also share one lock per file. */
    private static final ConcurrentMap<Path, ReentrantLock> PROCESS_LOCKS = new ConcurrentHashMap<>();

    /** Checks the records of a state that parsed; returns the problems, each naming the record and the rule. */
    @FunctionalInterface
    public interface Validator<S> {
        List<String> problems(S state);

        static <S> Validator<S> none() {
            return s -> List.of();
        }
    }

    private final Path file;
    private final Path lockFile;
    private final String kind;
    private final JavaType type;
    private final Supplier<S> empty;
    private final Validator<S> validator;
    private final ReentrantLock writeLock;
    private final FileIo io;

    /**
     * @param file  the state file; its directory is created on first write
     * @param kind  a name recorded in the file so that one store is never read as another
     * @param type  Jackson type of the state
     * @param empty the state before anything was written
     */
    public AtomicFileStore(Path file, String kind, JavaType type, Supplier<S> empty) {
        this(file, kind, type, empty, Validator.none(), FileIo.nio());
    }

    /**
     * @param validator checks the records on every read and before every write
     * @param io        the file system (tests: one that models the page cache and power cuts)
     */
    public AtomicFileStore(Path file, String kind, JavaType type, Supplier<S> empty, Validator<S> validator,
                           FileIo io) {
        this.io = Objects.requireNonNull(io);
        this.file = file.toAbsolutePath();
        this.lockFile = this.file.resolveSibling(this.file.getFileName() + ".lock");
        this.kind = Objects.requireNonNull(kind);
        if (!kind.matches("\\S+")) {
            throw new IllegalArgumentException("a store kind is one word: " + kind);
        }
        this.type = Objects.requireNonNull(type);
        this.empty = Objects.requireNonNull(empty);
        this.validator = Objects.requireNonNull(validator);
        this.writeLock = PROCESS_LOCKS.computeIfAbsent(this.file, f -> new ReentrantLock());
    }

    public static <S> AtomicFileStore<S> of(Path file, String kind, Class<S> type, Supplier<S> empty) {
        return new AtomicFileStore<>(file, kind, Json.mapper().constructType(type), empty);
    }

    public static <S> AtomicFileStore<S> of(Path file, String kind, Class<S> type, Supplier<S> empty,
                                            Validator<S> validator, FileIo io) {
        return new AtomicFileStore<>(file, kind, Json.mapper().constructType(type), empty, validator, io);
    }

    public Path file() {
        return file;
    }

    public String kind() {
        return kind;
    }

    @Override
    public S read() {
        return shielded(() -> load().state());
    }

    private <R> R shielded(Supplier<R> call) {
        return Uninterruptible.call(call, e -> new StoreException("Interrupted while waiting to read or write state "
                + "file " + file + "; nothing was changed", e));
    }

    @Override
    public <R> R update(Function<S, Update<S, R>> change) {
        return shielded(() -> locked(() -> {
            Loaded<S> current = load();
            Update<S, R> decision = change.apply(current.state());
            if (decision.changed()) {
                List<String> problems = validator.problems(decision.state());
                if (!problems.isEmpty()) {
                    throw new StoreException("Refusing to write " + file + ": " + String.join("; ", problems)
                            + " (the file could not be read back); nothing was written", null);
                }
                write(encode(decision.state(), current.generation() + 1), current);
            }
            return decision.result();
        }));
    }

    private interface Body<R> {
        R run() throws IOException;
    }

    private <R> R locked(Body<R> body) {
        writeLock.lock();
        try {
            Uninterruptible.stillWanted(); // a call its caller gave up while it queued creates no lock file
            try (FileChannel lockChannel = io.open(ensureParent(lockFile),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = lockChannel.lock()) {
                Uninterruptible.begin(); // from here on, the caller's interrupt no longer cancels the call
                return body.run();
            }
        } catch (IOException e) {
            throw new StoreException("Could not lock or write state file " + file + ": " + describe(e)
                    + "; nothing was changed", e);
        } finally {
            writeLock.unlock();
        }
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return e instanceof java.nio.file.AccessDeniedException ? "permission denied on " + message
                : message == null ? e.getClass().getSimpleName() : message;
    }

    // ---- reading and validation ----

    /** A state as read: its file bytes (null when there is no file) and generation. */
    private record Loaded<S>(S state, long generation, byte[] bytes) {
    }

    /** Why one file does not read; {@code problem} names what is damaged. */
    private static final class Damage extends Exception {
        private static final long serialVersionUID = 1L;

        Damage(String problem) {
            super(problem, null, false, false);
        }
    }

    private Loaded<S> load() {
        byte[] bytes;
        try {
            bytes = io.readAllBytes(file);
        } catch (NoSuchFileException e) {
            List<Backup> backups = backups();
            if (!backups.isEmpty()) {
                throw new StoreCorruptedException(file, "it is missing (deleted or moved?) while " + backups.size()
                        + " backup(s) of it exist", remedy(backups));
            }
            return new Loaded<>(empty.get(), 0, null);
        } catch (IOException e) {
            throw new StoreException("Could not read state file " + file + ": " + describe(e), e);
        }
        try {
            return decode(bytes);
        } catch (Damage d) {
            throw new StoreCorruptedException(file, d.getMessage(), remedy(backups()));
        }
    }

    private Loaded<S> decode(byte[] bytes) throws Damage {
        if (bytes.length == 0) {
            throw new Damage("it is empty (0 bytes): emptied or truncated");
        }
        if (bytes[0] == '{') {
            return decodeFirstFormat(bytes);
        }
        int newline = -1;
        for (int i = 0; i < Math.min(bytes.length, MAX_HEADER); i++) {
            if (bytes[i] == '\n') {
                newline = i;
                break;
            }
        }
        Matcher m = checkedHeader(bytes, newline);
        long generation = Long.parseLong(m.group(3));
        long length = Long.parseLong(m.group(4));
        long present = bytes.length - newline - 1L;
        if (present < length) {
            throw new Damage("it is truncated: the header promises " + length + " bytes of content, " + present
                    + " are present");
        }
        if (present > length) {
            throw new Damage((present - length) + " unexpected bytes follow the " + length + " bytes of content");
        }
        int expected = (int) Long.parseLong(m.group(5), 16);
        int actual = checksum(kind, generation, bytes, newline + 1, (int) length);
        if (expected != actual) {
            throw new Damage("its content fails its CRC-32C checksum (recorded " + m.group(5) + ", computed "
                    + String.format(Locale.ROOT, "%08x", actual) + "): bytes were changed or overwritten");
        }
        JsonNode data;
        try {
            data = Json.mapper().readTree(Arrays.copyOfRange(bytes, newline + 1, bytes.length));
        } catch (IOException e) {
            throw new Damage("its content passes its checksum but is not JSON: "
                    + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
        return new Loaded<>(toState(data), generation, bytes);
    }

    /** The header line's fields, checked for prefix, completeness, format version and kind. */
    private Matcher checkedHeader(byte[] bytes, int newline) throws Damage {
        String start = new String(bytes, 0, Math.min(bytes.length, HEADER_PREFIX.length()), StandardCharsets.ISO_8859_1);
        if (!start.equals(HEADER_PREFIX)) {
            throw new Damage("it does not start with a kubeplatform state header (overwritten with other data?)");
        }
        if (newline < 0) {
            throw new Damage("its header line is incomplete (" + bytes.length + " bytes: truncated or damaged)");
        }
        String header = new String(bytes, 0, newline, StandardCharsets.UTF_8);
        Matcher m = HEADER.matcher(header);
        if (!m.matches()) {
            Matcher version = Pattern.compile("kubeplatform-state/(\\d+) .*").matcher(header);
            if (version.matches() && !version.group(1).equals(String.valueOf(VERSION))) {
                throw new Damage("it has format version " + version.group(1) + ", this kubeplatform reads version "
                        + VERSION + " (written by a newer release?)");
            }
            throw new Damage("its header line is damaged: '" + printable(header) + "'");
        }
        if (Integer.parseInt(m.group(1)) != VERSION) {
            throw new Damage("it has format version " + m.group(1) + ", this kubeplatform reads version " + VERSION
                    + " (written by a newer release?)");
        }
        if (!kind.equals(m.group(2))) {
            throw new Damage("it holds kind '" + m.group(2) + "', expected kind '" + kind + "' (another store's file?)");
        }
        return m;
    }

    private Loaded<S> decodeFirstFormat(byte[] bytes) throws Damage {
        JsonNode root;
        try {
            root = Json.mapper().readTree(bytes);
        } catch (IOException e) {
            throw new Damage("it is a first-format (unchecksummed) file that is not valid JSON (truncated or "
                    + "damaged): " + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new Damage("it is not a JSON object");
        }
        if (!FORMAT.equals(root.path("format").asText()) || !kind.equals(root.path("kind").asText())) {
            throw new Damage("expected format '" + FORMAT + "' and kind '" + kind + "', found format '"
                    + root.path("format").asText() + "' and kind '" + root.path("kind").asText() + "'");
        }
        return new Loaded<>(toState(root.get("data")), 0, bytes);
    }

    private S toState(JsonNode data) throws Damage {
        if (data == null || data.isNull()) {
            throw new Damage("it has no data");
        }
        S state;
        try {
            state = Json.mapper().treeToValue(data, type);
        } catch (InvalidFormatException e) {
            throw new Damage("record " + path(e) + " holds '" + e.getValue() + "', which is not a valid "
                    + e.getTargetType().getSimpleName() + (e.getTargetType().isEnum() ? " (one of "
                    + Arrays.toString(e.getTargetType().getEnumConstants()) + ")" : ""));
        } catch (JsonMappingException e) {
            throw new Damage("record " + path(e) + " is malformed: " + e.getOriginalMessage());
        } catch (IOException | IllegalArgumentException e) {
            throw new Damage("its records are malformed: " + e.getMessage());
        }
        if (state == null) {
            throw new Damage("it has no data");
        }
        List<String> problems;
        try {
            problems = validator.problems(state);
        } catch (RuntimeException e) {
            throw new Damage("its records fail validation: " + e);
        }
        if (!problems.isEmpty()) {
            throw new Damage("its records break the rules: " + String.join("; ", problems));
        }
        return state;
    }

    private static String path(JsonMappingException e) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                b.append(b.length() == 0 ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.length() == 0 ? "(top level)" : b.toString();
    }

    private static String printable(String s) {
        String cut = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        StringBuilder b = new StringBuilder();
        cut.codePoints().forEach(c -> b.append(c >= 0x20 && c < 0x7f ? Character.toString(c) : "?"));
        return b.toString();
    }

    static int checksum(String kind, long generation, byte[] content, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update((kind + "\n" + generation + "\n").getBytes(StandardCharsets.UTF_8));
        crc.update(content, offset, length);
        return (int) crc.getValue();
    }

    // ---- writing ----

    private byte[] encode(S state, long generation) throws IOException {
        byte[] content = Json.mapper().writeValueAsBytes(Json.mapper().valueToTree(state));
        String header = HEADER_PREFIX + VERSION + " kind=" + kind + " generation=" + generation + " length="
                + content.length + " crc32c=" + String.format(Locale.ROOT, "%08x",
                checksum(kind, generation, content, 0, content.length)) + "\n";
        byte[] head = header.getBytes(StandardCharsets.UTF_8);
        byte[] bytes = Arrays.copyOf(head, head.length + content.length);
        System.arraycopy(content, 0, bytes, head.length, content.length);
        return bytes;
    }

    /** Keeps the previous file as a backup, then replaces the file atomically; durable when it returns. */
    private void write(byte[] bytes, Loaded<S> previous) throws IOException {
        Path dir = ensureParent(file).getParent();
        if (previous.bytes() != null) {
            keepBackup(previous);
        }
        writeFile(file, bytes);
        io.fsyncDirectory(dir);
        pruneBackups();
    }

    /**
     * Keeps the file about to be replaced as {@code <file>.bak-<generation>}: a hard link to it (its bytes are
     * already durable, the directory fsync of the write makes the name durable), or a forced copy where the file
     * system has no hard links.
     */
    private void keepBackup(Loaded<S> previous) throws IOException {
        Path backup = backupFile(previous.generation());
        io.deleteIfExists(backup); // left by a change that died before replacing the file; same generation
        try {
            io.link(backup, file);
            return;
        } catch (UnsupportedOperationException | java.nio.file.FileSystemException e) {
            if (e instanceof java.nio.file.FileSystemException fs && isFull(fs)) {
                throw fs;
            }
            // no hard links here (or not for this file): copy
        }
        writeFile(backup, previous.bytes());
    }

    private static boolean isFull(java.nio.file.FileSystemException e) {
        String reason = String.valueOf(e.getReason()) + " " + e.getMessage();
        return reason.contains("No space left") || reason.contains("Read-only file system");
    }

    /** Temporary file, written and forced, renamed over {@code target}; the caller forces the directory. */
    private void writeFile(Path target, byte[] bytes) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
        try {
            try (FileChannel out = io.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                FileIo.writeFully(out, ByteBuffer.wrap(bytes));
                out.force(true);
            }
            io.move(tmp, target, true);
        } finally {
            try {
                io.deleteIfExists(tmp);
            } catch (IOException e) {
                // a leftover temporary file is harmless; the original error matters
            }
        }
    }

    private Path ensureParent(Path path) throws IOException {
        io.createDirectories(path.getParent());
        return path;
    }

    // ---- backups, verify and restore ----

    /** One kept previous version of the file. */
    private record Backup(Path file, long generation) {
    }

    private Path backupFile(long generation) {
        return file.resolveSibling(file.getFileName() + ".bak-" + generation);
    }

    /** The backups, newest first. */
    private List<Backup> backups() {
        Pattern name = Pattern.compile(Pattern.quote(file.getFileName().toString()) + "\\.bak-(\\d+)");
        TreeMap<Long, Path> found = new TreeMap<>();
        try {
            for (Path p : io.list(file.getParent())) {
                Matcher m = name.matcher(p.getFileName().toString());
                if (m.matches()) {
                    found.put(Long.parseLong(m.group(1)), p);
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        List<Backup> result = new ArrayList<>();
        found.descendingMap().forEach((g, p) -> result.add(new Backup(p, g)));
        return result;
    }

    private void pruneBackups() throws IOException {
        List<Backup> backups = backups();
        for (Backup old : backups.subList(Math.min(BACKUPS, backups.size()), backups.size())) {
            io.deleteIfExists(old.file());
        }
    }

    private String remedy(List<Backup> backups) {
        List<String> intact = new ArrayList<>();
        for (Backup b : backups) {
            try {
                Loaded<S> loaded = decode(io.readAllBytes(b.file()));
                intact.add(b.file().getFileName() + " (generation " + loaded.generation() + ")");
            } catch (Damage | IOException e) {
                // damaged backups are listed by verify
            }
        }
        String name = file.getFileName().toString();
        return (intact.isEmpty() ? "No intact backup of it exists. " : "Intact backups: " + String.join(", ", intact)
                + ". ") + "Run 'kubeplatform state verify' for details and 'kubeplatform state restore " + name
                + "' to reinstate the newest intact backup (the damaged file is kept, renamed); with Jenkins, stop "
                + "the controller, copy a backup over " + name + " and start it again. See docs/state-and-recovery.md.";
    }

    /** What {@link #verify} found about one file: the state file itself or one backup. */
    public record FileCheck(String file, boolean backup, boolean intact, long generation, String detail) {
    }

    /** Checks the file and every backup without changing anything; the state file comes first. */
    public List<FileCheck> verify() {
        return shielded(() -> {
            List<FileCheck> checks = new ArrayList<>();
            List<Backup> backups = backups();
            checks.add(check(file, false, backups));
            for (Backup b : backups) {
                checks.add(check(b.file(), true, backups));
            }
            return checks;
        });
    }

    private FileCheck check(Path path, boolean backup, List<Backup> backups) {
        String name = path.getFileName().toString();
        byte[] bytes;
        try {
            bytes = io.readAllBytes(path);
        } catch (NoSuchFileException e) {
            return backups.isEmpty() || backup ? new FileCheck(name, backup, true, 0, "absent (nothing recorded yet)")
                    : new FileCheck(name, backup, false, 0, "missing while " + backups.size() + " backup(s) exist");
        } catch (IOException e) {
            return new FileCheck(name, backup, false, 0, "unreadable: " + describe(e));
        }
        try {
            Loaded<S> loaded = decode(bytes);
            return new FileCheck(name, backup, true, loaded.generation(), (loaded.generation() == 0 && bytes[0] == '{'
                    ? "intact (first format, no checksum; the next change rewrites it)" : "intact, generation "
                    + loaded.generation()) + ", " + bytes.length + " bytes");
        } catch (Damage d) {
            return new FileCheck(name, backup, false, 0, d.getMessage());
        }
    }

    /** What {@link #restore} did. */
    public record Restored(String from, long fromGeneration, long generation, Optional<String> keptAs) {
    }

    /**
     * Reinstates a backup: the given generation, or the newest intact one. A state file that reads is only replaced
     * when a generation is named (that rolls acknowledged changes back); the replaced file is kept as
     * {@code <file>.damaged-<millis>} (or {@code .replaced-<millis>} when intact), never deleted.
     *
     * @throws IllegalArgumentException when there is no such backup, it is damaged, or the file is intact and no
     *                                  generation was named
     */
    public Restored restore(Optional<Long> generation) {
        return shielded(() -> locked(() -> {
            List<Backup> backups = backups();
            FileCheck current = check(file, false, backups);
            boolean exists = io.exists(file);
            if (current.intact() && exists && generation.isEmpty()) {
                throw new IllegalArgumentException(file.getFileName() + " is intact (" + current.detail()
                        + "); restoring would discard acknowledged changes. Name a backup generation to roll back "
                        + "anyway; backups: " + backups.stream().map(b -> String.valueOf(b.generation())).toList());
            }
            Backup chosen = null;
            Loaded<S> loaded = null;
            for (Backup b : backups) {
                if (generation.isPresent() && b.generation() != generation.get()) {
                    continue;
                }
                try {
                    loaded = decode(io.readAllBytes(b.file()));
                    chosen = b;
                    break;
                } catch (Damage d) {
                    if (generation.isPresent()) {
                        throw new IllegalArgumentException(b.file().getFileName() + " is damaged itself: "
                                + d.getMessage());
                    }
                }
            }
            if (chosen == null) {
                throw new IllegalArgumentException(generation.map(g -> "there is no backup " + file.getFileName()
                        + ".bak-" + g).orElse("no intact backup of " + file.getFileName() + " exists") + "; backups: "
                        + backups.stream().map(b -> b.file().getFileName().toString()).toList());
            }
            long next = Math.max(current.generation(), backups.get(0).generation()) + 1;
            Optional<String> kept = Optional.empty();
            if (exists) {
                Path aside = file.resolveSibling(file.getFileName() + (current.intact() ? ".replaced-" : ".damaged-")
                        + System.currentTimeMillis());
                writeFile(aside, io.readAllBytes(file));
                kept = Optional.of(aside.getFileName().toString());
            }
            writeFile(file, encode(loaded.state(), next));
            io.fsyncDirectory(file.getParent());
            return new Restored(chosen.file().getFileName().toString(), chosen.generation(), next, kept);
        }));
    }
}
