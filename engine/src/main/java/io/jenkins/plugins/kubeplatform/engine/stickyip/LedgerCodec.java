package io.jenkins.plugins.kubeplatform.engine.stickyip;

import io.jenkins.plugins.kubeplatform.engine.stickyip.address.IpKey;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The ledger's binary encodings: journal records and snapshot blocks. Every record and block carries a CRC-32C, so a
 * reader can tell a damaged byte from a clean end; strings are length-prefixed UTF-8, times nanoseconds since the
 * epoch, addresses two longs ({@link IpKey}).
 *
 * <p>Journal segment: header {@code KPLJ}, version, segment number, first sequence number, header CRC; then
 * records {@code [length u32][sequence u64][type u8][header CRC u32][payload][payload CRC u32]} — the trailing CRC is
 * the record's commit marker. A segment is closed by a {@code SEAL} record before the next one is created.
 *
 * <p>Snapshot: header {@code KPLS}, version, snapshot number, last sequence number covered, reservation count,
 * header CRC; blocks {@code [records u32][length u32][CRC u32][payload]}, each payload a table of the strings its
 * records use followed by the records; a final block of zero records holding the count again, so a truncated
 * snapshot is told apart from a complete one. Since version 2 a record whose flags carry {@code 0x40} is followed by
 * its released pin (time, node and reason as string references); other records cost nothing more.
 */
final class LedgerCodec {

    /** Version 2 adds the released pin (time, node, reason) to snapshot records; version 1 is still read. */
    static final int VERSION = 2;
    static final int OLDEST_READABLE = 1;
    static final int JOURNAL_MAGIC = 0x4B504C4A; // KPLJ
    static final int SNAPSHOT_MAGIC = 0x4B504C53; // KPLS
    static final int SEGMENT_HEADER = 4 + 2 + 8 + 8 + 4;
    static final int RECORD_HEADER = 4 + 8 + 1 + 4;
    static final int SNAPSHOT_HEADER = 4 + 2 + 8 + 8 + 8 + 4;
    static final byte CHANGES = 1;
    static final byte SEAL = 2;
    /** Longest payload accepted; a larger length field is damage, not a record. */
    static final int MAX_PAYLOAD = 64 << 20;
    private static final int NULL_STRING = 0xFFFF;
    private static final byte PUT = 1;
    private static final byte REMOVE = 2;
    /** A put with the released pin after the fields of {@link #PUT}; written since format version 2. */
    private static final byte PUT_V2 = 3;
    private static final long NO_TIME = Long.MIN_VALUE;
    /** Snapshot record flag (never in the table): the released pin's time, node and reason follow the record. */
    private static final byte PINNED = 0x40;
    private static final int BLOCK_RECORDS = 4096;

    private LedgerCodec() {
    }

