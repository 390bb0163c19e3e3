package io.jenkins.plugins.kubeplatform.sim.model;

import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/** An IPv6 prefix: the IPv6 part of a dual-stack Calico IPPool or Kube-OVN Subnet. */
public record Ipv6Cidr(BigInteger network, int prefix) {

    private static final BigInteger ALL = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);

    /** @throws IllegalArgumentException when the text is not an IPv6 CIDR */
    public static Ipv6Cidr parse(String text) {
        String[] parts = text.trim().split("/");
        if (parts.length != 2) {
            throw new IllegalArgumentException("not a CIDR: " + text);
        }
        int prefix;
        try {
            prefix = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad prefix in " + text);
        }
        if (prefix < 0 || prefix > 128) {
            throw new IllegalArgumentException("bad prefix in " + text);
        }
        BigInteger ip = toValue(parts[0]).orElseThrow(() -> new IllegalArgumentException("not an IPv6 address: " + text));
        return new Ipv6Cidr(ip.and(mask(prefix)), prefix);
    }

    private static BigInteger mask(int prefix) {
        return ALL.shiftRight(prefix).xor(ALL);
    }

    /** The 128-bit value of an IPv6 literal; empty for anything else (IPv4, host names, zones). */
    public static Optional<BigInteger> toValue(String text) {
        String t = text == null ? "" : text.trim();
        if (t.indexOf(':') < 0 || t.indexOf('%') >= 0 || !t.matches("[0-9A-Fa-f:.]+")) {
            return Optional.empty();
        }
        try {
            InetAddress a = InetAddress.getByName(t); // a literal: no lookup
            return a instanceof Inet6Address ? Optional.of(new BigInteger(1, a.getAddress())) : Optional.empty();
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    public boolean contains(BigInteger ip) {
        return ip.and(mask(prefix)).equals(network);
    }
}
