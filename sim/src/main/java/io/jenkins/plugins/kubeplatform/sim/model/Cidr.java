package io.jenkins.plugins.kubeplatform.sim.model;

import java.util.Optional;

/** An IPv4 CIDR block. */
public record Cidr(long network, int prefix) {

    public static Cidr parse(String text) {
        String[] parts = text.trim().split("/");
        if (parts.length != 2) {
            throw new IllegalArgumentException("not a CIDR: " + text);
        }
        int prefix = Integer.parseInt(parts[1]);
        if (prefix < 0 || prefix > 32) {
            throw new IllegalArgumentException("bad prefix in " + text);
        }
        long ip = toLong(parts[0]).orElseThrow(() -> new IllegalArgumentException("not an IPv4 address: " + text));
        return new Cidr(ip & mask(prefix), prefix);
    }

    private static long mask(int prefix) {
        return prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
    }

    public long size() {
        return 1L << (32 - prefix);
    }

    public boolean contains(String ip) {
        return toLong(ip).map(this::contains).orElse(false);
    }

    public boolean contains(long ip) {
        return (ip & mask(prefix)) == network;
    }

    /** First usable host address (network + 1 for blocks larger than /31). */
    public long firstHost() {
        return prefix >= 31 ? network : network + 1;
    }

    /** Last usable host address (broadcast - 1 for blocks larger than /31). */
    public long lastHost() {
        return prefix >= 31 ? network + size() - 1 : network + size() - 2;
    }

    @Override
    public String toString() {
        return toString(network) + "/" + prefix;
    }

    public static Optional<Long> toLong(String ip) {
        String[] octets = ip.trim().split("\\.");
        if (octets.length != 4) {
            return Optional.empty();
        }
        long value = 0;
        for (String o : octets) {
            int n;
            try {
                n = Integer.parseInt(o);
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
            if (n < 0 || n > 255 || o.isEmpty() || (o.length() > 1 && o.startsWith("0"))) {
                return Optional.empty();
            }
            value = (value << 8) | n;
        }
        return Optional.of(value);
    }

    public static String toString(long ip) {
        return ((ip >> 24) & 255) + "." + ((ip >> 16) & 255) + "." + ((ip >> 8) & 255) + "." + (ip & 255);
    }
}