    static int crc(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

    static int crc(ByteBuffer buffer, int from, int to) {
        CRC32C crc = new CRC32C();
        ByteBuffer slice = buffer.duplicate();
        slice.limit(to).position(from);
        crc.update(slice);
        return (int) crc.getValue();
    }

    // ---- journal ----

    static ByteBuffer segmentHeader(long segment, long firstSeq) {
        ByteBuffer b = ByteBuffer.allocate(SEGMENT_HEADER);
        b.putInt(JOURNAL_MAGIC).putShort((short) VERSION).putLong(segment).putLong(firstSeq);
        b.putInt(crc(b, 0, b.position()));
        return b.flip();
    }

    /** One record, ready to append. */
    static ByteBuffer record(long seq, byte type, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(RECORD_HEADER + payload.length + 4);
        b.putInt(payload.length).putLong(seq).put(type);
        b.putInt(crc(b, 0, 13));
        b.put(payload);
        b.putInt(crc(payload, 0, payload.length));
        return b.flip();
    }

    static byte[] encodeChanges(List<LedgerChange> changes) {
        Out out = new Out(64 * changes.size() + 16);
        out.putInt(changes.size());
        for (LedgerChange change : changes) {
            if (change instanceof LedgerChange.Put put) {
                putChange(out, put.reservation());
            } else if (change instanceof LedgerChange.Remove remove) {
                out.put(REMOVE);
                out.putString(remove.identity());
            }
        }
        return out.toArray();
    }

    private static void putChange(Out out, Reservation r) {
        IpKey ip = LedgerTable.key(r.ip());
        putChange(out, r.identity().getBytes(StandardCharsets.UTF_8), r.pool(), ip.hi(), ip.lo(),
                LedgerTable.flagsOf(r), r.node(), r.owner(), LedgerTable.nanos(r.created()),
                LedgerTable.nanos(r.idleSince()), r.revision(), r.pinRelease());
    }

    private static void putChange(Out out, byte[] identity, String pool, long hi, long lo, byte flags, String node,
                                  String owner, long created, long idle, long revision, Reservation.PinRelease pin) {
        out.put(PUT_V2);
        writeReservation(out, identity, pool, hi, lo, flags, node, owner, created, idle, revision);
        out.putLong(pin == null ? NO_TIME : LedgerTable.nanos(pin.at()));
        out.putString(pin == null ? null : pin.node());
        out.putString(pin == null ? null : pin.reason());
    }

    /** Appends to {@code out} what {@link #encodeChanges} makes of a single put of {@code r}. */
    static void writePut(Out out, Reservation r) {
        out.putInt(1);
        putChange(out, r);
    }

    /** {@link #writePut(Out, Reservation)} from a reservation's columns. */
    static void writePut(Out out, byte[] identity, String pool, long hi, long lo, byte flags, String node,
                         String owner, long created, long idle, long revision, Reservation.PinRelease pin) {
        out.putInt(1);
        putChange(out, identity, pool, hi, lo, flags, node, owner, created, idle, revision, pin);
    }

    /** What {@link #encodeChanges} makes of removals of these identities (UTF-8 bytes), the first {@code n}. */
    static byte[] encodeRemovals(byte[][] identities, int n) {
        Out out = new Out(n * 40 + 16);
        out.putInt(n);
        for (int i = 0; i < n; i++) {
            out.put(REMOVE);
            out.putBytes(identities[i]);
        }
        return out.toArray();
    }

    static List<LedgerChange> decodeChanges(ByteBuffer in) throws IOException {
        try {
            int n = in.getInt();
            if (n < 0 || n > in.remaining()) {
                throw new IOException("change count " + n + " does not fit the record");
            }
            List<LedgerChange> changes = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                byte op = in.get();
                if (op == PUT || op == PUT_V2) {
                    byte[] identity = bytes(in);
                    String pool = string(in);
                    long hi = in.getLong();
                    long lo = in.getLong();
                    byte flags = in.get();
                    String node = string(in);
                    String owner = string(in);
                    long created = in.getLong();
                    long idle = in.getLong();
                    long revision = in.getLong();
                    Reservation.PinRelease pin = null;
                    if (op == PUT_V2) {
                        pin = pin(in.getLong(), string(in), string(in));
                    }
                    if (identity == null || pool == null) {
                        throw new IOException("a reservation without identity or pool");
                    }
                    changes.add(new LedgerChange.Put(LedgerTable.reservation(identity, pool, hi, lo, flags, node,
                            owner, created, idle, revision, pin)));
                } else if (op == REMOVE) {
                    String identity = string(in);
                    if (identity == null) {
                        throw new IOException("a removal without identity");
                    }
                    changes.add(new LedgerChange.Remove(identity));
                } else {
                    throw new IOException("unknown change type " + op);
                }
            }
            if (in.hasRemaining()) {
                throw new IOException(in.remaining() + " unexpected bytes after the changes");
            }
            return changes;
        } catch (BufferUnderflowException | IllegalArgumentException | NullPointerException e) {
            throw new IOException("malformed changes: " + e, e);
        }
    }

