package io.jenkins.plugins.kubeplatform.stickyip.address;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.random.RandomGenerator;

/**
 * The addresses of one pool: sorted, merged ranges minus excluded addresses. Pure math; what is taken comes in as an
 * {@link Occupancy}.
 */
public final class AddressPool {

    private final List<AddressRange> ranges;
    private final Set<Long> excluded;
    private final long size;

    private AddressPool(List<AddressRange> ranges, Set<Long> excluded) {
        this.ranges = ranges;
        this.excluded = excluded;
        long total = 0;
        for (AddressRange r : ranges) {
            total += r.size();
        }
        for (long e : excluded) {
            if (containsRange(e)) {
                total--;
            }
        }
        this.size = total;
    }

    /** Merges overlapping and adjacent ranges; the exclusions need not lie inside them. */
    public static AddressPool of(Collection<AddressRange> ranges, Collection<Long> excluded) {
        List<AddressRange> sorted = new ArrayList<>(ranges);
        Collections.sort(sorted);
        List<AddressRange> merged = new ArrayList<>();
        for (AddressRange r : sorted) {
            if (!merged.isEmpty() && merged.get(merged.size() - 1).last() + 1 >= r.first()) {
                AddressRange prev = merged.remove(merged.size() - 1);
                merged.add(new AddressRange(prev.first(), Math.max(prev.last(), r.last())));
            } else {
                merged.add(r);
            }
        }
        return new AddressPool(List.copyOf(merged), Collections.unmodifiableSet(new TreeSet<>(excluded)));
    }

    public List<AddressRange> ranges() {
        return ranges;
    }

    /** Number of addresses that can ever be handed out. */
    public long size() {
        return size;
    }

    /** Whether the address lies in the pool's ranges (excluded or not): pods using it are the pool's business. */
    public boolean covers(long address) {
        return containsRange(address);
    }

    /** Whether the address may be handed out at all. */
    public boolean allocatable(long address) {
        return containsRange(address) && !excluded.contains(address);
    }

    private boolean containsRange(long address) {
        int lo = 0;
        int hi = ranges.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            AddressRange r = ranges.get(mid);
            if (address < r.first()) {
                hi = mid - 1;
            } else if (address > r.last()) {
                lo = mid + 1;
            } else {
                return true;
            }
        }
        return false;
    }

    /** The next address to hand out, or empty when every address is taken or excluded. */
    public OptionalLong allocate(Occupancy taken, AllocationOrder order, RandomGenerator random) {
        Occupancy blocked = taken.or(excluded::contains);
        if (order == AllocationOrder.RANDOM && size > 0) {
            long start = addressAt(random.nextLong(rangeTotal()));
            OptionalLong found = firstFree(blocked, start, Long.MAX_VALUE);
            return found.isPresent() ? found : firstFree(blocked, 0, start - 1);
        }
        return firstFree(blocked, 0, Long.MAX_VALUE);
    }

    private long rangeTotal() {
        long total = 0;
        for (AddressRange r : ranges) {
            total += r.size();
        }
        return total;
    }

    private long addressAt(long offset) {
        long left = offset;
        for (AddressRange r : ranges) {
            if (left < r.size()) {
                return r.first() + left;
            }
            left -= r.size();
        }
        throw new IllegalStateException("offset beyond the pool");
    }

    private OptionalLong firstFree(Occupancy blocked, long from, long to) {
        for (AddressRange r : ranges) {
            long lo = Math.max(r.first(), from);
            long hi = Math.min(r.last(), to);
            if (lo > hi) {
                continue;
            }
            long a = blocked.nextUntaken(lo, hi);
            if (a >= 0) {
                return OptionalLong.of(a);
            }
        }
        return OptionalLong.empty();
    }

    @Override
    public String toString() {
        return ranges + (excluded.isEmpty() ? "" : " excluding " + excluded.stream().map(Ipv4::format).toList());
    }
}
