package io.jenkins.plugins.kubeplatform.stickyip;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectReader;
import io.jenkins.plugins.kubeplatform.store.Json;
import io.jenkins.plugins.kubeplatform.store.StoreCorruptedException;
import io.jenkins.plugins.kubeplatform.store.StoreException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * The ledger as a snapshot plus an append-only journal, so that a change costs one small append and one fsync
 * however many reservations exist.
 *
 * <p>Files in the directory: {@code ledger-G.snapshot.json} (the whole ledger at generation G, written to a temporary
 * file, fsynced and renamed), {@code ledger-G.journal} (one line per decision after that snapshot:
 * {@code <crc32> <json>}), and {@code ledger.lock}. Every call takes a per-directory lock inside the process and an OS
 * file lock across processes, then catches up by reading only the journal lines appended since its last call (or
 * reloads when another writer compacted). A decision is appended and fsynced before {@link #update} returns. A writer
 * killed mid-append leaves a torn last line without a valid checksum, which readers ignore and the next writer cuts
 * off; it was never acknowledged. After {@code compactAfter} journal lines the writer folds the journal into a new
 * snapshot generation.
 */
public final class JournaledLedgerStore implements LedgerStore {

    static final String FORMAT = "kubeplatform-ip-ledger/1";
    private static final Pattern SNAPSHOT = Pattern.compile("ledger-(\\d+)\\.snapshot\\.json");
    private static final ConcurrentMap<Path, ReentrantLock> PROCESS_LOCKS = new ConcurrentHashMap<>();

    private final Path dir;
    private final Path lockFile;
    private final int compactAfter;
    private final ReentrantLock processLock;

    private LedgerTable table;
    private long generation = -1;
    private long journalEnd;
    private int journalLines;

    public JournaledLedgerStore(Path directory) {
        this(directory, 4096);
    }

    /** @param compactAfter journal lines after which the journal is folded into a new snapshot */
    public JournaledLedgerStore(Path directory, int compactAfter) {
        if (compactAfter < 1) {
            throw new IllegalArgumentException("compactAfter must be positive");
        }
        this.dir = directory.toAbsolutePath().normalize();
        this.lockFile = dir.resolve("ledger.lock");
        this.compactAfter = compactAfter;
        this.processLock = PROCESS_LOCKS.computeIfAbsent(dir, d -> new ReentrantLock());
    }

    public Path directory() {
        return dir;
    }

    @Override
    public <R> R read(Function<LedgerView, R> query) {
        return locked(() -> query.apply(table));
    }

    @Override
    public <R> R update(Function<LedgerView, Decision<R>> decide) {
        return locked(() -> {
            Decision<R> decision = decide.apply(table);
            if (decision.changes().isEmpty()) {
                return decision.result();
            }
            table.check(decision.changes());
            try {
                append(decision.changes());
            } catch (IOException | RuntimeException e) {
                generation = -1; // the journal may hold the line or not: reload on the next call
                throw e instanceof IOException io
                        ? new StoreException("Could not write the IP ledger journal in " + dir + ": " + io.getMessage(), io)
                        : (RuntimeException) e;
            }
            decision.changes().forEach(table::apply);
            if (journalLines >= compactAfter) {
                compact();
            }
            return decision.result();
        });
    }

    private interface Body<R> {
        R run() throws IOException;
    }

    private <R> R locked(Body<R> body) {
        processLock.lock();
        try {
            Files.createDirectories(dir);
            try (FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = lockChannel.lock()) {
                catchUp();
                return body.run();
            }
        } catch (IOException e) {
            throw new StoreException("Could not use the IP ledger in " + dir + ": " + e.getMessage(), e);
        } finally {
            processLock.unlock();
        }
    }

    private Path snapshot(long g) {
        return dir.resolve("ledger-" + g + ".snapshot.json");
    }

    private Path journal(long g) {
        return dir.resolve("ledger-" + g + ".journal");
    }

    private long latestGeneration() throws IOException {
        // fast path, two stats: nobody compacted since our last call (a compaction writes generation+1 before it
        // deletes the files of generation, so while those exist and generation+1 does not, generation is current)
        if (table != null && !Files.exists(snapshot(generation + 1))
                && (generation > 0 ? Files.exists(snapshot(generation)) : journalEnd > 0 && Files.exists(journal(0)))) {
            return generation;
        }
        long latest = 0;
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Matcher m = SNAPSHOT.matcher(p.getFileName().toString());
                if (m.matches()) {
                    latest = Math.max(latest, Long.parseLong(m.group(1)));
                }
            }
        }
        return latest;
    }

    private void catchUp() throws IOException {
        long latest = latestGeneration();
        if (latest != generation || table == null) {
            loadSnapshot(latest);
        }
        readJournal();
    }

    private void loadSnapshot(long g) throws IOException {
        LedgerTable fresh = new LedgerTable();
        Path file = snapshot(g);
        if (Files.exists(file)) {
            try (JsonParser parser = Json.mapper().createParser(file.toFile())) {
                readSnapshot(parser, fresh);
            } catch (IOException | IllegalArgumentException e) {
                throw new StoreCorruptedException(file, e);
            }
        }
        table = fresh;
        generation = g;
        journalEnd = 0;
        journalLines = 0;
        for (long older = g - 1; older >= 0 && (Files.exists(snapshot(older)) || Files.exists(journal(older))); older--) {
            // left behind by a writer that died between switching generations and deleting the old files
            Files.deleteIfExists(journal(older));
            Files.deleteIfExists(snapshot(older));
        }
    }

    /** Streams the snapshot's reservations into {@code table} without building a tree of the whole file. */
    private static void readSnapshot(JsonParser parser, LedgerTable table) throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw new IOException("not a JSON object");
        }
        String format = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            if ("format".equals(field)) {
                format = parser.getValueAsString();
            } else if ("reservations".equals(field) && parser.currentToken() == JsonToken.START_ARRAY) {
                if (!FORMAT.equals(format)) {
                    throw new IOException("expected format '" + FORMAT + "' before the reservations");
                }
                ObjectReader reader = Json.mapper().readerFor(Reservation.class);
                while (parser.nextToken() == JsonToken.START_OBJECT) {
                    table.apply(new LedgerChange.Put(reader.readValue(parser)));
                }
            } else {
                parser.skipChildren();
            }
        }
        if (!FORMAT.equals(format)) {
            throw new IOException("expected format '" + FORMAT + "'");
        }
    }

    /** One journal line as written: the changes of one decision. */
    record JournalLine(List<JournalEntry> changes) {
    }

    /** One change: exactly one of the two is set. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record JournalEntry(Reservation put, String remove) {
    }

    private static final ObjectReader LINE_READER = Json.mapper().readerFor(JournalLine.class);

    /** Applies the journal lines after {@link #journalEnd}; stops before a torn last line. */
    private void readJournal() throws IOException {
        Path file = journal(generation);
        byte[] tail;
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = in.size();
            if (size < journalEnd) {
                loadSnapshot(generation); // cut back by a writer repairing a torn line we had not seen: start over
                readJournal();
                return;
            }
            tail = new byte[(int) (size - journalEnd)];
            ByteBuffer buffer = ByteBuffer.wrap(tail);
            in.position(journalEnd);
            while (buffer.hasRemaining() && in.read(buffer) >= 0) {
                // keep reading
            }
        } catch (NoSuchFileException e) {
            return;
        }
        int start = 0;
        while (start < tail.length) {
            int newline = indexOf(tail, (byte) '\n', start);
            List<LedgerChange> changes = newline < 0 ? null : parseLine(tail, start, newline);
            if (changes == null) {
                if (newline >= 0 && hasValidLineAfter(tail, newline + 1)) {
                    throw new StoreCorruptedException(file, new IOException("journal line at byte "
                            + (journalEnd) + " is damaged but later lines are intact"));
                }
                return; // torn tail: never acknowledged
            }
            changes.forEach(table::apply);
            journalLines++;
            journalEnd += newline + 1 - start;
            start = newline + 1;
        }
    }

    private static boolean hasValidLineAfter(byte[] bytes, int from) {
        int start = from;
        while (start < bytes.length) {
            int newline = indexOf(bytes, (byte) '\n', start);
            if (newline < 0) {
                return false;
            }
            if (parseLine(bytes, start, newline) != null) {
                return true;
            }
            start = newline + 1;
        }
        return false;
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** The changes of one line, or null when its checksum or JSON does not hold. */
    private static List<LedgerChange> parseLine(byte[] bytes, int start, int end) {
        if (end - start < 10 || bytes[start + 8] != ' ') {
            return null;
        }
        String crcText = new String(bytes, start, 8, StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(bytes, start + 9, end - start - 9);
        if (!String.format(Locale.ROOT, "%08x", crc.getValue()).equals(crcText)) {
            return null;
        }
        try {
            JournalLine line = LINE_READER.readValue(bytes, start + 9, end - start - 9);
            if (line == null || line.changes() == null) {
                return null;
            }
            List<LedgerChange> changes = new ArrayList<>(line.changes().size());
            for (JournalEntry c : line.changes()) {
                if (c.put() != null) {
                    changes.add(new LedgerChange.Put(c.put()));
                } else if (c.remove() != null) {
                    changes.add(new LedgerChange.Remove(c.remove()));
                } else {
                    return null;
                }
            }
            return changes;
        } catch (IOException | IllegalArgumentException | NullPointerException e) {
            return null;
        }
    }

    private static byte[] encode(List<LedgerChange> changes) {
        List<JournalEntry> entries = new ArrayList<>(changes.size());
        for (LedgerChange change : changes) {
            if (change instanceof LedgerChange.Put put) {
                entries.add(new JournalEntry(put.reservation(), null));
            } else if (change instanceof LedgerChange.Remove remove) {
                entries.add(new JournalEntry(null, remove.identity()));
            }
        }
        byte[] json;
        try {
            json = Json.mapper().writeValueAsBytes(new JournalLine(entries));
        } catch (IOException e) {
            throw new IllegalStateException("ledger change is not serializable", e);
        }
        CRC32 crc = new CRC32();
        crc.update(json);
        ByteArrayOutputStream out = new ByteArrayOutputStream(json.length + 10);
        out.writeBytes(String.format(Locale.ROOT, "%08x ", crc.getValue()).getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(json);
        out.write('\n');
        return out.toByteArray();
    }

    private void append(List<LedgerChange> changes) throws IOException {
        byte[] line = encode(changes);
        Path file = journal(generation);
        boolean created = !Files.exists(file);
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            if (out.size() > journalEnd) {
                out.truncate(journalEnd); // a torn line left by a writer that died mid-append
            }
            out.position(journalEnd);
            ByteBuffer buffer = ByteBuffer.wrap(line);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            out.force(false);
        }
        if (created) {
            fsyncDirectory();
        }
        journalEnd += line.length;
        journalLines++;
    }

    private void compact() throws IOException {
        long next = generation + 1;
        Path tmp = dir.resolve(".ledger-" + next + ".tmp-" + UUID.randomUUID());
        try {
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutputStream stream = Channels.newOutputStream(out);
                var generator = Json.mapper().getFactory().createGenerator(stream);
                generator.writeStartObject();
                generator.writeStringField("format", FORMAT);
                generator.writeNumberField("generation", next);
                generator.writeArrayFieldStart("reservations");
                for (Reservation r : table.all()) {
                    Json.mapper().writeValue(generator, r);
                }
                generator.writeEndArray();
                generator.writeEndObject();
                generator.flush();
                out.force(true);
            }
            Files.move(tmp, snapshot(next), StandardCopyOption.ATOMIC_MOVE);
            fsyncDirectory();
        } finally {
            Files.deleteIfExists(tmp);
        }
        // the new snapshot holds everything; older files are now garbage (removed after the switch is durable)
        Files.deleteIfExists(journal(generation));
        Files.deleteIfExists(snapshot(generation));
        generation = next;
        journalEnd = 0;
        journalLines = 0;
    }

    private void fsyncDirectory() throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("win")) {
                throw e instanceof IOException io ? io : new IOException(e);
            }
        }
    }
}
