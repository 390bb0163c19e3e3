package io.jenkins.plugins.kubeplatform.stickyip;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * An append-only list of reservations kept in their journal encoding in one byte array, decoded on {@link #get}: a
 * GC sweep that releases half a million reservations reports them without keeping half a million object graphs
 * alive (which the JVM's collector would otherwise copy again and again while allocations wait).
 */
final class ReservationList extends AbstractList<Reservation> implements RandomAccess {

    private byte[] bytes = new byte[256];
    private int used;
    private int[] offsets = new int[16];
    private int size;

    @Override
    public boolean add(Reservation r) {
        byte[] encoded = LedgerCodec.encodeChanges(List.of(new LedgerChange.Put(r)));
        if (used + encoded.length > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, used + encoded.length));
        }
        if (size + 1 >= offsets.length) {
            offsets = Arrays.copyOf(offsets, offsets.length * 2);
        }
        System.arraycopy(encoded, 0, bytes, used, encoded.length);
        offsets[size] = used;
        used += encoded.length;
        offsets[++size] = used;
        modCount++;
        return true;
    }

    @Override
    public Reservation get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(index);
        }
        try {
            List<LedgerChange> changes = LedgerCodec.decodeChanges(
                    ByteBuffer.wrap(bytes, offsets[index], offsets[index + 1] - offsets[index]).slice());
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
