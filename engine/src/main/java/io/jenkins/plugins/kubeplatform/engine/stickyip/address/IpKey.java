package io.jenkins.plugins.kubeplatform.engine.stickyip.address;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.IPAddressStringParameters;
import inet.ipaddr.ipv6.IPv6Address;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * An IPv4 or IPv6 address as two longs, the form the ledger indexes: IPv6 as its 128 bits, IPv4 as the
 * IPv4-mapped IPv6 address {@code ::ffff:a.b.c.d} (so one key space holds both families). IPv4 text is parsed
 * strictly by {@link Ipv4}; IPv6 text by the ipaddress library without prefixes, zones or IPv4-mapped forms, and
 * printed in the canonical RFC 5952 form that CNI annotations and the Kubernetes API use.
 */
public record IpKey(long hi, long lo) implements Comparable<IpKey> {

    private static final long MAPPED = 0x0000_FFFF_0000_0000L;
    private static final IPAddressStringParameters IPV6_ONLY = new IPAddressStringParameters.Builder()
            .allowEmpty(false).allowPrefix(false).allowMask(false).allowSingleSegment(false).allowIPv4(false)
            .allowWildcardedSeparator(false).allow_inet_aton(false)
            .getIPv6AddressParametersBuilder().allowZone(false).allowMixed(true).allowBinary(false)
            .allowBase85(false).allowWildcardedSeparator(false).getParentBuilder().toParams();

    public static IpKey ofIpv4(long v4) {
        if (v4 < 0 || v4 > Ipv4.MAX) {
            throw new IllegalArgumentException("not an IPv4 address value: " + v4);
        }
        return new IpKey(0, MAPPED | v4);
    }

    /** Parses a dotted quad or an IPv6 address; empty for anything else (prefixes, zones, host names). */
    public static Optional<IpKey> parse(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        String t = text.trim();
        if (t.indexOf(':') < 0) {
            return Ipv4.parse(t).map(IpKey::ofIpv4);
        }
        IPAddress a = new IPAddressString(t, IPV6_ONLY).getAddress();
        if (a == null || !a.isIPv6() || a.isMultiple() || ((IPv6Address) a).isIPv4Mapped()) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(a.getBytes());
        return Optional.of(new IpKey(b.getLong(), b.getLong()));
    }

    public boolean isIpv4() {
        return hi == 0 && (lo & 0xFFFF_FFFF_0000_0000L) == MAPPED;
    }

    /** The IPv4 value, when this is an IPv4 address. */
    public OptionalLong ipv4() {
        return isIpv4() ? OptionalLong.of(lo & Ipv4.MAX) : OptionalLong.empty();
    }

    @Override
    public int compareTo(IpKey o) {
        int c = Long.compareUnsigned(hi, o.hi);
        return c != 0 ? c : Long.compareUnsigned(lo, o.lo);
    }

    @Override
    public String toString() {
        if (isIpv4()) {
            return Ipv4.format(lo & Ipv4.MAX);
        }
        return new IPv6Address(ByteBuffer.allocate(16).putLong(hi).putLong(lo).array()).toCanonicalString();
    }
}