    /** The released pin of a record, or null; a partial one (time without node or reason) is damage. */
    private static Reservation.PinRelease pin(long at, String node, String reason) throws IOException {
        if (at == NO_TIME && node == null && reason == null) {
            return null;
        }
        if (at == NO_TIME || node == null || reason == null) {
            throw new IOException("a released pin without its time, node or reason");
        }
        return new Reservation.PinRelease(LedgerTable.instant(at), node, reason);
    }

    // ---- snapshot ----

    /**
     * Streams the table as a snapshot in blocks of {@value #BLOCK_RECORDS} reservations; each block starts with its
     * own table of the pools, nodes and owners it uses, which its records reference by number. Returns the bytes
     * written (the caller forces and renames).
     */
    static long writeSnapshot(LedgerTable table, FileChannel channel, long number, long lastSeq) throws IOException {
        return writeSnapshot(table::forEachRaw, channel, number, lastSeq);
    }

    /** Where a snapshot's reservations come from: a table, or a stream merged from files (compaction). */
    interface RawSource {
        void forEachRaw(LedgerTable.RawVisitor visitor) throws IOException;
    }

    private static ByteBuffer snapshotHeader(long number, long lastSeq, long count) {
        ByteBuffer header = ByteBuffer.allocate(SNAPSHOT_HEADER);
        header.putInt(SNAPSHOT_MAGIC).putShort((short) VERSION).putLong(number).putLong(lastSeq).putLong(count);
        header.putInt(crc(header, 0, header.position()));
        return header.flip();
    }

    /**
     * Streams reservations from {@code source} as a snapshot without knowing their number beforehand: the header
     * is written with the count once the source is exhausted (at offset 0; the caller forces before renaming, so
     * a snapshot with a provisional header never gets its name).
     */
    /**
     * A snapshot being written is flushed every this many bytes: the disk then never holds more than this much of it
     * in its write-back queue, so the journal's {@code fdatasync} of an allocation running meanwhile waits behind at
     * most a few MiB of snapshot data, not behind the whole file flushed at once (tens of MB at a million
     * reservations). The flushes of a temporary file change nothing about recovery: it gets its name only after its
     * final {@code force}.
     */
    static final long SYNC_EVERY = 4L << 20;

    static long writeSnapshot(RawSource source, FileChannel channel, long number, long lastSeq) throws IOException {
        long[] total = {0};
        long[] written = {writeFully(channel, snapshotHeader(number, lastSeq, -1))};
        long[] synced = {0};
        // below half a G1 region of a default 2 GiB+ heap (a larger array is a humongous allocation); they grow
        // once if a block needs more
        Out records = new Out(1 << 19);
        Out block = new Out(1 << 19);
        java.util.Map<String, Integer> dictionary = new java.util.HashMap<>();
        List<String> strings = new ArrayList<>();
        int[] inBlock = {0};
        source.forEachRaw((identity, pool, hi, lo, flags, node, owner, created, idle, revision, pin) -> {
            total[0]++;
            records.putBytes(identity);
            records.putInt(ref(dictionary, strings, pool));
            records.putLong(hi);
            records.putLong(lo);
            records.put((byte) (pin == null ? flags : flags | PINNED));
            records.putInt(ref(dictionary, strings, node));
            records.putInt(ref(dictionary, strings, owner));
            records.putLong(created);
            records.putLong(idle);
            records.putLong(revision);
            if (pin != null) {
                records.putLong(LedgerTable.nanos(pin.at()));
                records.putInt(ref(dictionary, strings, pin.node()));
                records.putInt(ref(dictionary, strings, pin.reason()));
            }
            if (++inBlock[0] == BLOCK_RECORDS) {
                written[0] += writeBlock(channel, inBlock[0], strings, records, block);
                if (written[0] - synced[0] >= SYNC_EVERY) {
                    channel.force(false);
                    synced[0] = written[0];
                }
                dictionary.clear();
                strings.clear();
                inBlock[0] = 0;
            }
        });
        if (inBlock[0] > 0) {
            written[0] += writeBlock(channel, inBlock[0], strings, records, block);
        }
        block.putLong(total[0]);
        written[0] += writeRaw(channel, 0, block);
        ByteBuffer header = snapshotHeader(number, lastSeq, total[0]);
        while (header.hasRemaining()) {
            channel.write(header, header.position());
        }
        return written[0];
    }

