package io.jenkins.plugins.kubeplatform.engine.stickyip.address;

import java.util.Optional;

/**
 * An inclusive range of IPv4 addresses that may be handed out. Parsed from a CIDR ({@code 10.42.200.0/24}: without
 * its network and broadcast address, except /31 and /32 which have none), an explicit range
 * ({@code 10.42.200.10-10.42.200.99}) or a single address.
 */
public record AddressRange(long first, long last) implements Comparable<AddressRange> {

    public AddressRange {
        if (first < 0 || last > Ipv4.MAX || first > last) {
            throw new IllegalArgumentException("invalid range " + first + ".." + last);
        }
    }

    /** Why a text is not a range; empty when it parses. */
    public static Optional<String> problem(String text) {
        return RangeText.problem(AddressRange::parse, text);
    }

    /** @throws IllegalArgumentException with a sentence saying what is wrong */
    public static AddressRange parse(String text) {
        String t = text == null ? "" : text.trim();
        int slash = t.indexOf('/');
        int dash = t.indexOf('-');
        if (slash >= 0) {
            long base = address(t.substring(0, slash), t);
            int prefix = RangeText.prefix(t, slash, 32, "0..32");
            long mask = prefix == 0 ? 0 : (Ipv4.MAX << (32 - prefix)) & Ipv4.MAX;
            if ((base & mask) != base) {
                throw new IllegalArgumentException("'" + t + "' has host bits set; the network is "
                        + Ipv4.format(base & mask) + "/" + prefix);
            }
            long broadcast = base | (~mask & Ipv4.MAX);
            if (prefix >= 31) {
                return new AddressRange(base, broadcast);
            }
            return new AddressRange(base + 1, broadcast - 1);
        }
        if (dash >= 0) {
            long from = address(t.substring(0, dash), t);
            long to = address(t.substring(dash + 1), t);
            if (from > to) {
                throw new IllegalArgumentException("'" + t + "' starts after it ends");
            }
            return new AddressRange(from, to);
        }
        long single = address(t, t);
        return new AddressRange(single, single);
    }

    private static long address(String part, String whole) {
        return Ipv4.parse(part).orElseThrow(() -> new IllegalArgumentException("'" + whole
                + "' is not an IPv4 CIDR (10.42.200.0/24), range (10.42.200.10-10.42.200.99) or address"));
    }

    public long size() {
        return last - first + 1;
    }

    public boolean contains(long address) {
        return address >= first && address <= last;
    }

    @Override
    public int compareTo(AddressRange o) {
        return first != o.first ? Long.compare(first, o.first) : Long.compare(last, o.last);
    }

    @Override
    public String toString() {
        return first == last ? Ipv4.format(first) : Ipv4.format(first) + "-" + Ipv4.format(last);
    }
}
