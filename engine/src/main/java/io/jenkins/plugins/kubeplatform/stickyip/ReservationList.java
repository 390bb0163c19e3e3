package io.jenkins.plugins.kubeplatform.stickyip;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.RandomAccess;

/**
 * An append-only list of reservations kept in their journal encoding, decoded on {@link #get}: a GC sweep that
 * releases half a million reservations reports them without keeping half a million object graphs alive (which the
 * JVM's collector would otherwise copy again and again while allocations wait). The bytes and the offsets live in
 * fixed-size chunks allocated once each (never regrown and copied, and below the size the G1 collector treats as a
 * humongous object).
 */
final class ReservationList extends AbstractList<Reservation> implements RandomAccess {

    private static final int CHUNK_BYTES = 256 << 10;
    private static final int CHUNK_ENTRIES = 1 << 14;

    private final List<byte[]> chunks = new ArrayList<>();
    private final List<int[]> offsets = new ArrayList<>(); // per entry: where in its chunk,
    private final List<int[]> chunkOf = new ArrayList<>(); // which chunk,
    private final List<int[]> lengths = new ArrayList<>(); // and how many bytes
    private final LedgerCodec.Out scratch = new LedgerCodec.Out(256);
    private int used = CHUNK_BYTES;
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
        if (used + length > CHUNK_BYTES) {
            chunks.add(new byte[Math.max(CHUNK_BYTES, length)]);
            used = 0;
        }
        if (size % CHUNK_ENTRIES == 0) {
            offsets.add(new int[CHUNK_ENTRIES]);
            chunkOf.add(new int[CHUNK_ENTRIES]);
            lengths.add(new int[CHUNK_ENTRIES]);
        }
        int chunk = chunks.size() - 1;
        System.arraycopy(scratch.buffer, 0, chunks.get(chunk), used, length);
        offsets.get(size / CHUNK_ENTRIES)[size % CHUNK_ENTRIES] = used;
        chunkOf.get(size / CHUNK_ENTRIES)[size % CHUNK_ENTRIES] = chunk;
        lengths.get(size / CHUNK_ENTRIES)[size % CHUNK_ENTRIES] = length;
        used += length;
        size++;
        modCount++;
        return true;
    }

    @Override
    public Reservation get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(index);
        }
        int at = offsets.get(index / CHUNK_ENTRIES)[index % CHUNK_ENTRIES];
        byte[] chunk = chunks.get(chunkOf.get(index / CHUNK_ENTRIES)[index % CHUNK_ENTRIES]);
        int length = lengths.get(index / CHUNK_ENTRIES)[index % CHUNK_ENTRIES];
        try {
            List<LedgerChange> changes = LedgerCodec.decodeChanges(ByteBuffer.wrap(chunk, at, length).slice());
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
