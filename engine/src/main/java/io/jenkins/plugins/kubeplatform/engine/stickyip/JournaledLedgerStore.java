package io.jenkins.plugins.kubeplatform.engine.stickyip;

import io.jenkins.plugins.kubeplatform.engine.store.FileIo;
import io.jenkins.plugins.kubeplatform.engine.store.StoreCorruptedException;
import io.jenkins.plugins.kubeplatform.engine.store.StoreException;
import io.jenkins.plugins.kubeplatform.engine.store.Uninterruptible;
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
 *
 * <p>Interrupts: the lock file, the current segment and the marker are {@code FileChannel}s shared by every caller of
 * the process (every build of a controller), and the JDK closes a channel when the thread using it is interrupted —
 * Jenkins interrupts a build's thread to abort it. So no caller's thread touches them: each public call runs on a
 * worker of the caller that nobody interrupts ({@link Uninterruptible}; the compaction and marker threads are such
 * workers too). Clearing the flag around the I/O would not do (an interrupt during the call still closes the channel),
 * and reopening and retrying after such a close would have to prove every retried step idempotent, the group commit's
 * shared force included. An interrupt while the call waits for the locks fails it with nothing written; one that comes
 * later, or a flag set before the call, lets it finish and return with the flag set, so an acknowledged or refused
 * record is never of unknown durability. The hand-off costs two thread wake-ups per call ({@link Phase#HAND_OFF},
 * {@link Phase#RETURN}).
 */
public final class JournaledLedgerStore implements LedgerStore, AutoCloseable {

    /** Snapshots kept (the newest plus older ones to restore from). */
    public static final int BACKUPS = 3;
    private static final int PREALLOCATE_MIN = 4096;
    private static final int PREALLOCATE_MAX = 1 << 20;
    private static final Logger LOG = Logger.getLogger(JournaledLedgerStore.class.getName());
    private static final Pattern SEGMENT = Pattern.compile("journal-(\\d+)\\.log");
    private static final Pattern SNAPSHOT = Pattern.compile("snapshot-(\\d+)\\.bin");
    private static final Pattern TEMP = Pattern.compile("\\.(?:retired-)?(?:snapshot|journal)-\\d+\\.tmp-(\\d+)-.*");
    private static final Pattern OLD_FORMAT = Pattern.compile("ledger-\\d+\\.(snapshot\\.json|journal)");
    /**
     * A prepared segment (zero-filled, forced, no header) kept by {@link #close} for the next instance, which adopts it
     * instead of writing a new one: a process's first preparation then costs a rename, not a megabyte of writes.
     */
    static final String KEPT_SEGMENT = ".journal-prepared";
    private static final ConcurrentMap<Path, ReentrantLock> PROCESS_LOCKS = new ConcurrentHashMap<>();
    /** Writes the acknowledgement markers of every store in the process, off the allocations' path. */
    private static final ExecutorService MARKERS =
            Executors.newSingleThreadExecutor(Uninterruptible.threads("ip-ledger-marker"));
    private static final ExecutorService COMPACTOR =
            Executors.newSingleThreadExecutor(Uninterruptible.threads("ip-ledger-compaction"));

    private final Path dir;
    private final FileIo io;
    private final int rotateAfter;
    /** Bytes of zeros a new segment is created with, so appends overwrite instead of growing the file. */
    private final int preallocate;
    private final ReentrantLock processLock;

    // guarded by processLock
    private FileChannel lockChannel;
    private LedgerTable table;
    private FileChannel journal;
    private long segment = -1;
    private long journalEnd;
    /** End of the bytes a torn append left after {@link #journalEnd} (zeroed before the next append); 0: none. */
    private long tailEnd;
    /** The next segment, created and zero-filled in the background while this one fills; null when none is ready. */
    private Prepared prepared;
    private boolean preparing;
    /** Records this instance appended to the current segment (a writer, not a one-off command, prepares the next). */
    private int appendedHere;
    private boolean closed;
    private volatile Future<?> preparation;
    private int segmentRecords;
    private boolean sealed;
    private long lastSeq;
    private boolean reload = true;
    private volatile Future<?> compaction;
    private volatile Runnable compactionHook = () -> { };
    private volatile long longestHold; // written under processLock
    private volatile String longestHolder = "";
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
    private int waiters;
    private long forces;
    private long markerSeq;
    private volatile FileChannel markerChannel;
    /**
     * Held while the marker is written (background, {@link #close}, restore): each write reads the latest value under
     * it, so a slow background write can never put an older value over a newer one, and none follows the close.
     */
    private final Object markerWrites = new Object();
    private final java.util.concurrent.atomic.AtomicBoolean markerScheduled =
            new java.util.concurrent.atomic.AtomicBoolean();
    private long durableAt; // System.nanoTime() when durableSeq last advanced (for the hand-off latency)
    private volatile Tracer tracer;

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
        this.preallocate = (int) Math.min(PREALLOCATE_MAX, Math.max(PREALLOCATE_MIN, rotateAfter * 256L));
        this.processLock = PROCESS_LOCKS.computeIfAbsent(dir, d -> new ReentrantLock());
    }

    public Path directory() {
        return dir;
    }

    /** The steps of one {@link #update}, timed when a {@link Tracer} is set (the benchmark's breakdown). */
    public enum Phase {
        /** handing the call from the caller's thread to an uninterruptible worker (see {@link #shielded}) */
        HAND_OFF,
        /** waiting for this process's lock of the directory (another caller of this process holds it) */
        PROCESS_LOCK,
        /** taking the OS file lock (another process holds it) */
        FILE_LOCK,
        /** reading what other writers appended */
        CATCH_UP,
        /** the caller's decision (free-address search) and the table's invariant check */
        DECIDE,
        /** encoding the changes into a record */
        ENCODE,
        /** writing the record into the segment */
        APPEND,
        /** applying the changes to the in-memory table */
        APPLY,
        /** sealing the segment and switching to the next one */
        ROTATE,
        /** releasing the OS file lock and the process lock */
        UNLOCK,
        /** waiting while another caller forces (group commit follower) */
        FORCE_WAIT,
        /** between the force that covered this record returning and this caller running again */
        WAKE,
        /** forcing the segment (group commit leader) */
        FORCE,
        /** recording the durable sequence number in the lock file */
        MARKER,
        /** between the worker finishing the call and the caller's thread running again */
        RETURN
    }

    /** Receives the time of each {@link Phase} of one update, in nanoseconds indexed by ordinal, on its thread. */
    @FunctionalInterface
    public interface Tracer {
        void traced(long[] nanosByPhase);
    }

    /** Times every following {@link #update} of this store and hands the phases to {@code tracer} (null: off). */
    public void trace(Tracer tracer) {
        this.tracer = tracer;
    }

    /** Per-update timing; null when tracing is off so the untraced path takes no clock readings. */
    private static final class Trace {
        final long[] nanos = new long[Phase.values().length];
        long last = System.nanoTime();

        void lap(Phase phase) {
            long now = System.nanoTime();
            nanos[phase.ordinal()] += now - last;
            last = now;
        }

        static void lap(Trace trace, Phase phase) {
            if (trace != null) {
                trace.lap(phase);
            }
        }
    }

    @Override
    public <R> R read(Function<LedgerView, R> query) {
        return shielded(() -> {
            long[] seen = new long[1];
            R result = locked(() -> {
                R r = query.apply(table);
                seen[0] = lastSeq;
                return r;
            });
            awaitDurable(seen[0]);
            return result;
        });
    }

    @Override
    public <R> R update(Function<LedgerView, Decision<R>> decide) {
        Tracer traceTo = tracer;
        Trace trace = traceTo == null ? null : new Trace();
        R result = shielded(() -> decideAndWrite(decide, trace));
        if (trace != null) {
            trace.lap(Phase.RETURN);
            traceTo.traced(trace.nanos);
        }
        return result;
    }

    /** {@link #update} on a thread nobody interrupts: decide and append under the locks, then await the force. */
    private <R> R decideAndWrite(Function<LedgerView, Decision<R>> decide, Trace trace) {
        Trace.lap(trace, Phase.HAND_OFF);
        long[] mine = new long[1];
        R result = locked(true, trace, () -> {
            Decision<R> decision = decide.apply(table);
            mine[0] = lastSeq;
            if (decision.changes().isEmpty()) {
                Trace.lap(trace, Phase.DECIDE);
                return decision.result();
            }
            table.check(decision.changes());
            Trace.lap(trace, Phase.DECIDE);
            byte[] payload = LedgerCodec.encodeChanges(decision.changes());
            Trace.lap(trace, Phase.ENCODE);
            try {
                append(LedgerCodec.CHANGES, payload);
            } catch (IOException | RuntimeException e) {
                reload = true; // the segment may hold the record or not: reload on the next call
                throw e instanceof IOException io ? new StoreException("Could not write the IP ledger journal in "
                        + dir + ": " + describe(io), io) : (RuntimeException) e;
            }
            Trace.lap(trace, Phase.APPEND);
            decision.changes().forEach(table::apply);
            mine[0] = lastSeq;
            Trace.lap(trace, Phase.APPLY);
            if (segmentRecords >= rotateAfter) {
                rotate();
                Trace.lap(trace, Phase.ROTATE);
            }
            return decision.result();
        });
        Trace.lap(trace, Phase.UNLOCK);
        awaitDurable(mine[0], trace);
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
            cursor = shielded(() -> locked(() -> table.page(from, pageSize, page::add)));
            pageConsumer.accept(page);
        }
    }

    /** What one slice of a {@link #sweep} did in one lock hold: reservations visited, and released. */
    interface SweepSlice {
        void done(int visited, int released);
    }

    /**
     * A GC sweep decided on the table's columns (see {@link ReservationCollector}): each lock hold scans at most
     * {@code scanLimit} reservations, decides on them as they are (primitive columns; text only for candidates the
     * rule asks about), and releases at most {@code releaseLimit} of them in one journal record, all in that one
     * hold, so nothing changes between the decision and the release; then the lock is released and the record made
     * durable (group commit with the allocations meanwhile) before the next slice. Released reservations are
     * reported into {@code released} only once their removal is written; the call returns once all are durable.
     */
    void sweep(int scanLimit, int releaseLimit, LedgerTable.SweepRule rule, ReservationList released,
               java.util.function.BiConsumer<Reservation, String> held, SweepSlice afterSlice) {
        int[] slots = new int[releaseLimit];
        byte[][] ids = new byte[releaseLimit][];
        int[] found = new int[2];
        int cursor = 0;
        while (cursor >= 0) {
            int from = cursor;
            long[] mine = {-1};
            cursor = shielded(() -> sweepSlice(mine, () -> locked(() -> {
                int next = table.expired(from, scanLimit, rule, slots, found, held);
                int n = found[0];
                if (n == 0) {
                    return next;
                }
                for (int i = 0; i < n; i++) {
                    ids[i] = table.identityAt(slots[i]);
                }
                try {
                    append(LedgerCodec.CHANGES, LedgerCodec.encodeRemovals(ids, n));
                } catch (IOException | RuntimeException e) {
                    reload = true; // the segment may hold the record or not: reload on the next call
                    throw e;
                } finally {
                    java.util.Arrays.fill(ids, 0, n, null);
                }
                for (int i = 0; i < n; i++) {
                    table.rawAt(slots[i], released::addRaw);
                }
                table.removeSlots(slots, n);
                mine[0] = lastSeq;
                if (segmentRecords >= rotateAfter) {
                    rotate();
                }
                return next;
            })));
            afterSlice.done(found[1], mine[0] >= 0 ? found[0] : 0);
        }
    }

    /** One slice of a sweep: its locked part, then (when it released any) the force of its record. */
    private int sweepSlice(long[] mine, java.util.function.IntSupplier lockedPart) {
        int next = lockedPart.getAsInt();
        if (mine[0] >= 0) {
            awaitDurable(mine[0]);
        }
        return next;
    }

    /**
     * Runs a call of this store on a thread nobody interrupts ({@link Uninterruptible}): a FileChannel is closed by
     * an interrupt of the thread using it, and this store's channels (the lock file, the journal segment, the marker)
     * are shared by every caller of the process, so an aborted build must never be the thread that touches them. An
     * interrupt while the call still waits for the locks fails it with nothing written; later, the call finishes and
     * returns with the caller's interrupt flag set.
     */
    private <R> R shielded(java.util.function.Supplier<R> call) {
        return Uninterruptible.call(call, e -> new StoreException("Interrupted while waiting for the IP ledger in "
                + dir + " (held by another caller or process); nothing was written", e));
    }

    private interface Body<R> {
        R run() throws IOException;
    }

    /** An I/O error for a message: its own text, or its kind when it has none (a closed channel has none). */
    private static String describe(IOException e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private <R> R locked(Body<R> body) {
        return locked(true, null, body);
    }

    private <R> R locked(boolean catchUp, Body<R> body) {
        return locked(catchUp, null, body);
    }

    private <R> R locked(boolean catchUp, Trace trace, Body<R> body) {
        processLock.lock();
        try {
            Trace.lap(trace, Phase.PROCESS_LOCK);
            Uninterruptible.stillWanted(); // a call its caller gave up while it queued opens nothing
            if (lockChannel == null || !lockChannel.isOpen()) {
                io.createDirectories(dir);
                lockChannel = io.open(dir.resolve("ledger.lock"), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE, StandardOpenOption.READ);
                closed = false;
            }
            try (FileLock ignored = lockChannel.lock()) {
                Uninterruptible.begin(); // from here on, the caller's interrupt no longer cancels the call
                long held = System.nanoTime();
                Trace.lap(trace, Phase.FILE_LOCK);
                try {
                    if (catchUp) {
                        catchUp();
                        Trace.lap(trace, Phase.CATCH_UP);
                    }
                    return body.run();
                } finally {
                    long hold = System.nanoTime() - held;
                    if (hold > longestHold) {
                        longestHold = hold;
                        longestHolder = holder(); // rare: only a new longest walks the stack
                    }
                }
            }
        } catch (IOException e) {
            reload = true;
            throw new StoreException("Could not use the IP ledger in " + dir + ": " + describe(e), e);
        } catch (UncheckedIOException e) {
            reload = true;
            throw new StoreException("Could not use the IP ledger in " + dir + ": " + describe(e.getCause()), e);
        } finally {
            processLock.unlock();
        }
    }

    // ---- group commit ----

    private void awaitDurable(long seq) {
        awaitDurable(seq, null);
    }

    /**
     * Returns once record {@code seq} is durable. A caller that finds no force running forces itself (the leader,
     * covering every record written so far) and wakes no one unless someone waits; a caller that finds a force
     * running waits for it (a follower) and returns if it was covered, else leads the next force.
     */
    private void awaitDurable(long seq, Trace trace) {
        while (true) {
            long target;
            FileChannel channel;
            synchronized (commit) {
                followRunningForce(seq, trace);
                if (durableSeq >= seq) {
                    return;
                }
                if (seq <= failedThrough) {
                    throw new StoreException("Could not make the IP ledger journal in " + dir + " durable: "
                            + describe(failure) + "; the change may or may not be recorded", failure);
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
            Trace.lap(trace, Phase.FORCE);
            error = finishForce(target, channel, error);
            if (error == null) {
                commitMarker(target);
                Trace.lap(trace, Phase.MARKER);
            }
        }
    }

    /**
     * Waits, holding {@code commit}'s monitor, while another caller's force runs and record {@code seq} is not yet
     * durable (a follower); moves the wake-up latency from the force wait to its own phase in the trace.
     */
    private void followRunningForce(long seq, Trace trace) {
        boolean waited = false;
        while (durableSeq < seq && forcing) {
            waiters++;
            waited = true;
            try {
                commit.wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreException("Interrupted while waiting for the IP ledger journal in " + dir
                        + " to be durable; the change may or may not be recorded", null);
            } finally {
                waiters--;
            }
        }
        if (trace != null && waited) {
            trace.lap(Phase.FORCE_WAIT);
            long wake = Math.max(0, Math.min(trace.last - durableAt, trace.nanos[Phase.FORCE_WAIT.ordinal()]));
            trace.nanos[Phase.FORCE_WAIT.ordinal()] -= wake;
            trace.nanos[Phase.WAKE.ordinal()] += wake;
        }
    }

    /**
     * Publishes the end of the force through {@code target}: durable on success (a segment closed by a rotation was
     * forced by it), else the failure every record up to {@code target} reports; wakes the followers.
     *
     * @return the force's error, or one for a segment closed before it was forced; null when durable
     */
    private IOException finishForce(long target, FileChannel channel, IOException forceError) {
        IOException error = forceError;
        synchronized (commit) {
            forcing = false;
            forces++;
            durableAt = System.nanoTime();
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
            if (waiters > 0) {
                commit.notifyAll();
            }
        }
        return error;
    }

    /**
     * Records the highest durable sequence number in the lock file (not forced: it may lag, never lead, because it
     * is written after the force), so a journal cut back at a record boundary is told apart from a clean end. The
     * write happens on a background thread, off the allocation's path: rewriting the lock file's page while the
     * kernel writes it back waits for that write-back, which made the marker the slowest step of the slowest
     * allocations. {@link #close} writes the latest value before closing.
     */
    private void commitMarker(long seq) {
        FileChannel channel = lockChannel;
        if (channel == null) {
            return;
        }
        synchronized (commit) {
            if (seq < markerSeq) {
                return;
            }
            markerSeq = seq;
        }
        markerChannel = channel;
        if (markerScheduled.compareAndSet(false, true)) {
            MARKERS.execute(this::writeLatestMarker);
        }
    }

    private void writeLatestMarker() {
        markerScheduled.set(false); // before reading: a newer value set after the read schedules another write
        synchronized (markerWrites) { // the value is read under the write lock, so writes land in the order of values
            FileChannel channel = markerChannel;
            long seq;
            synchronized (commit) {
                seq = markerSeq;
            }
            writeMarker(channel, seq);
        }
    }

    private static void writeMarker(FileChannel channel, long seq) {
        if (channel == null || !channel.isOpen()) {
            return;
        }
        ByteBuffer b = ByteBuffer.allocate(16).putLong(seq);
        byte[] bytes = b.array();
        b.putInt(LedgerCodec.crc(bytes, 0, 8)).putInt(LedgerCodec.JOURNAL_MAGIC).flip();
        try {
            channel.write(b, 0);
        } catch (IOException e) {
            // only a diagnostic; the journal itself is durable (a closed channel: close wrote the latest value)
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
            durableAt = System.nanoTime();
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
            if (appendedByOthers()) {
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
                appendedHere = 0;
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
            migrateOldFormat(listing);
            reload = false;
            return;
        }
        deleteOrphanedTemporaries(listing);
        LedgerTable fresh = new LedgerTable();
        long start = 0;
        long seq = 0;
        if (!listing.snapshots().isEmpty()) {
            start = listing.snapshots().last();
            seq = readSnapshotInto(start, fresh);
        }
        table = fresh;
        lastSeq = seq;
        List<Long> replay = new ArrayList<>(listing.segments().tailSet(start));
        checkReplayStart(listing, start, replay);
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
            appendedHere = 0;
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
        checkCommitMarker(replay);
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

    /** Converts a ledger in the old format: its table becomes snapshot 0, the old files are kept as *.migrated. */
    private void migrateOldFormat(Listing listing) throws IOException {
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
    }

    /** Deletes the temporary files left by a compaction or rotation whose process died. */
    private void deleteOrphanedTemporaries(Listing listing) throws IOException {
        for (Path tmp : listing.temporary()) {
            Matcher m = TEMP.matcher(tmp.getFileName().toString());
            if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).filter(ProcessHandle::isAlive).isEmpty()) {
                io.deleteIfExists(tmp);
            }
        }
    }

    /** Reads snapshot {@code number} into {@code into}; returns the last record it covers. */
    private long readSnapshotInto(long number, LedgerTable into) {
        Path file = snapshotFile(number);
        try (FileChannel in = io.open(file, StandardOpenOption.READ)) {
            LedgerCodec.SnapshotInfo info = LedgerCodec.readSnapshot(in, into);
            if (info.number() != number) {
                throw new IOException("it says it is snapshot " + info.number());
            }
            return info.lastSeq();
        } catch (IOException e) {
            throw corrupted(file, e);
        }
    }

    /** The segments to replay start with the snapshot's own segment, or with segment 0 when there is no snapshot. */
    private void checkReplayStart(Listing listing, long start, List<Long> replay) {
        if (!listing.snapshots().isEmpty() && (replay.isEmpty() || replay.get(0) != start)) {
            throw corrupted(segmentFile(start), new IOException("journal segment " + start + ", which must follow "
                    + "snapshot " + start + ", is missing"));
        }
        if (listing.snapshots().isEmpty() && !replay.isEmpty() && replay.get(0) != 0) {
            throw corrupted(snapshotFile(replay.get(0)), new IOException("the journal starts at segment "
                    + replay.get(0) + " but no snapshot covers the segments before it (deleted?)"));
        }
    }

    /** Refuses a journal that ends before the last record the commit marker says was acknowledged. */
    private void checkCommitMarker(List<Long> replay) throws IOException {
        long committed = readCommitMarker();
        if (committed > lastSeq) {
            Path file = replay.isEmpty() ? segmentFile(0) : segmentFile(replay.get(replay.size() - 1));
            throw corrupted(file, new IOException("the journal ends at record " + lastSeq + " but records up to "
                    + committed + " were acknowledged (truncated, emptied or deleted)"));
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
        tailEnd = 0;
        if (journalEnd == 0) {
            checkSegmentHeader(channel, n, size, file);
            journalEnd = LedgerCodec.SEGMENT_HEADER;
        }
        while (journalEnd < size) {
            long at = journalEnd;
            String problem = null;
            ByteBuffer header = ByteBuffer.allocate(LedgerCodec.RECORD_HEADER);
            int got = readAt(channel, header, at);
            if (allZero(header)) {
                endAtUnwrittenSpace(channel, file, at, size, last);
                break;
            }
            if (sealed) {
                throw corrupted(file, new IOException((size - journalEnd) + " bytes follow the seal at byte "
                        + journalEnd));
            }
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
                endAtTornTail(channel, file, at, size, last, problem);
                return;
            }
            payload.limit(length);
            applyRecord(file, at, seq, type, payload);
            lastSeq = seq;
            journalEnd = at + LedgerCodec.RECORD_HEADER + length + 4;
        }
        if (!last && !sealed) {
            throw corrupted(file, new IOException("it ends at byte " + size + " without its seal record "
                    + "(truncated), although segment " + (n + 1) + " follows"));
        }
    }

    /** Checks a segment's header: magic, checksum, and that it is segment {@code n} starting at the next record. */
    private void checkSegmentHeader(FileChannel channel, long n, long size, Path file) throws IOException {
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
    }

    /**
     * Zeros at {@code at}: the preallocated space after the last record ends the segment if nothing is written after
     * it; bytes after it in the last, unsealed segment are part of a torn append (its header lost), else damage.
     */
    private void endAtUnwrittenSpace(FileChannel channel, Path file, long at, long size, boolean last)
            throws IOException {
        Tail tail = scanTail(channel, at, size);
        if (tail.validRecord()) {
            throw corrupted(file, new IOException("byte " + at + " holds unwritten space (zeros) and "
                    + "intact records follow it"));
        }
        if (tail.dirtyEnd() > at) {
            if (sealed || !last) {
                throw corrupted(file, new IOException("bytes up to " + tail.dirtyEnd() + " follow the "
                        + (sealed ? "seal" : "last record") + " at byte " + at));
            }
            tailEnd = tail.dirtyEnd(); // part of a torn append (its header lost): never acknowledged
        }
    }

    /**
     * A record at {@code at} that cannot be read: in the last segment with no intact record after it, a torn tail
     * (the writer died mid-append; never acknowledged, zeroed before the next append) that ends the segment; else
     * damage.
     */
    private void endAtTornTail(FileChannel channel, Path file, long at, long size, boolean last, String problem)
            throws IOException {
        Tail tail = last ? scanTail(channel, at + 1, size) : null;
        if (tail != null && !tail.validRecord()) {
            tailEnd = Math.max(tail.dirtyEnd(), Math.min(size, at + LedgerCodec.RECORD_HEADER));
            return;
        }
        throw corrupted(file, new IOException("byte " + at + " holds " + problem
                + (last ? " and intact records follow it" : " in a sealed segment")));
    }

    /** Applies one intact record: its changes (checked against the table first) or the segment's seal. */
    private void applyRecord(Path file, long at, long seq, byte type, ByteBuffer payload) throws IOException {
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

    private static boolean allZero(ByteBuffer b) {
        for (int i = b.position(); i < b.limit(); i++) {
            if (b.get(i) != 0) {
                return false;
            }
        }
        return b.limit() > 0;
    }

    /**
     * What follows {@code from} up to {@code size}: whether an intact record header starts there (damage, not a torn
     * tail) and where the last non-zero byte ends ({@code from} when all are zeros: preallocated space).
     */
    record Tail(boolean validRecord, long dirtyEnd) {
    }

    static Tail scanTail(FileChannel channel, long from, long size) throws IOException {
        int window = LedgerCodec.RECORD_HEADER;
        long dirtyEnd = from;
        long pos = from;
        ByteBuffer chunk = ByteBuffer.allocate((int) Math.max(window, Math.min(size - from, 1 << 20)));
        while (pos < size) {
            chunk.clear();
            chunk.limit((int) Math.min(chunk.capacity(), size - pos));
            int n = readAt(channel, chunk, pos);
            if (n <= 0) {
                break;
            }
            // from the end backwards: next = the nearest non-zero byte at or after i; a header window must hold one
            int next = Integer.MAX_VALUE;
            for (int i = n - 1; i >= 0; i--) {
                if (chunk.get(i) != 0) {
                    if (next == Integer.MAX_VALUE) {
                        dirtyEnd = Math.max(dirtyEnd, pos + i + 1);
                    }
                    next = i;
                }
                if (next < i + window && i + window <= n) {
                    int length = chunk.getInt(i);
                    if (length >= 0 && length <= LedgerCodec.MAX_PAYLOAD
                            && LedgerCodec.crc(chunk, i, i + 13) == chunk.getInt(i + 13)) {
                        return new Tail(true, dirtyEnd);
                    }
                }
            }
            if (pos + n >= size) {
                break;
            }
            pos += Math.max(1, n - (window - 1)); // windows starting in the last bytes are checked with the next chunk
        }
        return new Tail(false, dirtyEnd);
    }

    /** Whether another writer appended after {@link #journalEnd}: a record header there (not preallocated zeros). */
    private boolean appendedByOthers() throws IOException {
        long size = journal.size();
        if (size <= journalEnd) {
            return false;
        }
        ByteBuffer header = ByteBuffer.allocate((int) Math.min(LedgerCodec.RECORD_HEADER, size - journalEnd));
        readAt(journal, header, journalEnd);
        return !allZero(header);
    }

    private void append(byte type, byte[] payload) throws IOException {
        if (journal == null) {
            startSegment(0, lastSeq + 1);
        } else if (sealed) {
            startSegment(segment + 1, lastSeq + 1); // the previous writer died between sealing and the next segment
        }
        if (tailEnd > journalEnd) {
            // a torn append of a writer that died (never acknowledged): zeroed, so nothing stale follows our records
            ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(tailEnd - journalEnd, 1 << 20));
            for (long at = journalEnd; at < tailEnd; ) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), tailEnd - at));
                while (zeros.hasRemaining()) {
                    at += journal.write(zeros, at);
                }
            }
            journal.force(false);
            tailEnd = 0;
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
            if (++appendedHere >= Math.max(1, rotateAfter / 8)) {
                schedulePreparation();
            }
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
        schedulePreparation(); // its writes go with the compaction's, not into a quiet stretch of allocations
        scheduleCompaction(next);
    }

    /**
     * Creates segment {@code n} atomically and switches to it: the header is written into a zero-filled temporary
     * file (the one prepared in the background if ready, else one created now) and forced before the file gets its
     * name, then the directory is fsynced. With the blocks already allocated and the size fixed, the forces of the
     * records that follow flush data only.
     */
    private void startSegment(long n, long firstSeq) throws IOException {
        io.createDirectories(dir);
        Prepared next = prepared;
        prepared = null;
        if (next != null && !io.exists(next.file())) {
            discard(next); // removed meanwhile (another process cleaning up): create one now
            next = null;
        }
        if (next == null) {
            next = adoptKept(n).orElse(null);
        }
        if (next == null) {
            next = createPreallocated(n);
        }
        try {
            ByteBuffer header = LedgerCodec.segmentHeader(n, firstSeq);
            for (long at = 0; header.hasRemaining(); ) {
                at += next.channel().write(header, at);
            }
            next.channel().force(false);
            next.channel().close();
            io.move(next.file(), segmentFile(n), false);
            fsyncDirectory();
        } finally {
            closeQuietly(next.channel());
            io.deleteIfExists(next.file());
        }
        closeQuietly(journal);
        journal = io.open(segmentFile(n), StandardOpenOption.READ, StandardOpenOption.WRITE);
        segment = n;
        journalEnd = LedgerCodec.SEGMENT_HEADER;
        tailEnd = 0;
        segmentRecords = 0;
        appendedHere = 0;
        sealed = false;
    }

    /** A zero-filled temporary segment file (no header yet), forced with its size. */
    record Prepared(Path file, FileChannel channel) {
    }

    private Prepared createPreallocated(long n) throws IOException {
        Path tmp = dir.resolve(".journal-" + n + ".tmp-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID());
        FileChannel channel = io.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            ByteBuffer zeros = ByteBuffer.allocate(Math.min(preallocate, 64 << 10));
            for (long at = 0; at < preallocate; ) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), preallocate - at));
                while (zeros.hasRemaining()) {
                    at += channel.write(zeros, at);
                }
            }
            channel.force(true);
            return new Prepared(tmp, channel);
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            io.deleteIfExists(tmp);
            throw e;
        }
    }

    /**
     * Prepares the next segment in the background (under the process lock; once per segment), so a rotation only
     * writes a header, renames and fsyncs the directory. Scheduled right after a rotation (just before the
     * compaction, whose writes dwarf it) and by an instance that appended an eighth of a segment since it opened it
     * (a long-lived writer; a command that writes a record or two prepares nothing). A failure only means the
     * rotation creates the segment itself.
     */
    private void schedulePreparation() {
        if (prepared != null || preparing || closed) {
            return;
        }
        preparing = true;
        long n = segment + 1;
        preparation = COMPACTOR.submit(() -> {
            Prepared ready = null;
            try {
                ready = adoptKept(n).orElse(null);
                if (ready == null) {
                    ready = createPreallocated(n);
                }
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.FINE, "Could not prepare the next IP ledger journal segment in " + dir
                        + " (the rotation creates it): " + e.getMessage(), e);
            }
            processLock.lock();
            try {
                preparing = false;
                if (ready != null && prepared == null && !closed) {
                    prepared = ready;
                    ready = null;
                }
            } finally {
                processLock.unlock();
            }
            if (ready != null) {
                discard(ready);
            }
        });
    }

    /**
     * Takes the segment a closed instance kept ({@link #KEPT_SEGMENT}) under this process's own temporary name, if it
     * is there and is what {@link #createPreallocated} makes (the configured size, zeros only); anything else is
     * removed. Another process adopting it at the same time gets it or nothing: the rename decides.
     */
    private Optional<Prepared> adoptKept(long n) throws IOException {
        Path kept = dir.resolve(KEPT_SEGMENT);
        if (!io.exists(kept)) {
            return Optional.empty();
        }
        Path tmp = dir.resolve(".journal-" + n + ".tmp-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID());
        try {
            io.move(kept, tmp, false);
        } catch (IOException e) {
            return Optional.empty(); // taken by another process
        }
        FileChannel channel = io.open(tmp, StandardOpenOption.READ, StandardOpenOption.WRITE);
        if (channel.size() == preallocate && zerosOnly(channel)) {
            return Optional.of(new Prepared(tmp, channel));
        }
        discard(new Prepared(tmp, channel));
        return Optional.empty();
    }

    private static boolean zerosOnly(FileChannel channel) throws IOException {
        ByteBuffer block = ByteBuffer.allocate(64 << 10);
        for (long at = 0; at < channel.size(); ) {
            block.clear();
            int read = channel.read(block, at);
            if (read <= 0) {
                return false;
            }
            for (int i = 0; i < read; i++) {
                if (block.get(i) != 0) {
                    return false;
                }
            }
            at += read;
        }
        return true;
    }

    /** Keeps the prepared segment for the next instance ({@link #adoptKept}); removes it if that fails. */
    private void keep(Prepared p) {
        closeQuietly(p.channel());
        try {
            io.move(p.file(), dir.resolve(KEPT_SEGMENT), false);
        } catch (IOException e) {
            discard(p);
        }
    }

    private void discard(Prepared p) {
        closeQuietly(p.channel());
        try {
            io.deleteIfExists(p.file());
        } catch (IOException e) {
            // a temporary file: the next open of a later process removes it
        }
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
        shielded(() -> locked(() -> {
            if (journal != null && journalEnd > LedgerCodec.SEGMENT_HEADER) {
                rotate();
            }
            return null;
        }));
    }

    /** Waits for the compaction this store started last, if any (tests and the benchmark). */
    public void awaitCompaction() throws Exception {
        Future<?> p = preparation;
        if (p != null) {
            p.get();
        }
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
        // latest state per (identity, family) the journal touched, in journal order; a null value: removed
        java.util.Map<String, Reservation> overlay = new java.util.LinkedHashMap<>();
        JournaledLedgerStore reader = new JournaledLedgerStore(dir, Integer.MAX_VALUE, io);
        reader.replayInto = changes -> {
            for (LedgerChange change : changes) {
                if (change instanceof LedgerChange.Put put) {
                    overlay.put(LedgerTable.familyKey(put.reservation().identity(),
                            LedgerTable.key(put.reservation().ip()).isIpv4()), put.reservation());
                } else if (change instanceof LedgerChange.Remove remove) {
                    overlay.put(LedgerTable.familyKey(remove.identity(), true), null);
                    overlay.put(LedgerTable.familyKey(remove.identity(), false), null);
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
        // the hashes of the overlay's identities (without the family), so the base snapshot's records are streamed without building
        // their identity text (only a hash match asks the overlay)
        int[] touched = new int[overlay.size()];
        int t = 0;
        for (String key : overlay.keySet()) {
            touched[t++] = java.util.Arrays.hashCode(LedgerTable.identityOfFamilyKey(key)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        java.util.Arrays.sort(touched);
        LedgerCodec.RawSource merged = visitor -> {
            if (baseChannel != null) {
                LedgerCodec.readSnapshot(baseChannel.position(0), LedgerCodec.streaming(visitor, overlay::containsKey,
                        hash -> java.util.Arrays.binarySearch(touched, hash) >= 0));
            }
            for (Reservation r : overlay.values()) {
                if (r != null) {
                    LedgerCodec.visit(r, visitor);
                }
            }
        };
        writeSnapshotFile(upTo, merged, reader.lastSeq);
        List<Path> doomed = locked(this::prune);
        for (Path file : doomed) {
            io.deleteIfExists(file); // freeing a 200 MB snapshot's blocks takes a while: not under the lock
        }
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

    /**
     * Keeps the newest {@link #BACKUPS} snapshots and the segments from the oldest kept one on: the others are
     * renamed to temporary names under the lock (so no reader of the directory sees them any more; a process that
     * dies before deleting them leaves temporary files the next open removes) and returned for the caller to delete
     * after releasing it.
     */
    private List<Path> prune() throws IOException {
        Listing listing = list();
        List<Long> snapshots = new ArrayList<>(listing.snapshots().descendingSet());
        List<Path> doomed = new ArrayList<>();
        if (snapshots.isEmpty()) {
            return doomed;
        }
        long oldestKept = snapshots.get(Math.min(BACKUPS, snapshots.size()) - 1);
        for (long s : snapshots.subList(Math.min(BACKUPS, snapshots.size()), snapshots.size())) {
            doomed.add(retire(snapshotFile(s), ".retired-snapshot-" + s));
        }
        for (long n : listing.segments().headSet(oldestKept)) {
            if (n < segment) {
                doomed.add(retire(segmentFile(n), ".retired-journal-" + n));
            }
        }
        doomed.removeIf(java.util.Objects::isNull);
        return doomed;
    }

    /**
     * Renames a pruned file to a temporary name of this process ({@code .retired-…}, apart from the temporaries a
     * new segment or snapshot is written to), deleted once the lock is released; null when it is gone already.
     */
    private Path retire(Path file, String prefix) throws IOException {
        Path tmp = dir.resolve(prefix + ".tmp-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID());
        try {
            io.move(file, tmp, false);
            return tmp;
        } catch (NoSuchFileException e) {
            return null;
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
        return shielded(() -> locked(false, () -> {
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
        }));
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
        return shielded(() -> locked(false, () -> {
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
            synchronized (markerWrites) {
                ByteBuffer marker = ByteBuffer.allocate(16).putLong(chosen.lastSeq());
                marker.putInt(LedgerCodec.crc(marker.array(), 0, 8)).putInt(LedgerCodec.JOURNAL_MAGIC).flip();
                lockChannel.write(marker, 0);
                lockChannel.force(false);
                synchronized (commit) {
                    markerSeq = chosen.lastSeq();
                }
            }
            fsyncDirectory();
            reload = true;
            return new Restored(chosen.snapshot(), chosen.lastSeq(), chosen.table().size(), committed, moved);
        }));
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

    /**
     * Which call held the locks for {@link #takeLongestLockHold}'s figure: the store method that took them and the
     * caller outside this class (a diagnostic for the benchmark).
     */
    public String longestLockHolder() {
        return longestHolder;
    }

    private static String holder() {
        return StackWalker.getInstance().walk(frames -> {
            List<StackWalker.StackFrame> list = frames.limit(24).toList();
            String inside = "";
            for (StackWalker.StackFrame f : list) {
                boolean ours = f.getClassName().startsWith(JournaledLedgerStore.class.getName());
                if (ours && !f.getMethodName().startsWith("locked") && !f.getMethodName().startsWith("lambda$")
                        && !f.getMethodName().equals("holder")) {
                    inside = f.getMethodName();
                }
                if (!ours) {
                    String cls = f.getClassName();
                    return inside + " from " + cls.substring(cls.lastIndexOf('.') + 1) + "." + f.getMethodName();
                }
            }
            return inside;
        });
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

    @Override
    public void close() {
        shielded(() -> {
            Uninterruptible.begin(); // a close is never cancelled: the marker and the prepared segment are kept
            closeLocked();
            return null;
        });
    }

    private void closeLocked() {
        processLock.lock();
        try {
            closeQuietly(journal);
            synchronized (markerWrites) {
                long seq;
                synchronized (commit) {
                    seq = markerSeq;
                }
                if (seq > 0) {
                    writeMarker(lockChannel, seq);
                }
                closeQuietly(lockChannel);
            }
            journal = null;
            lockChannel = null;
            reload = true;
            closed = true;
            if (prepared != null) {
                keep(prepared);
                prepared = null;
            }
        } finally {
            processLock.unlock();
        }
    }
}
