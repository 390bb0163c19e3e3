package io.jenkins.plugins.kubeplatform.engine.stickyip;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * An append-only list of reservations kept in their journal encoding, decoded on {@link #get}: a GC sweep that
 * releases half a million reservations reports them without keeping half a million object graphs alive (which the
 * JVM's collector would otherwise copy again and again while allocations wait).
 *
 * <p>The bytes live in chunks that are never regrown or copied: small ones first (a sweep that releases a few
 * allocates little), doubling up to {@link #MAX_CHUNK}, just under 8 MiB, which G1 allocates as a humongous object
 * straight into whole old-generation regions (for region sizes of 1 to 8 MiB, heaps up to ~32 GiB) — so the bulk of
 * a large sweep's report is never copied by a young collection, the pause that lands on concurrent allocations.
 */
final class ReservationList extends AbstractList<Reservation> implements RandomAccess {

    private static final int FIRST_CHUNK = 64 << 10;
    static final int MAX_CHUNK = (8 << 20) - 64;

    private final List<byte[]> chunks = new ArrayList<>();
    private int[] chunkEnds = new int[4];
    /** Per entry: its chunk (upper 32 bits) and offset in it (lower 32); its end is the next entry's or the chunk's. */
    private long[] index = new long[64];
    private final LedgerCodec.Out scratch = new LedgerCodec.Out(256);
    private int used;
    private int size;

    @Override
    public boolean add(Reservation r) {
        scratch.size = 0;
        LedgerCodec.writePut(scratch, r);
        return addEncoded();
    }

    /** Adds one reservation given as its columns (a sweep reading a table), without building it. */
    void addRaw(byte[] identity, String pool, long hi, long lo, byte flags, String node, String owner, long created,
                long idleSince, long revision, Reservation.PinRelease pin) {
        scratch.size = 0;
        LedgerCodec.writePut(scratch, identity, pool, hi, lo, flags, node, owner, created, idleSince, revision, pin);
        addEncoded();
    }

    private boolean addEncoded() {
        int length = scratch.size;
        if (chunks.isEmpty() || used + length > chunks.get(chunks.size() - 1).length) {
            int last = chunks.isEmpty() ? FIRST_CHUNK / 2 : chunks.get(chunks.size() - 1).length;
            chunks.add(new byte[Math.max(length, (int) Math.min(MAX_CHUNK, last * 2L))]);
            if (chunks.size() > chunkEnds.length) {
                chunkEnds = Arrays.copyOf(chunkEnds, chunkEnds.length * 2);
            }
            used = 0;
        }
        int chunk = chunks.size() - 1;
        System.arraycopy(scratch.buffer, 0, chunks.get(chunk), used, length);
        if (size == index.length) {
            index = Arrays.copyOf(index, size * 2);
        }
        index[size++] = (long) chunk << 32 | used;
        used += length;
        chunkEnds[chunk] = used;
        modCount++;
        return true;
    }

    @Override
    public Reservation get(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException(i);
        }
        int chunk = (int) (index[i] >>> 32);
        int at = (int) index[i];
        int end = i + 1 < size && (int) (index[i + 1] >>> 32) == chunk ? (int) index[i + 1] : chunkEnds[chunk];
        try {
            List<LedgerChange> changes = LedgerCodec.decodeChanges(ByteBuffer.wrap(chunks.get(chunk), at, end - at)
                    .slice());
            return ((LedgerChange.Put) changes.get(0)).reservation();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // only bytes this list encoded itself
        }
    }

    @Override
    public int size() {
        return size;
    }
}
