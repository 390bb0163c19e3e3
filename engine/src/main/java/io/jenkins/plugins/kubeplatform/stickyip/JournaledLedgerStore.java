package io.jenkins.plugins.kubeplatform.stickyip;

import io.jenkins.plugins.kubeplatform.store.FileIo;
import io.jenkins.plugins.kubeplatform.store.StoreCorruptedException;
import io.jenkins.plugins.kubeplatform.store.StoreException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ledger as snapshots plus a journal in numbered segments, so a change costs one small append and one shared
 * fsync however many reservations exist, and no caller ever waits for a snapshot.
 *
 * <p>Files: {@code journal-N.log} (segment N: records of decisions, each with a checksum that is its commit marker,
 * closed by a seal record), {@code snapshot-N.bin} (the ledger after every segment below N, in checksummed blocks),
 * {@code ledger.lock}. The lock file and the current segment stay open for the life of the store; each call takes
 * the per-directory lock of this process and the OS file lock across processes, and catches up by reading only what
 * other writers appended (two {@code stat}s and one {@code size} when nobody did).
 *
 * <p>Group commit: a decision is appended under the locks, the locks are released, and the caller waits until a
 * {@code force} covering its record has returned; one caller forces for everyone whose record was written by then.
 * Nothing is acknowledged before it is durable, and a failed force fails every caller it covered.
 *
 * <p>Compaction: after {@code rotateAfter} records the writer seals the segment and starts the next; a background
 * thread then folds the previous snapshot and the sealed segments (immutable files, read without any lock) into a new
 * snapshot (temporary file, fsync, rename, directory fsync). The last {@link #BACKUPS} snapshots and the segments
 * after the oldest of them are kept, so any kept snapshot plus the journal rebuilds the ledger.
 */
public final class JournaledLedgerStore implements LedgerStore, AutoCloseable {

    /** Snapshots kept (the newest plus older ones to restore from). */
    public static final int BACKUPS = 3;
    private static final Logger LOG = Logger.getLogger(JournaledLedgerStore.class.getName());
    private static final Pattern SEGMENT = Pattern.compile("journal-(\\d+)\\.log");
    private static final Pattern SNAPSHOT = Pattern.compile("snapshot-(\\d+)\\.bin");
    private static final Pattern TEMP = Pattern.compile("\\.(?:snapshot|journal)-\\d+\\.tmp-(\\d+)-.*");
    private static final Pattern OLD_FORMAT = Pattern.compile("ledger-\\d+\\.(snapshot\\.json|journal)");
    private static final ConcurrentMap<Path, ReentrantLock> PROCESS_LOCKS = new ConcurrentHashMap<>();
    private static final ExecutorService COMPACTOR = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "ip-ledger-compaction");
        t.setDaemon(true);
        return t;
    });

    private final Path dir;
    private final FileIo io;
    private final int rotateAfter;
    private final ReentrantLock processLock;

    // guarded by processLock
    private FileChannel lockChannel;
    private LedgerTable table;
    private FileChannel journal;
    private long segment = -1;
    private long journalEnd;
    private int segmentRecords;
    private boolean sealed;
    private long lastSeq;
    private boolean reload = true;
    private volatile Future<?> compaction;
    private volatile Runnable compactionHook = () -> { };
    private volatile long longestHold; // written under processLock
    /** Set on a compaction's reader: replayed changes go here instead of into {@link #table}. */
    private Consumer<List<LedgerChange>> replayInto;

    // group commit, guarded by the monitor
    private final Object commit = new Object();
    private long writtenSeq;
    private FileChannel writtenChannel;
    private long durableSeq;
    private long failedThrough = -1;
    private IOException failure;
    private boolean forcing;
    private long forces;
    private long markerSeq;

    public JournaledLedgerStore(Path directory) {
        this(directory, 4096);
    }

    /** @param rotateAfter journal records after which the segment is sealed and folded into a snapshot */
    public JournaledLedgerStore(Path directory, int rotateAfter) {
        this(directory, rotateAfter, FileIo.nio());
    }

    /** @param io the file system (tests: one that models the page cache and power cuts) */
    public JournaledLedgerStore(Path directory, int rotateAfter, FileIo io) {
        this.io = java.util.Objects.requireNonNull(io);
        if (rotateAfter < 1) {
            throw new IllegalArgumentException("rotateAfter must be positive");
        }
        this.dir = directory.toAbsolutePath().normalize();
        this.rotateAfter = rotateAfter;
        this.processLock = PROCESS_LOCKS.computeIfAbsent(dir, d -> new ReentrantLock());
    }

    public Path directory() {
        return dir;
    }

    @Override
    public <R> R read(Function<LedgerView, R> query) {
        long[] seen = new long[1];
        R result = locked(() -> {
            R r = query.apply(table);
            seen[0] = lastSeq;
            return r;
        });
        awaitDurable(seen[0]);
        return result;
    }

    @Override
    public <R> R update(Function<LedgerView, Decision<R>> decide) {
        long[] mine = new long[1];
        R result = locked(() -> {
            Decision<R> decision = decide.apply(table);
            mine[0] = lastSeq;
            if (decision.changes().isEmpty()) {
                return decision.result();
            }
            table.check(decision.changes());
            byte[] payload = LedgerCodec.encodeChanges(decision.changes());
            try {
                append(LedgerCodec.CHANGES, payload);
            } catch (IOException | RuntimeException e) {
                reload = true; // the segment may hold the record or not: reload on the next call
                throw e instanceof IOException io ? new StoreException("Could not write the IP ledger journal in "
                        + dir + ": " + io.getMessage(), io) : (RuntimeException) e;
            }
            decision.changes().forEach(table::apply);
            mine[0] = lastSeq;
            if (segmentRecords >= rotateAfter) {
                rotate();
            }
            return decision.result();
        });
        awaitDurable(mine[0]);
        return result;
    }

    /**
     * Reads the ledger in pages of at most {@code pageSize} reservations, taking the lock once per page, so a scan of
     * a million entries never holds up allocations for longer than one page. Entries changed between pages may be
     * seen in either state, or (when moved to another slot) missed or seen twice; callers act only on holders that
     * are unchanged when they act.
     */
    @Override
    public void scan(int pageSize, Consumer<List<Reservation>> pageConsumer) {
        int cursor = 0;
        while (cursor >= 0) {
            int from = cursor;
            List<Reservation> page = new ArrayList<>(pageSize);
            cursor = locked(() -> table.page(from, pageSize, page::add));
            pageConsumer.accept(page);
        }
    }

    private interface Body<R> {
        R run() throws IOException;
    }

    private <R> R locked(Body<R> body) {
        return locked(true, body);
    }

    private <R> R locked(boolean catchUp, Body<R> body) {
        processLock.lock();
        try {
            if (lockChannel == null || !lockChannel.isOpen()) {
                io.createDirectories(dir);
                lockChannel = io.open(dir.resolve("ledger.lock"), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE, StandardOpenOption.READ);
            }
            try (FileLock ignored = lockChannel.lock()) {
                long held = System.nanoTime();
                try {
                    if (catchUp) {
                        catchUp();
                    }
                    return body.run();
                } finally {
                    longestHold = Math.max(longestHold, System.nanoTime() - held);
                }
            }
        } catch (IOException e) {
            reload = true;
            throw new StoreException("Could not use the IP ledger in " + dir + ": " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            reload = true;
            throw new StoreException("Could not use the IP ledger in " + dir + ": " + e.getCause().getMessage(), e);
        } finally {
            processLock.unlock();
        }
    }

    // ---- group commit ----

    private void awaitDurable(long seq) {
        while (true) {
            long target;
            FileChannel channel;
            synchronized (commit) {
                while (durableSeq < seq && forcing) {
                    try {
                        commit.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new StoreException("Interrupted while waiting for the IP ledger journal in " + dir
                                + " to be durable; the change may or may not be recorded", null);
                    }
                }
                if (durableSeq >= seq) {
                    return;
                }
                if (seq <= failedThrough) {
                    throw new StoreException("Could not make the IP ledger journal in " + dir + " durable: "
                            + failure.getMessage() + "; the change may or may not be recorded", failure);
                }
                // lead one force for every record written so far; callers arriving meanwhile wait for the next one
                forcing = true;
                target = writtenSeq;
                channel = writtenChannel;
            }
            IOException error = null;
            try {
                channel.force(false);
            } catch (java.nio.channels.ClosedChannelException e) {
                // closed by a rotation, which forced the segment first: covered unless durableSeq says otherwise
            } catch (IOException e) {
                error = e;
            }
            synchronized (commit) {
                forcing = false;
                forces++;
                if (error == null && (durableSeq >= target || channel.isOpen())) {
                    durableSeq = Math.max(durableSeq, target);
                } else if (error == null) {
                    error = new IOException("the journal segment was closed before it was forced");
                }
                if (error != null) {
                    failure = error;
                    failedThrough = Math.max(failedThrough, target);
                    reload = true;
                }
                commit.notifyAll();
            }
            if (error == null) {
                commitMarker(target);
            }
        }
    }

    /**
     * Records the highest durable sequence number in the lock file (not forced: it may lag, never lead, because it
     * is written after the force), so a journal cut back at a record boundary is told apart from a clean end.
     */
    private void commitMarker(long seq) {
        FileChannel channel = lockChannel;
        if (channel == null) {
            return;
        }
        ByteBuffer b = ByteBuffer.allocate(16).putLong(seq);
        byte[] bytes = b.array();
        b.putInt(LedgerCodec.crc(bytes, 0, 8)).putInt(LedgerCodec.JOURNAL_MAGIC).flip();
        try {
            synchronized (commit) {
                if (seq < markerSeq) {
                    return;
                }
                markerSeq = seq;
            }
            channel.write(b, 0);
        } catch (IOException e) {
            // only a diagnostic; the journal itself is durable
        }
    }

    /** The committed sequence number recorded in the lock file, or -1. */
    private long readCommitMarker() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(16);
        if (readAt(lockChannel, b, 0) < 16 || b.getInt(12) != LedgerCodec.JOURNAL_MAGIC
                || LedgerCodec.crc(b.array(), 0, 8) != b.getInt(8)) {
            return -1;
        }
        return b.getLong(0);
    }

    private void written(long seq, FileChannel channel) {
        synchronized (commit) {
            writtenSeq = Math.max(writtenSeq, seq);
            writtenChannel = channel;
        }
    }

    private void markDurable(long seq) {
        synchronized (commit) {
            durableSeq = Math.max(durableSeq, seq);
            commit.notifyAll();
        }
    }

    // ---- files ----

    private Path segmentFile(long n) {
        return dir.resolve("journal-" + n + ".log");
    }

    private Path snapshotFile(long n) {
        return dir.resolve("snapshot-" + n + ".bin");
    }

    /** Segment and snapshot numbers present in the directory. */
    record Listing(TreeSet<Long> segments, TreeSet<Long> snapshots, List<Path> temporary, List<Path> oldFormat) {
    }

    Listing list() throws IOException {
        TreeSet<Long> segments = new TreeSet<>();
        TreeSet<Long> snapshots = new TreeSet<>();
        List<Path> temporary = new ArrayList<>();
        List<Path> old = new ArrayList<>();
        if (!io.isDirectory(dir)) {
            return new Listing(segments, snapshots, temporary, old);
        }
        for (Path p : io.list(dir)) {
            String name = p.getFileName().toString();
            Matcher m;
            if ((m = SEGMENT.matcher(name)).matches()) {
                segments.add(Long.parseLong(m.group(1)));
            } else if ((m = SNAPSHOT.matcher(name)).matches()) {
                snapshots.add(Long.parseLong(m.group(1)));
            } else if (TEMP.matcher(name).matches()) {
                temporary.add(p);
            } else if (OLD_FORMAT.matcher(name).matches()) {
                old.add(p);
            }
        }
        return new Listing(segments, snapshots, temporary, old);
    }

    private void catchUp() throws IOException {
        if (!reload && journal != null && io.exists(segmentFile(segment)) && !io.exists(segmentFile(segment + 1))) {
            if (journal.size() != journalEnd) {
                readSegment(journal, segment, true);
                written(lastSeq, journal);
            }
            return;
        }
        if (!reload && journal != null && io.exists(segmentFile(segment + 1))) {
            // another writer rotated: finish our segment (readable even if already removed), then follow the next
            readSegment(journal, segment, false);
            markDurable(lastSeq); // the writer that sealed it forced it after our last append
            long next = segment + 1;
            while (io.exists(segmentFile(next))) {
                FileChannel channel;
                try {
                    channel = io.open(segmentFile(next), StandardOpenOption.READ, StandardOpenOption.WRITE);
                } catch (NoSuchFileException e) {
                    break;
                }
                closeQuietly(journal);
                journal = channel;
                segment = next;
                journalEnd = 0;
                segmentRecords = 0;
                sealed = false;
                boolean last = !io.exists(segmentFile(next + 1));
                readSegment(journal, segment, last);
                if (last) {
                    written(lastSeq, journal);
                    return;
                }
                next++;
            }
        }
        load();
    }

    /** Loads the newest snapshot and replays the journal after it; refuses damage it cannot explain. */
    private void load() throws IOException {
        closeQuietly(journal);
        journal = null;
        table = null;
        reload = true;
        Listing listing = list();
        if (!listing.oldFormat().isEmpty() && listing.segments().isEmpty() && listing.snapshots().isEmpty()) {
            LedgerTable migrated = LegacyLedgerFormat.read(dir);
            table = migrated;
            lastSeq = 0;
            segment = 0;
            writeSnapshotFile(0, migrated, 0);
            startSegment(0, 1);
            for (Path old : listing.oldFormat()) {
                io.move(old, dir.resolve(old.getFileName() + ".migrated"), false);
            }
            fsyncDirectory();
            reload = false;
            return;
        }
        for (Path tmp : listing.temporary()) {
            Matcher m = TEMP.matcher(tmp.getFileName().toString());
            if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).filter(ProcessHandle::isAlive).isEmpty()) {
                io.deleteIfExists(tmp); // left by a compaction or rotation whose process died
            }
        }
        LedgerTable fresh = new LedgerTable();
        long start = 0;
        long seq = 0;
        if (!listing.snapshots().isEmpty()) {
            start = listing.snapshots().last();
            Path file = snapshotFile(start);
            try (FileChannel in = io.open(file, StandardOpenOption.READ)) {
                LedgerCodec.SnapshotInfo info = LedgerCodec.readSnapshot(in, fresh);
                if (info.number() != start) {
                    throw new IOException("it says it is snapshot " + info.number());
                }
                seq = info.lastSeq();
            } catch (IOException e) {
                throw corrupted(file, e);
            }
        }
        table = fresh;
        lastSeq = seq;
        List<Long> replay = new ArrayList<>(listing.segments().tailSet(start));
        if (!listing.snapshots().isEmpty() && (replay.isEmpty() || replay.get(0) != start)) {
            throw corrupted(segmentFile(start), new IOException("journal segment " + start + ", which must follow "
                    + "snapshot " + start + ", is missing"));
        }
        if (listing.snapshots().isEmpty() && !replay.isEmpty() && replay.get(0) != 0) {
            throw corrupted(snapshotFile(replay.get(0)), new IOException("the journal starts at segment "
                    + replay.get(0) + " but no snapshot covers the segments before it (deleted?)"));
        }
        for (int i = 0; i < replay.size(); i++) {
            long n = replay.get(i);
            if (i > 0 && n != replay.get(i - 1) + 1) {
                throw corrupted(segmentFile(replay.get(i - 1) + 1), new IOException("journal segment "
                        + (replay.get(i - 1) + 1) + " is missing between " + replay.get(i - 1) + " and " + n));
            }
            boolean last = i == replay.size() - 1;
            FileChannel channel = io.open(segmentFile(n), StandardOpenOption.READ, StandardOpenOption.WRITE);
            segment = n;
            journalEnd = 0;
            segmentRecords = 0;
            sealed = false;
            try {
                readSegment(channel, n, last);
            } catch (RuntimeException | IOException e) {
                closeQuietly(channel);
                throw e;
            }
            if (last) {
                journal = channel;
            } else {
                closeQuietly(channel);
            }
        }
        long committed = readCommitMarker();
        if (committed > lastSeq) {
            Path file = replay.isEmpty() ? segmentFile(0) : segmentFile(replay.get(replay.size() - 1));
            throw corrupted(file, new IOException("the journal ends at record " + lastSeq + " but records up to "
                    + committed + " were acknowledged (truncated, emptied or deleted)"));
        }
        if (journal == null && !listing.snapshots().isEmpty()) {
            startSegment(start, lastSeq + 1);
        }
        if (journal != null) {
            written(lastSeq, journal);
        }
        reload = false;
        if (replay.size() > 1) {
            scheduleCompaction(segment); // sealed segments not folded yet (a compaction was interrupted)
        }
    }

    private StoreCorruptedException corrupted(Path file, IOException cause) {
        return new StoreCorruptedException(file, new IOException(cause.getMessage() + ". Nothing was written. Run "
                + "'kubeplatform ip-ledger verify' for details and 'kubeplatform ip-ledger restore' to rebuild the "
                + "ledger from an older snapshot and the journal (see docs/state-and-recovery.md)", cause));
    }

    /**
     * Applies the records of a segment from {@link #journalEnd}. In the last segment an incomplete or unreadable
     * record with nothing valid after it is a torn append (never acknowledged) and ends the segment; anything else
     * is damage.
     */
    private void readSegment(FileChannel channel, long n, boolean last) throws IOException {
        long size = channel.size();
        Path file = segmentFile(n);
        if (journalEnd == 0) {
            if (size < LedgerCodec.SEGMENT_HEADER) {
                throw corrupted(file, new IOException("it is " + size + " bytes long, shorter than its header "
                        + "(emptied or truncated)"));
            }
            ByteBuffer h = ByteBuffer.allocate(LedgerCodec.SEGMENT_HEADER);
            channel.read(h, 0);
            h.flip();
            if (h.getInt(0) != LedgerCodec.JOURNAL_MAGIC
                    || LedgerCodec.crc(h, 0, LedgerCodec.SEGMENT_HEADER - 4) != h.getInt(LedgerCodec.SEGMENT_HEADER - 4)) {
                throw corrupted(file, new IOException("its header is damaged (not a ledger journal segment)"));
            }
            if (h.getLong(6) != n || h.getLong(14) != lastSeq + 1) {
                throw corrupted(file, new IOException("it is segment " + h.getLong(6) + " starting at record "
                        + h.getLong(14) + ", but record " + (lastSeq + 1) + " of segment " + n + " comes next"));
            }
            journalEnd = LedgerCodec.SEGMENT_HEADER;
        }
        while (journalEnd < size) {
            if (sealed) {
                throw corrupted(file, new IOException((size - journalEnd) + " bytes follow the seal at byte "
                        + journalEnd));
            }
            long at = journalEnd;
            String problem = null;
            ByteBuffer header = ByteBuffer.allocate(LedgerCodec.RECORD_HEADER);
            int got = readAt(channel, header, at);
            int length = 0;
            long seq = 0;
            byte type = 0;
            ByteBuffer payload = null;
            if (got < LedgerCodec.RECORD_HEADER) {
                problem = "an incomplete record header";
            } else {
                length = header.getInt(0);
                seq = header.getLong(4);
                type = header.get(12);
                if (LedgerCodec.crc(header, 0, 13) != header.getInt(13)) {
                    problem = "a record header that fails its checksum";
                } else if (length < 0 || length > LedgerCodec.MAX_PAYLOAD) {
                    problem = "a record of impossible length " + length;
                } else {
                    payload = ByteBuffer.allocate(length + 4);
                    if (readAt(channel, payload, at + LedgerCodec.RECORD_HEADER) < length + 4) {
                        problem = "an incomplete record (no commit marker)";
                    } else if (LedgerCodec.crc(payload, 0, length) != payload.getInt(length)) {
                        problem = "a record whose checksum does not match";
                    } else if (seq != lastSeq + 1) {
                        problem = "record " + seq + " where record " + (lastSeq + 1) + " was expected";
                    }
                }
            }
            if (problem != null) {
                if (last && !validRecordAfter(channel, at + 1, size)) {
                    return; // torn tail: the writer died mid-append; it was never acknowledged
                }
                throw corrupted(file, new IOException("byte " + at + " holds " + problem
                        + (last ? " and intact records follow it" : " in a sealed segment")));
            }
            payload.limit(length);
            if (type == LedgerCodec.CHANGES) {
                List<LedgerChange> changes;
                try {
                    changes = LedgerCodec.decodeChanges(payload);
                    if (replayInto == null) {
                        table.check(changes);
                    }
                } catch (IOException | IllegalArgumentException | IllegalStateException e) {
                    throw corrupted(file, new IOException("record " + seq + " at byte " + at + " is refused: "
                            + e.getMessage()));
                }
                if (replayInto == null) {
                    changes.forEach(table::apply);
                } else {
                    replayInto.accept(changes);
                }
                segmentRecords++;
            } else if (type == LedgerCodec.SEAL) {
                sealed = true;
            } else {
                throw corrupted(file, new IOException("record " + seq + " at byte " + at + " has unknown type " + type));
            }
            lastSeq = seq;
            journalEnd = at + LedgerCodec.RECORD_HEADER + length + 4;
        }
        if (!last && !sealed) {
            throw corrupted(file, new IOException("it ends at byte " + size + " without its seal record "
                    + "(truncated), although segment " + (n + 1) + " follows"));
        }
    }

    private static int readAt(FileChannel channel, ByteBuffer b, long position) throws IOException {
        int total = 0;
        while (b.hasRemaining()) {
            int n = channel.read(b, position + total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        b.flip();
        return total;
    }

    /** Whether any intact record header starts after {@code from}: damage, not a torn tail. */
    private static boolean validRecordAfter(FileChannel channel, long from, long size) throws IOException {
        long remaining = size - from;
        if (remaining < LedgerCodec.RECORD_HEADER) {
            return false;
        }
        ByteBuffer tail = ByteBuffer.allocate((int) Math.min(remaining, 64L << 20));
        readAt(channel, tail, from);
        for (int i = 0; i + LedgerCodec.RECORD_HEADER <= tail.limit(); i++) {
            int length = tail.getInt(i);
            if (length >= 0 && length <= LedgerCodec.MAX_PAYLOAD
                    && LedgerCodec.crc(tail, i, i + 13) == tail.getInt(i + 13)) {
                return true;
            }
        }
        return false;
    }

    private void append(byte type, byte[] payload) throws IOException {
        if (journal == null) {
            startSegment(0, lastSeq + 1);
        } else if (sealed) {
            startSegment(segment + 1, lastSeq + 1); // the previous writer died between sealing and the next segment
        }
        if (journal.size() > journalEnd) {
            journal.truncate(journalEnd); // a torn append of a writer that died; never acknowledged
        }
        ByteBuffer record = LedgerCodec.record(lastSeq + 1, type, payload);
        int length = record.remaining();
        long at = journalEnd;
        while (record.hasRemaining()) {
            at += journal.write(record, at);
        }
        journalEnd += length;
        lastSeq++;
        if (type == LedgerCodec.CHANGES) {
            segmentRecords++;
        }
        written(lastSeq, journal);
    }

    /** Seals the current segment, makes it durable, starts the next and lets the background fold the sealed ones. */
    private void rotate() throws IOException {
        append(LedgerCodec.SEAL, new byte[0]);
        sealed = true;
        journal.force(false);
        markDurable(lastSeq);
        long next = segment + 1;
        startSegment(next, lastSeq + 1);
        scheduleCompaction(next);
    }

    /** Creates segment {@code n} atomically (header written and forced before it gets its name) and switches to it. */
    private void startSegment(long n, long firstSeq) throws IOException {
        io.createDirectories(dir);
        Path tmp = dir.resolve(".journal-" + n + ".tmp-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID());
        try {
            try (FileChannel out = io.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                LedgerCodec.writeFully(out, LedgerCodec.segmentHeader(n, firstSeq));
                out.force(true);
            }
            io.move(tmp, segmentFile(n), false);
            fsyncDirectory();
        } finally {
            io.deleteIfExists(tmp);
        }
        closeQuietly(journal);
        journal = io.open(segmentFile(n), StandardOpenOption.READ, StandardOpenOption.WRITE);
        segment = n;
        journalEnd = LedgerCodec.SEGMENT_HEADER;
        segmentRecords = 0;
        sealed = false;
    }

    // ---- compaction ----

    private void scheduleCompaction(long upTo) {
        compaction = COMPACTOR.submit(() -> {
            try {
                compact(upTo);
            } catch (IOException | RuntimeException e) {
                // the journal still holds everything; the next rotation (or open) tries again
                LOG.log(Level.WARNING, "IP ledger compaction in " + dir + " failed: " + e.getMessage(), e);
            }
        });
    }

    /**
     * Seals the current segment now and folds the journal into a new snapshot in the background, like a rotation
     * does; returns at once (allocations go on), {@link #awaitCompaction} waits for the snapshot.
     */
    public void checkpoint() {
        locked(() -> {
            if (journal != null && journalEnd > LedgerCodec.SEGMENT_HEADER) {
                rotate();
            }
            return null;
        });
    }

    /** Waits for the compaction this store started last, if any (tests and the benchmark). */
    public void awaitCompaction() throws Exception {
        Future<?> f = compaction;
        if (f != null) {
            f.get();
        }
    }

    /** Test hook: runs while a compaction has written part of its snapshot. */
    void onCompaction(Runnable hook) {
        this.compactionHook = hook;
    }

    /**
     * Writes {@code snapshot-upTo} from the newest older snapshot and the sealed segments, without any lock and
     * without a second table: the sealed segments' changes are folded into an overlay (latest state per identity
     * they touch), then the older snapshot is streamed block by block into the new one, entries the overlay decides
     * being replaced by it. Memory follows the changes in the journal, not the size of the ledger.
     */
    void compact(long upTo) throws IOException {
        Listing listing = list();
        if (listing.snapshots().contains(upTo) || listing.segments().isEmpty()
                || !listing.segments().contains(upTo)) {
            return;
        }
        Long base = listing.snapshots().floor(upTo);
        // opened now and read later: a compaction of another store may prune it meanwhile
        try (FileChannel baseChannel = base == null ? null : openBase(base)) {
            compact(upTo, base, baseChannel);
        } catch (NoSuchFileException e) {
            // folded by another process meanwhile
        }
    }

    private FileChannel openBase(long base) throws IOException {
        return io.open(snapshotFile(base), StandardOpenOption.READ);
    }

    private void compact(long upTo, Long base, FileChannel baseChannel) throws IOException {
        long seq = 0;
        long from = 0;
        if (base != null) {
            seq = LedgerCodec.readSnapshotInfo(baseChannel).lastSeq();
            from = base;
        }
        // latest state per identity the journal touched, in journal order; a null value: removed
        java.util.Map<String, Reservation> overlay = new java.util.LinkedHashMap<>();
        JournaledLedgerStore reader = new JournaledLedgerStore(dir, Integer.MAX_VALUE, io);
        reader.replayInto = changes -> {
            for (LedgerChange change : changes) {
                if (change instanceof LedgerChange.Put put) {
                    overlay.put(put.reservation().identity(), put.reservation());
                } else if (change instanceof LedgerChange.Remove remove) {
                    overlay.put(remove.identity(), null);
                }
            }
        };
        reader.lastSeq = seq;
        for (long n = from; n < upTo; n++) {
            try (FileChannel in = io.open(segmentFile(n), StandardOpenOption.READ)) {
                reader.segment = n;
                reader.journalEnd = 0;
                reader.sealed = false;
                reader.readSegment(in, n, false);
            } catch (NoSuchFileException e) {
                return; // folded by another process meanwhile
            }
        }
        LedgerCodec.RawSource merged = visitor -> {
            if (baseChannel != null) {
                LedgerCodec.readSnapshot(baseChannel.position(0), LedgerCodec.streaming(visitor, overlay::containsKey));
            }
            for (Reservation r : overlay.values()) {
                if (r != null) {
                    LedgerCodec.visit(r, visitor);
                }
            }
        };
        writeSnapshotFile(upTo, merged, reader.lastSeq);
        locked(() -> {
            prune();
            return null;
        });
    }

    private void writeSnapshotFile(long n, LedgerTable source, long seq) throws IOException {
        writeSnapshotFile(n, source::forEachRaw, seq);
    }

    private void writeSnapshotFile(long n, LedgerCodec.RawSource source, long seq) throws IOException {
        io.createDirectories(dir);
        Path tmp = dir.resolve(".snapshot-" + n + ".tmp-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID());
        try {
            try (FileChannel out = io.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                LedgerCodec.writeSnapshot(source, out, n, seq);
                compactionHook.run();
                out.force(true);
            }
            io.move(tmp, snapshotFile(n), false);
            fsyncDirectory();
        } finally {
            io.deleteIfExists(tmp);
        }
    }

    /** Keeps the newest {@link #BACKUPS} snapshots and the segments from the oldest kept one on. */
    private void prune() throws IOException {
        Listing listing = list();
        List<Long> snapshots = new ArrayList<>(listing.snapshots().descendingSet());
        if (snapshots.isEmpty()) {
            return;
        }
        long oldestKept = snapshots.get(Math.min(BACKUPS, snapshots.size()) - 1);
        for (long s : snapshots.subList(Math.min(BACKUPS, snapshots.size()), snapshots.size())) {
            io.deleteIfExists(snapshotFile(s));
        }
        for (long n : listing.segments().headSet(oldestKept)) {
            if (n < segment) {
                io.deleteIfExists(segmentFile(n));
            }
        }
    }

    // ---- verify and restore ----

    /**
     * What one file of the ledger looks like to {@link #verify}: whether it reads, and whether the journal replays
     * from it up to the last acknowledged record.
     */
    public record FileCheck(String file, boolean intact, boolean replays, String detail) {
    }

    /**
     * The state the journal rebuilds from one snapshot: the table, how far the replay got, and the first damage
     * it stopped at (empty when the whole journal after the snapshot replayed).
     */
    record Replay(long snapshot, LedgerTable table, long lastSeq, long reservations, Optional<String> damage) {
    }

    /** Replays the journal from snapshot {@code start} (-1: from the beginning) until the end or the first damage. */
    private Replay replayFrom(Listing listing, long start) {
        LedgerTable folded = new LedgerTable();
        long seq = 0;
        long from = 0;
        if (start >= 0) {
            try (FileChannel in = io.open(snapshotFile(start), StandardOpenOption.READ)) {
                LedgerCodec.SnapshotInfo info = LedgerCodec.readSnapshot(in, folded);
                seq = info.lastSeq();
            } catch (IOException e) {
                return new Replay(start, null, 0, 0, Optional.of(snapshotFile(start).getFileName() + ": "
                        + e.getMessage()));
            }
            from = start;
        }
        JournaledLedgerStore reader = new JournaledLedgerStore(dir, Integer.MAX_VALUE, io);
        reader.table = folded;
        reader.lastSeq = seq;
        List<Long> segments = new ArrayList<>(listing.segments().tailSet(from));
        if (start >= 0 && (segments.isEmpty() || segments.get(0) != from)) {
            return new Replay(start, folded, seq, folded.size(), segments.isEmpty() && listing.segments().isEmpty()
                    ? Optional.empty() : Optional.of("journal segment " + from + " is missing"));
        }
        for (int i = 0; i < segments.size(); i++) {
            long n = segments.get(i);
            if (i > 0 && n != segments.get(i - 1) + 1) {
                return new Replay(start, folded, reader.lastSeq, folded.size(),
                        Optional.of("journal segment " + (segments.get(i - 1) + 1) + " is missing"));
            }
            try (FileChannel in = io.open(segmentFile(n), StandardOpenOption.READ)) {
                reader.journalEnd = 0;
                reader.sealed = false;
                reader.readSegment(in, n, i == segments.size() - 1);
            } catch (IOException | RuntimeException e) {
                return new Replay(start, folded, reader.lastSeq, folded.size(), Optional.of(
                        e instanceof StoreCorruptedException && e.getCause() != null && e.getCause().getCause() != null
                                ? segmentFile(n).getFileName() + ": " + e.getCause().getCause().getMessage()
                                : segmentFile(n).getFileName() + ": " + e.getMessage()));
            }
        }
        return new Replay(start, folded, reader.lastSeq, folded.size(), Optional.empty());
    }

    /**
     * Checks every file without changing any: each snapshot on its own (checksums, count, invariants), and the
     * journal replayed from the newest snapshot, and from each older one (the backups), against the committed
     * record number in the lock file.
     */
    public List<FileCheck> verify() {
        return locked(false, () -> {
            Listing listing = list();
            List<FileCheck> checks = new ArrayList<>();
            long committed = lockChannel == null ? -1 : readCommitMarker();
            for (long n : listing.snapshots().descendingSet()) {
                Replay replay = replayFrom(listing, n);
                String name = snapshotFile(n).getFileName().toString();
                if (replay.table() == null) {
                    checks.add(new FileCheck(name, false, false, replay.damage().orElse("unreadable")));
                } else if (replay.damage().isPresent()) {
                    checks.add(new FileCheck(name, true, false, "intact; the journal after it stops at damage: "
                            + replay.damage().get()));
                } else if (committed > replay.lastSeq()) {
                    checks.add(new FileCheck(name, true, false, "intact; the journal after it ends at record "
                            + replay.lastSeq() + " but records up to " + committed + " were acknowledged"));
                } else {
                    checks.add(new FileCheck(name, true, true, "intact; with the journal: " + replay.reservations()
                            + " reservations up to record " + replay.lastSeq()));
                }
            }
            if (listing.snapshots().isEmpty()) {
                Replay replay = replayFrom(listing, -1);
                boolean clean = replay.damage().isEmpty() && committed <= replay.lastSeq();
                checks.add(new FileCheck("journal", clean, clean,
                        replay.damage().map(d -> "damaged: " + d).orElse(committed > replay.lastSeq()
                                ? "ends at record " + replay.lastSeq() + " but records up to " + committed
                                + " were acknowledged" : replay.reservations() + " reservations up to record "
                                + replay.lastSeq())));
            }
            return checks;
        });
    }

    /** What {@link #restore} did. */
    public record Restored(long fromSnapshot, long records, int reservations, long acknowledged,
                           List<String> movedAside) {
    }

    /**
     * Rebuilds the ledger from snapshot {@code from} (or the newest one that reads) and as much of the journal after
     * it as is intact. Damaged and superseded files are renamed with the suffix {@code .damaged-<millis>}, never
     * deleted or written over; the rebuilt state becomes a new snapshot and an empty journal segment.
     */
    public Restored restore(Optional<Long> from) {
        return locked(false, () -> {
            Listing listing = list();
            Replay chosen = null;
            List<Long> candidates = from.map(List::of).orElse(new ArrayList<>(listing.snapshots().descendingSet()));
            for (long n : candidates) {
                if (!listing.snapshots().contains(n)) {
                    throw new IllegalArgumentException("there is no snapshot-" + n + ".bin; snapshots: "
                            + listing.snapshots());
                }
                Replay replay = replayFrom(listing, n);
                if (replay.table() != null) {
                    chosen = replay;
                    break;
                }
            }
            if (chosen == null) {
                if (from.isPresent()) {
                    throw new IllegalArgumentException("snapshot-" + from.get() + ".bin is damaged itself");
                }
                chosen = replayFrom(listing, -1);
            }
            long committed = readCommitMarker();
            String suffix = ".damaged-" + System.currentTimeMillis();
            List<String> moved = new ArrayList<>();
            long next = Math.max(listing.snapshots().isEmpty() ? 0 : listing.snapshots().last(),
                    listing.segments().isEmpty() ? 0 : listing.segments().last()) + 1;
            for (long n : listing.segments()) {
                moved.add(moveAside(segmentFile(n), suffix));
            }
            for (long n : listing.snapshots()) {
                if (n != chosen.snapshot()) {
                    moved.add(moveAside(snapshotFile(n), suffix));
                }
            }
            writeSnapshotFile(next, chosen.table(), chosen.lastSeq());
            closeQuietly(journal);
            journal = null;
            startSegment(next, chosen.lastSeq() + 1);
            ByteBuffer marker = ByteBuffer.allocate(16).putLong(chosen.lastSeq());
            marker.putInt(LedgerCodec.crc(marker.array(), 0, 8)).putInt(LedgerCodec.JOURNAL_MAGIC).flip();
            lockChannel.write(marker, 0);
            lockChannel.force(false);
            synchronized (commit) {
                markerSeq = chosen.lastSeq();
            }
            fsyncDirectory();
            reload = true;
            return new Restored(chosen.snapshot(), chosen.lastSeq(), chosen.table().size(), committed, moved);
        });
    }

    private String moveAside(Path file, String suffix) throws IOException {
        Path target = file.resolveSibling(file.getFileName() + suffix);
        io.move(file, target, false);
        return target.getFileName().toString();
    }

    private void fsyncDirectory() throws IOException {
        io.fsyncDirectory(dir);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // closing a channel we only read or already forced loses nothing
            }
        }
    }

    /** How many times this store forced the journal for callers (group commit makes this less than the calls). */
    long forces() {
        synchronized (commit) {
            return forces;
        }
    }

    /**
     * The longest time one call of this store held its locks since the last call of this method (a diagnostic for
     * the benchmark: an allocation waits at most this long for another caller), in nanoseconds.
     */
    public long takeLongestLockHold() {
        processLock.lock();
        try {
            long longest = longestHold;
            longestHold = 0;
            return longest;
        } finally {
            processLock.unlock();
        }
    }

    /** The highest record sequence number known durable. */
    long durableSeq() {
        synchronized (commit) {
            return durableSeq;
        }
    }

    /** The sequence number of the last record this store wrote or read; call inside a decision. */
    long lastSeq() {
        return lastSeq;
    }

    Optional<Long> currentSegment() {
        return segment < 0 ? Optional.empty() : Optional.of(segment);
    }

    @Override
    public void close() {
        processLock.lock();
        try {
            closeQuietly(journal);
            closeQuietly(lockChannel);
            journal = null;
            lockChannel = null;
            reload = true;
        } finally {
            processLock.unlock();
        }
    }
}
