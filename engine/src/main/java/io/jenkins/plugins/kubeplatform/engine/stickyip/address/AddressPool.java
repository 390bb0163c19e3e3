package io.jenkins.plugins.kubeplatform.engine.stickyip.address;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.random.RandomGenerator;

/**
 * The addresses of one pool: sorted, merged IPv4 ranges minus excluded addresses, or one IPv6 range inside a /64
 * (see {@link Ipv6Range}). Pure math; what is taken comes in as an {@link Occupancy} (IPv4) or an
 * {@link IntervalSet} of the /64 (IPv6), so allocation costs O(log n) in the reserved addresses, whatever the pool's
 * size.
 */
public final class AddressPool {

    private final List<AddressRange> ranges;
    private final Set<Long> excluded;
    private final long size;
    private final Optional<Ipv6Range> ipv6;
    private final java.util.TreeSet<IpKey> excludedIpv6;

    private AddressPool(List<AddressRange> ranges, Set<Long> excluded) {
        this.ranges = ranges;
        this.excluded = excluded;
        this.ipv6 = Optional.empty();
        this.excludedIpv6 = new java.util.TreeSet<>();
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

    private AddressPool(Ipv6Range range, Collection<IpKey> excluded) {
        this.ranges = List.of();
        this.excluded = Set.of();
        this.ipv6 = Optional.of(range);
        this.excludedIpv6 = new java.util.TreeSet<>();
        for (IpKey e : excluded) {
            if (range.contains(e)) {
                excludedIpv6.add(e);
            }
        }
        long total = range.size();
        this.size = total == Long.MAX_VALUE ? total : total - excludedIpv6.size();
    }

    /** An IPv6 pool: one range inside one /64, minus exclusions. */
    public static AddressPool ipv6(Ipv6Range range, Collection<IpKey> excluded) {
        return new AddressPool(range, excluded);
    }

    /** The IPv6 range when this is an IPv6 pool. */
    public Optional<Ipv6Range> ipv6() {
        return ipv6;
    }

    /** Whether the address lies in the pool's ranges (excluded or not), for either family. */
    public boolean covers(IpKey address) {
        if (ipv6.isPresent()) {
            return ipv6.get().contains(address);
        }
        return address.ipv4().isPresent() && covers(address.ipv4().getAsLong());
    }

    /** Whether the address may be handed out at all, for either family. */
    public boolean allocatable(IpKey address) {
        if (ipv6.isPresent()) {
            return ipv6.get().contains(address) && !excludedIpv6.contains(address);
        }
        return address.ipv4().isPresent() && allocatable(address.ipv4().getAsLong());
    }

    /**
     * The next IPv6 address to hand out: the lowest free one, or the first free one from a uniformly chosen start.
     *
     * @param reserved the ledger's reserved addresses of the pool's /64 (lower 64 bits), if any
     * @param taken    further addresses that are taken (pods, this decision's own picks)
     */
    public Optional<IpKey> allocateIpv6(Optional<IntervalSet> reserved, Set<IpKey> taken, AllocationOrder order,
                                        RandomGenerator random) {
        Ipv6Range r = ipv6.orElseThrow(() -> new IllegalStateException("not an IPv6 pool"));
        long start = r.firstLow();
        if (order == AllocationOrder.RANDOM) {
            long span = r.lastLow() - r.firstLow() + 1; // 0 means the whole 2^64
            long offset = span == 0 ? random.nextLong() : Long.remainderUnsigned(random.nextLong(), span);
            start = r.firstLow() + offset;
        }
        Optional<IpKey> found = firstFreeIpv6(r, reserved, taken, start, r.lastLow());
        if (found.isEmpty() && start != r.firstLow()) {
            found = firstFreeIpv6(r, reserved, taken, r.firstLow(), start - 1);
        }
        return found;
    }

    private Optional<IpKey> firstFreeIpv6(Ipv6Range r, Optional<IntervalSet> reserved, Set<IpKey> taken, long from,
                                          long to) {
        long candidate = from;
        while (Long.compareUnsigned(candidate, to) <= 0) {
            long free = candidate;
            if (reserved.isPresent()) {
                OptionalLong next = reserved.get().nextAbsent(candidate, to);
                if (next.isEmpty()) {
                    return Optional.empty();
                }
                free = next.getAsLong();
            }
            IpKey key = new IpKey(r.upper(), free);
            if (!taken.contains(key) && !excludedIpv6.contains(key)) {
                return Optional.of(key);
            }
            if (free == to) {
                return Optional.empty();
            }
            candidate = free + 1;
        }
        return Optional.empty();
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
        if (ipv6.isPresent()) {
            return "[" + ipv6.get() + "]" + (excludedIpv6.isEmpty() ? "" : " excluding " + excludedIpv6);
        }
        return ranges + (excluded.isEmpty() ? "" : " excluding " + excluded.stream().map(Ipv4::format).toList());
    }
}