    private static int ref(java.util.Map<String, Integer> dictionary, List<String> strings, String s) {
        if (s == null) {
            return -1;
        }
        Integer id = dictionary.get(s);
        if (id == null) {
            id = strings.size();
            strings.add(s);
            dictionary.put(s, id);
        }
        return id;
    }

    private static long writeBlock(FileChannel channel, int count, List<String> strings, Out records, Out block)
            throws IOException {
        block.putInt(strings.size());
        for (String s : strings) {
            block.putString(s);
        }
        block.putRaw(records.buffer, records.size);
        records.size = 0;
        return writeRaw(channel, count, block);
    }

    private static long writeRaw(FileChannel channel, int records, Out block) throws IOException {
        byte[] payload = block.buffer;
        int length = block.size;
        ByteBuffer head = ByteBuffer.allocate(12).putInt(records).putInt(length).putInt(crc(payload, 0, length));
        long n = writeFully(channel, head.flip()) + writeFully(channel, ByteBuffer.wrap(payload, 0, length));
        block.size = 0;
        return n;
    }

    static long writeFully(FileChannel channel, ByteBuffer b) throws IOException {
        long n = 0;
        while (b.hasRemaining()) {
            n += channel.write(b);
        }
        return n;
    }

    /** What a snapshot says about itself. */
    record SnapshotInfo(long number, long lastSeq, long count, int version) {
    }

    /**
     * Reads a whole snapshot into {@code table} (null only validates); throws {@link IOException} naming the damaged
     * part.
     */
    static SnapshotInfo readSnapshot(FileChannel channel, LedgerTable table) throws IOException {
        return readSnapshot(channel, (Sink) table);
    }

    /**
     * What a snapshot's records are read into: a {@link LedgerTable}, or a stream (compaction). Strings of a block
     * are handed to {@link #intern} once per block; records reference them by the ids it returned.
     */
    interface Sink {
        void reserveCapacity(int count);

        int intern(String s);

        void unintern(int id);

        void putRawIds(byte[] identity, int poolId, long hi, long lo, byte flag, int nodeId, int ownerId,
                       long createdAt, long idleAt, long revision, Reservation.PinRelease pin) throws IOException;

        /**
         * Whether {@link #putRawIds} keeps the identity array it is given (a table does); when not, the reader hands
         * out one reused array per length instead of a new one per record.
         */
        default boolean keepsIdentities() {
            return true;
        }
    }

    /**
     * A sink that hands every record whose (identity, family) key ({@link LedgerTable#familyKey}) {@code skip} does
     * not claim to {@code visitor}, with its strings resolved: a snapshot streamed into another without building a table.
     */
    static Sink streaming(LedgerTable.RawVisitor visitor, java.util.function.Predicate<String> skip) {
        return streaming(visitor, skip, hash -> true);
    }

