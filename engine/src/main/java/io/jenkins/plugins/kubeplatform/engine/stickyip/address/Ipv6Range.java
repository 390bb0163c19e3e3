package io.jenkins.plugins.kubeplatform.engine.stickyip.address;

import java.util.Optional;

/**
 * An inclusive range of IPv6 addresses inside one /64: the upper 64 bits and the first and last lower 64 bits
 * (unsigned). Parsed from a CIDR of /64 to /128 ({@code fd00:10:42::/64}: without its all-zero subnet-router anycast
 * address, except /127 and /128), an explicit range ({@code fd00::10-fd00::ff}) or a single address. Pools larger
 * than a /64 are refused: a /64 already holds 2^64 addresses.
 */
public record Ipv6Range(long upper, long firstLow, long lastLow) {

    public Ipv6Range {
        if (Long.compareUnsigned(firstLow, lastLow) > 0) {
            throw new IllegalArgumentException("IPv6 range starts after it ends");
        }
    }

    /** Whether the text is written as IPv6 (has a colon). */
    public static boolean looksLikeIpv6(String text) {
        return text != null && text.indexOf(':') >= 0;
    }

    /** Why a text is not an IPv6 range; empty when it parses. */
    public static Optional<String> problem(String text) {
        return RangeText.problem(Ipv6Range::parse, text);
    }

    /** @throws IllegalArgumentException with a sentence saying what is wrong */
    public static Ipv6Range parse(String text) {
        String t = text == null ? "" : text.trim();
        int slash = t.indexOf('/');
        int dash = t.indexOf('-');
        if (slash >= 0) {
            IpKey base = address(t.substring(0, slash), t);
            int prefix = RangeText.prefix(t, slash, 128, "64..128");
            if (prefix < 64) {
                throw new IllegalArgumentException("'" + t + "' is larger than a /64; an IPv6 pool is at most a /64 "
                        + "(2^64 addresses)");
            }
            int hostBits = 128 - prefix;
            long mask = hostBits == 64 ? 0 : hostBits == 0 ? -1L : -1L << hostBits;
            if ((base.lo() & mask) != base.lo()) {
                throw new IllegalArgumentException("'" + t + "' has host bits set; the network is "
                        + new IpKey(base.hi(), base.lo() & mask) + "/" + prefix);
            }
            long last = base.lo() | ~mask;
            if (prefix >= 127) {
                return new Ipv6Range(base.hi(), base.lo(), last);
            }
            return new Ipv6Range(base.hi(), base.lo() + 1, last);
        }
        if (dash >= 0) {
            IpKey from = address(t.substring(0, dash), t);
            IpKey to = address(t.substring(dash + 1), t);
            if (from.hi() != to.hi()) {
                throw new IllegalArgumentException("'" + t + "' spans more than one /64; an IPv6 pool is at most a /64");
            }
            if (Long.compareUnsigned(from.lo(), to.lo()) > 0) {
                throw new IllegalArgumentException("'" + t + "' starts after it ends");
            }
            return new Ipv6Range(from.hi(), from.lo(), to.lo());
        }
        IpKey single = address(t, t);
        return new Ipv6Range(single.hi(), single.lo(), single.lo());
    }

    private static IpKey address(String part, String whole) {
        return IpKey.parse(part).filter(k -> !k.isIpv4()).orElseThrow(() -> new IllegalArgumentException("'"
                + whole + "' is not an IPv6 CIDR (fd00:10:42::/64), range (fd00::10-fd00::ff) or address"));
    }

    /** Number of addresses, saturated at {@link Long#MAX_VALUE} (a /64 holds 2^64). */
    public long size() {
        long span = lastLow - firstLow;
        return span < 0 || span == Long.MAX_VALUE ? Long.MAX_VALUE : span + 1;
    }

    public boolean contains(IpKey address) {
        return address.hi() == upper && Long.compareUnsigned(address.lo(), firstLow) >= 0
                && Long.compareUnsigned(address.lo(), lastLow) <= 0;
    }

    /** Whether two ranges share an address. */
    public boolean overlaps(Ipv6Range other) {
        return upper == other.upper && Long.compareUnsigned(firstLow, other.lastLow) <= 0
                && Long.compareUnsigned(other.firstLow, lastLow) <= 0;
    }

    @Override
    public String toString() {
        IpKey first = new IpKey(upper, firstLow);
        return firstLow == lastLow ? first.toString() : first + "-" + new IpKey(upper, lastLow);
    }
}
