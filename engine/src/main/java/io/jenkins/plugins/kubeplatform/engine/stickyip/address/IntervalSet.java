package io.jenkins.plugins.kubeplatform.engine.stickyip.address;

import java.util.ArrayList;
import java.util.List;

/**
 * A set of unsigned 64-bit values kept as sorted, disjoint, non-adjacent runs {@code [start, end]} in chunks of at
 * most {@value #CHUNK} runs. Memory follows the number of runs (one for a pool filled lowest-first, one per address
 * when addresses are scattered), never the size of the address space, so a /64 costs what its reservations cost.
 * Membership and "next value not in the set" are two binary searches.
 */
public final class IntervalSet {

    private static final int CHUNK = 128;

    /** Runs of one chunk; {@code starts[0]} is the chunk's key. */
    private static final class Chunk {
        long[] starts = new long[8];
        long[] ends = new long[8];
        int size;

        void insert(int at, long start, long end) {
            if (size == starts.length) {
                int grown = Math.min(CHUNK, size * 2);
                starts = java.util.Arrays.copyOf(starts, grown);
                ends = java.util.Arrays.copyOf(ends, grown);
            }
            System.arraycopy(starts, at, starts, at + 1, size - at);
            System.arraycopy(ends, at, ends, at + 1, size - at);
            starts[at] = start;
            ends[at] = end;
            size++;
        }

        void delete(int at) {
            System.arraycopy(starts, at + 1, starts, at, size - at - 1);
            System.arraycopy(ends, at + 1, ends, at, size - at - 1);
            size--;
        }
    }

    private final List<Chunk> chunks = new ArrayList<>();
    private long count;
    private long runs;

    /** How many values are in the set. */
    public long count() {
        return count;
    }

    /** How many separate runs hold them (what the memory follows). */
    public long runs() {
        return runs;
    }

    private static int cmp(long a, long b) {
        return Long.compareUnsigned(a, b);
    }

    /** Index of the last chunk whose first start is ≤ value, or -1. */
    private int chunkFor(long value) {
        int lo = 0;
        int hi = chunks.size() - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (cmp(chunks.get(mid).starts[0], value) <= 0) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /** Index of the last run in the chunk whose start is ≤ value, or -1. */
    private static int runFor(Chunk c, long value) {
        int lo = 0;
        int hi = c.size - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (cmp(c.starts[mid], value) <= 0) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    public boolean contains(long value) {
        int ci = chunkFor(value);
        if (ci < 0) {
            return false;
        }
        Chunk c = chunks.get(ci);
        int ri = runFor(c, value);
        return ri >= 0 && cmp(value, c.ends[ri]) <= 0;
    }

    /** The smallest value ≥ {@code from} and ≤ {@code to} (unsigned) that is not in the set, or empty. */
    public java.util.OptionalLong nextAbsent(long from, long to) {
        if (cmp(from, to) > 0) {
            return java.util.OptionalLong.empty();
        }
        int ci = chunkFor(from);
        if (ci < 0) {
            return java.util.OptionalLong.of(from);
        }
        Chunk c = chunks.get(ci);
        int ri = runFor(c, from);
        if (ri < 0 || cmp(from, c.ends[ri]) > 0) {
            return java.util.OptionalLong.of(from);
        }
        long end = c.ends[ri];
        // runs never touch, so the value after a run's end is free (unless the run ends at the top of the space)
        if (end == -1L || cmp(end, to) >= 0) {
            return java.util.OptionalLong.empty();
        }
        return java.util.OptionalLong.of(end + 1);
    }

    /** Adds a value; returns false when it was present. */
    public boolean add(long value) {
        int ci = chunkFor(value);
        if (ci < 0) {
            if (chunks.isEmpty()) {
                Chunk c = new Chunk();
                c.insert(0, value, value);
                chunks.add(c);
                count++;
                runs++;
                return true;
            }
            ci = 0;
        }
        Chunk c = chunks.get(ci);
        int ri = runFor(c, value);
        if (ri >= 0 && cmp(value, c.ends[ri]) <= 0) {
            return false;
        }
        boolean joinsPrevious = ri >= 0 && c.ends[ri] + 1 == value;
        Chunk nextChunk = c;
        int ni = ri + 1;
        if (ni == c.size && ci + 1 < chunks.size()) {
            nextChunk = chunks.get(ci + 1);
            ni = 0;
        }
        boolean joinsNext = ni < nextChunk.size && value + 1 == nextChunk.starts[ni] && value != -1L;
        count++;
        if (joinsPrevious && joinsNext) {
            c.ends[ri] = nextChunk.ends[ni];
            nextChunk.delete(ni);
            runs--;
            if (nextChunk.size == 0) {
                chunks.remove(nextChunk == c ? ci : ci + 1);
            }
        } else if (joinsPrevious) {
            c.ends[ri] = value;
        } else if (joinsNext) {
            nextChunk.starts[ni] = value;
        } else {
            c.insert(ri + 1, value, value);
            runs++;
            if (c.size == CHUNK) {
                split(ci);
            }
        }
        return true;
    }

    private void split(int ci) {
        Chunk c = chunks.get(ci);
        Chunk upper = new Chunk();
        int half = c.size / 2;
        upper.starts = java.util.Arrays.copyOfRange(c.starts, half, CHUNK);
        upper.ends = java.util.Arrays.copyOfRange(c.ends, half, CHUNK);
        upper.size = c.size - half;
        c.size = half;
        chunks.add(ci + 1, upper);
    }

    /** Removes a value; returns false when it was absent. */
    public boolean remove(long value) {
        int ci = chunkFor(value);
        if (ci < 0) {
            return false;
        }
        Chunk c = chunks.get(ci);
        int ri = runFor(c, value);
        if (ri < 0 || cmp(value, c.ends[ri]) > 0) {
            return false;
        }
        count--;
        long start = c.starts[ri];
        long end = c.ends[ri];
        if (start == value && end == value) {
            c.delete(ri);
            runs--;
            if (c.size == 0) {
                chunks.remove(ci);
            }
        } else if (start == value) {
            c.starts[ri] = value + 1;
        } else if (end == value) {
            c.ends[ri] = value - 1;
        } else {
            c.ends[ri] = value - 1;
            c.insert(ri + 1, value + 1, end);
            runs++;
            if (c.size == CHUNK) {
                split(ci);
            }
        }
        return true;
    }
}