    /**
     * {@link #streaming(LedgerTable.RawVisitor, java.util.function.Predicate)} for a compaction of a million records:
     * {@code skip} is asked only about identities whose {@link java.util.Arrays#hashCode(byte[])} of the UTF-8 bytes
     * {@code mayBeSkipped} accepts (so no identity text is built for the others), and the identity bytes handed to
     * the visitor live only for the call (a reused array per length), so the stream allocates nothing per record.
     */
    static Sink streaming(LedgerTable.RawVisitor visitor, java.util.function.Predicate<String> skip,
                          java.util.function.IntPredicate mayBeSkipped) {
        return new Sink() {
            @Override
            public boolean keepsIdentities() {
                return false;
            }

            private final java.util.Map<String, Integer> ids = new java.util.HashMap<>();
            private final List<String> strings = new ArrayList<>();

            @Override
            public void reserveCapacity(int count) {
            }

            @Override
            public int intern(String s) {
                return ids.computeIfAbsent(s, k -> {
                    strings.add(k);
                    return strings.size() - 1;
                });
            }

            @Override
            public void unintern(int id) {
            }

            @Override
            public void putRawIds(byte[] identity, int poolId, long hi, long lo, byte flag, int nodeId, int ownerId,
                                  long createdAt, long idleAt, long revision, Reservation.PinRelease pin)
                    throws IOException {
                boolean ipv4 = hi == 0 && (lo & 0xFFFF_FFFF_0000_0000L) == 0x0000_FFFF_0000_0000L;
                if (!mayBeSkipped.test(java.util.Arrays.hashCode(identity)) || !skip.test(
                        LedgerTable.familyKey(new String(identity, StandardCharsets.UTF_8), ipv4))) {
                    visitor.visit(identity, strings.get(poolId), hi, lo, flag, nodeId < 0 ? null : strings.get(nodeId),
                            ownerId < 0 ? null : strings.get(ownerId), createdAt, idleAt, revision, pin);
                }
            }
        };
    }

    /** Hands one reservation to a visitor in its raw form. */
    static void visit(Reservation r, LedgerTable.RawVisitor visitor) throws IOException {
        IpKey ip = LedgerTable.key(r.ip());
        visitor.visit(r.identity().getBytes(StandardCharsets.UTF_8), r.pool(), ip.hi(), ip.lo(), LedgerTable.flagsOf(r),
                r.node(), r.owner(), LedgerTable.nanos(r.created()), LedgerTable.nanos(r.idleSince()), r.revision(),
                r.pinRelease());
    }

    /** Reads and checks only a snapshot's header. */
    static SnapshotInfo readSnapshotInfo(FileChannel channel) throws IOException {
        return readHeader(channel);
    }

    private static SnapshotInfo readHeader(FileChannel channel) throws IOException {
        ByteBuffer header = readExactly(channel, SNAPSHOT_HEADER, "the header");
        if (header.getInt(0) != SNAPSHOT_MAGIC) {
            throw new IOException("it does not start with the ledger snapshot header (empty or not a snapshot)");
        }
        if (crc(header, 0, SNAPSHOT_HEADER - 4) != header.getInt(SNAPSHOT_HEADER - 4)) {
            throw new IOException("its header checksum does not match");
        }
        short version = header.getShort(4);
        if (version < OLDEST_READABLE || version > VERSION) {
            throw new IOException("it has format version " + version + "; this version reads " + OLDEST_READABLE
                    + " to " + VERSION);
        }
        SnapshotInfo info = new SnapshotInfo(header.getLong(6), header.getLong(14), header.getLong(22), version);
        if (info.count() < 0 || info.count() > Integer.MAX_VALUE) {
            throw new IOException("its header gives an impossible count " + info.count());
        }
        return info;
    }

    static SnapshotInfo readSnapshot(FileChannel channel, Sink table) throws IOException {
        SnapshotInfo info = readHeader(channel);
        if (table != null) {
            table.reserveCapacity((int) info.count());
        }
        long read = 0;
        long offset = SNAPSHOT_HEADER;
        boolean fresh = table == null || table.keepsIdentities();
        byte[][] identityByLength = fresh ? null : new byte[256][];
        ByteBuffer reused = ByteBuffer.allocate(0);
        while (true) {
            ByteBuffer head = readExactly(channel, 12, "block at byte " + offset);
            int records = head.getInt();
            int length = head.getInt();
            int crc = head.getInt();
            if (records < 0 || length < 0 || length > MAX_PAYLOAD) {
                throw new IOException("block at byte " + offset + " has an impossible size");
            }
            if (reused.capacity() < length) {
                // one buffer for every block (a block holds at most BLOCK_RECORDS records), not one per block
                reused = ByteBuffer.allocate(Math.max(length, Math.min(MAX_PAYLOAD, reused.capacity() * 2)));
            }
            ByteBuffer payload = readExactly(channel, reused.clear().limit(length), "block at byte " + offset);
            if (crc(payload, 0, length) != crc) {
                throw new IOException("block at byte " + offset + " (reservations " + (read + 1) + ".."
                        + (read + records) + ") fails its checksum");
            }
            if (records == 0) {
                checkEnd(channel, payload, info, read);
                return info;
            }
            int[] ids = new int[0];
            try {
                int strings = payload.getInt();
                if (strings < 0 || strings > length) {
                    throw new IOException("block at byte " + offset + " has an impossible string table");
                }
                ids = new int[strings];
                String[] blockStrings = readStrings(payload, table, ids);
                readRecords(payload, records, read, blockStrings, ids, table, fresh, identityByLength,
                        info.version());
            } catch (BufferUnderflowException e) {
                throw new IOException("block at byte " + offset + " ends inside a reservation", e);
            } catch (IllegalStateException e) {
                throw new IOException("reservation record breaks an invariant: " + e.getMessage(), e);
            } finally {
                if (table != null) {
                    for (int id : ids) {
                        table.unintern(id);
                    }
                }
            }
            read += records;
            offset += 12 + length;
        }
    }

