package io.jenkins.plugins.kubeplatform.engine.stickyip.address;

import java.util.Optional;

/** IPv4 addresses as unsigned 32-bit values held in a {@code long} (0 .. 2^32-1), parsed strictly. */
public final class Ipv4 {

    public static final long MAX = 0xFFFF_FFFFL;

    private Ipv4() {
    }

    /** Dotted quad, four decimal octets 0..255 without leading zeros (so "010.0.0.1" is not read as octal or decimal). */
    public static Optional<Long> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String[] parts = text.trim().split("\\.", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        long value = 0;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || (part.length() > 1 && part.charAt(0) == '0')) {
                return Optional.empty();
            }
            int octet = 0;
            for (int i = 0; i < part.length(); i++) {
                char c = part.charAt(i);
                if (c < '0' || c > '9') {
                    return Optional.empty();
                }
                octet = octet * 10 + (c - '0');
            }
            if (octet > 255) {
                return Optional.empty();
            }
            value = (value << 8) | octet;
        }
        return Optional.of(value);
    }

    public static String format(long address) {
        if (address < 0 || address > MAX) {
            throw new IllegalArgumentException("not an IPv4 address value: " + address);
        }
        return ((address >>> 24) & 0xFF) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "."
                + (address & 0xFF);
    }

    /** Whether the text is a strict dotted-quad IPv4 address. */
    public static boolean isValid(String text) {
        return parse(text).isPresent();
    }
}
