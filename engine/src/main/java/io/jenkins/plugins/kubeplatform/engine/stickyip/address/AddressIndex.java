package io.jenkins.plugins.kubeplatform.engine.stickyip.address;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * A set of addresses as one bit per address in blocks of 65,536, so that finding the lowest free address among tens
 * of thousands of reserved ones is a word scan, not a walk over every reservation.
 */
public final class AddressIndex implements Occupancy {

    private static final int BLOCK_BITS = 16;
    private static final long BLOCK_MASK = (1L << BLOCK_BITS) - 1;

    private final Map<Long, BitSet> blocks = new HashMap<>();
    private int count;

    public void add(long address) {
        BitSet block = blocks.computeIfAbsent(address >>> BLOCK_BITS, b -> new BitSet(1 << BLOCK_BITS));
        int bit = (int) (address & BLOCK_MASK);
        if (!block.get(bit)) {
            block.set(bit);
            count++;
        }
    }

    public void remove(long address) {
        BitSet block = blocks.get(address >>> BLOCK_BITS);
        int bit = (int) (address & BLOCK_MASK);
        if (block != null && block.get(bit)) {
            block.clear(bit);
            count--;
        }
    }

    public int count() {
        return count;
    }

    @Override
    public boolean isTaken(long address) {
        BitSet block = blocks.get(address >>> BLOCK_BITS);
        return block != null && block.get((int) (address & BLOCK_MASK));
    }

    @Override
    public long nextUntaken(long from, long to) {
        long a = from;
        while (a <= to) {
            long blockId = a >>> BLOCK_BITS;
            BitSet block = blocks.get(blockId);
            if (block == null) {
                return a;
            }
            long free = (blockId << BLOCK_BITS) + block.nextClearBit((int) (a & BLOCK_MASK));
            if (free <= (blockId << BLOCK_BITS) + BLOCK_MASK) {
                return free <= to ? free : -1;
            }
            a = (blockId + 1) << BLOCK_BITS;
        }
        return -1;
    }
}