    /**
     * A block's string table, interning each string in {@code table} (when there is one) as {@code ids}, filled in
     * order so that the caller can unintern exactly the strings interned even when reading stops part way.
     */
    private static String[] readStrings(ByteBuffer payload, Sink table, int[] ids) throws IOException {
        java.util.Arrays.fill(ids, -1);
        String[] blockStrings = new String[ids.length];
        for (int i = 0; i < ids.length; i++) {
            String s = string(payload);
            blockStrings[i] = s;
            ids[i] = table == null || s == null ? -1 : table.intern(s);
        }
        return blockStrings;
    }

    /** The end block: its count matches the header's and the records read, and nothing follows it. */
    private static void checkEnd(FileChannel channel, ByteBuffer payload, SnapshotInfo info, long read)
            throws IOException {
        long count = payload.getLong();
        if (count != info.count() || read != count) {
            throw new IOException("it holds " + read + " reservations but its header says " + info.count());
        }
        if (channel.position() != channel.size()) {
            throw new IOException((channel.size() - channel.position()) + " bytes follow its end");
        }
    }

    /**
     * The {@code records} reservations of one block, after its string table ({@code blockStrings}, interned as
     * {@code ids}), into {@code table} when there is one; {@code read} reservations came before the block.
     */
    private static void readRecords(ByteBuffer payload, int records, long read, String[] blockStrings, int[] ids,
            Sink table, boolean fresh, byte[][] identityByLength, int version) throws IOException {
        int strings = blockStrings.length;
        for (int i = 0; i < records; i++) {
            byte[] identity = fresh ? bytes(payload) : reusedBytes(payload, identityByLength);
            int pool = payload.getInt();
            long hi = payload.getLong();
            long lo = payload.getLong();
            byte flags = payload.get();
            int node = payload.getInt();
            int owner = payload.getInt();
            long created = payload.getLong();
            long idle = payload.getLong();
            long revision = payload.getLong();
            Reservation.PinRelease pin = null;
            if (version >= 2 && (flags & PINNED) != 0) {
                flags &= ~PINNED;
                long pinAt = payload.getLong();
                int pinNode = payload.getInt();
                int pinReason = payload.getInt();
                if (pinNode >= strings || pinReason >= strings || pinNode < -1 || pinReason < -1) {
                    throw new IOException("reservation " + (read + i + 1) + " names a string its block "
                            + "does not have");
                }
                pin = pin(pinAt, pinNode < 0 ? null : blockStrings[pinNode],
                        pinReason < 0 ? null : blockStrings[pinReason]);
                if (pin == null) {
                    throw new IOException("reservation " + (read + i + 1) + " is marked with a released pin "
                            + "but has none");
                }
            }
            if (identity == null || pool < 0 || pool >= strings || node >= strings || owner >= strings
                    || node < -1 || owner < -1) {
                throw new IOException("reservation " + (read + i + 1) + " has no identity or pool, or "
                        + "names a string its block does not have");
            }
            if (table != null) {
                table.putRawIds(identity, ids[pool], hi, lo, flags, node < 0 ? -1 : ids[node],
                        owner < 0 ? -1 : ids[owner], created, idle, revision, pin);
            }
        }
    }

    static ByteBuffer readExactly(FileChannel channel, int length, String what) throws IOException {
        return readExactly(channel, ByteBuffer.allocate(length), what);
    }

    /** Fills {@code b} from its position to its limit and flips it. */
    private static ByteBuffer readExactly(FileChannel channel, ByteBuffer b, String what) throws IOException {
        while (b.hasRemaining()) {
            if (channel.read(b) < 0) {
                throw new IOException("it ends inside " + what + " (truncated)");
            }
        }
        return b.flip();
    }

    // ---- fields ----

    private static void writeReservation(Out out, byte[] identity, String pool, long hi, long lo, byte flags,
                                         String node, String owner, long created, long idle, long revision) {
        out.putBytes(identity);
        out.putString(pool);
        out.putLong(hi);
        out.putLong(lo);
        out.put(flags);
        out.putString(node);
        out.putString(owner);
        out.putLong(created);
        out.putLong(idle);
        out.putLong(revision);
    }

    private static byte[] bytes(ByteBuffer in) {
        int n = in.getShort() & 0xFFFF;
        if (n == NULL_STRING) {
            return null;
        }
        byte[] b = new byte[n];
        in.get(b);
        return b;
    }

    /** {@link #bytes}, into the array of that length from {@code byLength} (valid until the next call). */
    private static byte[] reusedBytes(ByteBuffer in, byte[][] byLength) {
        int n = in.getShort() & 0xFFFF;
        if (n == NULL_STRING) {
            return null;
        }
        byte[] b = n < byLength.length ? byLength[n] : new byte[n];
        if (b == null) {
            b = new byte[n];
            byLength[n] = b;
        }
        in.get(b);
        return b;
    }

    private static String string(ByteBuffer in) {
        int n = in.getShort() & 0xFFFF;
        if (n == NULL_STRING) {
            return null;
        }
        String s = new String(in.array(), in.arrayOffset() + in.position(), n, StandardCharsets.UTF_8);
        in.position(in.position() + n);
        return s;
    }

    /** A growable big-endian byte buffer. */
    static final class Out {
        byte[] buffer;
        int size;

        Out(int capacity) {
            buffer = new byte[Math.max(16, capacity)];
        }

        private void ensure(int n) {
            if (size + n > buffer.length) {
                buffer = java.util.Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + n));
            }
        }

        void put(byte b) {
            ensure(1);
            buffer[size++] = b;
        }

        void putInt(int v) {
            ensure(4);
            for (int i = 3; i >= 0; i--) {
                buffer[size++] = (byte) (v >>> (i * 8));
            }
        }

        void putLong(long v) {
            ensure(8);
            for (int i = 7; i >= 0; i--) {
                buffer[size++] = (byte) (v >>> (i * 8));
            }
        }

        void putBytes(byte[] b) {
            if (b == null) {
                putShortRaw(NULL_STRING);
                return;
            }
            if (b.length >= NULL_STRING) {
                throw new IllegalArgumentException("a ledger string longer than 65534 bytes");
            }
            putShortRaw(b.length);
            ensure(b.length);
            System.arraycopy(b, 0, buffer, size, b.length);
            size += b.length;
        }

        void putRaw(byte[] b, int length) {
            ensure(length);
            System.arraycopy(b, 0, buffer, size, length);
            size += length;
        }

        void putString(String s) {
            putBytes(s == null ? null : s.getBytes(StandardCharsets.UTF_8));
        }

        private void putShortRaw(int v) {
            ensure(2);
            buffer[size++] = (byte) (v >>> 8);
            buffer[size++] = (byte) v;
        }

        byte[] toArray() {
            return java.util.Arrays.copyOf(buffer, size);
        }
    }
}
