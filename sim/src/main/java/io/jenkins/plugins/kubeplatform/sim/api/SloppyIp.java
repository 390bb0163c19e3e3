package io.jenkins.plugins.kubeplatform.sim.api;

import java.util.Optional;

/**
 * IP literals as kube-apiserver v1.32 parses them in validation: {@code netutils.ParseIPSloppy} (k8s.io/utils/net),
 * Go 1.16's {@code net.ParseIP} kept as it was, so an IPv4 part may have leading zeros ({@code 010.1.1.1} is
 * 10.1.1.1). The first {@code .} or {@code :} decides the family; an IPv6 literal may end in a dotted IPv4 part and
 * carry one {@code ::}; no zone, no brackets. Never a name lookup.
 */
public final class SloppyIp {

    private static final int IPV4_LEN = 4;
    private static final int IPV6_LEN = 16;
    /** Go's {@code big} in net/parse.go: a number this large stops {@code dtoi}/{@code xtoi}. */
    private static final int BIG = 0xFFFFFF;

    private SloppyIp() {
    }

    /** The 16-byte form (an IPv4 address IPv4-mapped, as Go keeps it), or empty when {@code s} is not an IP. */
    public static Optional<byte[]> parse(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '.') {
                return Optional.ofNullable(ipv4(s)).map(SloppyIp::mapped);
            }
            if (s.charAt(i) == ':') {
                return Optional.ofNullable(ipv6(s));
            }
        }
        return Optional.empty();
    }

    /** Go's {@code To4() != nil}: an IPv4 address, also written IPv4-mapped ({@code ::ffff:1.2.3.4}). */
    public static boolean isIpv4(byte[] ip) {
        for (int i = 0; i < 10; i++) {
            if (ip[i] != 0) {
                return false;
            }
        }
        return ip[10] == (byte) 0xff && ip[11] == (byte) 0xff;
    }

    private static byte[] mapped(byte[] v4) {
        byte[] ip = new byte[IPV6_LEN];
        ip[10] = (byte) 0xff;
        ip[11] = (byte) 0xff;
        System.arraycopy(v4, 0, ip, 12, IPV4_LEN);
        return ip;
    }

    private static byte[] ipv4(String s) {
        byte[] p = new byte[IPV4_LEN];
        int at = 0;
        for (int i = 0; i < IPV4_LEN; i++) {
            if (at >= s.length()) {
                return null;
            }
            if (i > 0) {
                if (s.charAt(at) != '.') {
                    return null;
                }
                at++;
            }
            int n = 0;
            int start = at;
            while (at < s.length() && Character.isDigit(s.charAt(at)) && s.charAt(at) < 0x80) {
                n = n * 10 + (s.charAt(at) - '0');
                at++;
                if (n >= BIG) {
                    return null;
                }
            }
            if (at == start || n > 0xFF) {
                return null;
            }
            p[i] = (byte) n;
        }
        return at == s.length() ? p : null;
    }

    private static byte[] ipv6(String text) {
        byte[] ip = new byte[IPV6_LEN];
        String s = text;
        int ellipsis = -1;
        if (s.startsWith("::")) {
            ellipsis = 0;
            s = s.substring(2);
            if (s.isEmpty()) {
                return ip;
            }
        }
        int i = 0;
        while (i < IPV6_LEN) {
            int n = 0;
            int c = 0;
            while (c < s.length() && Character.digit(s.charAt(c), 16) >= 0 && s.charAt(c) < 0x80) {
                n = n * 16 + Character.digit(s.charAt(c), 16);
                c++;
                if (n >= BIG) {
                    return null;
                }
            }
            if (c == 0 || n > 0xFFFF) {
                return null;
            }
            if (c < s.length() && s.charAt(c) == '.') {
                if ((ellipsis < 0 && i != IPV6_LEN - IPV4_LEN) || i + IPV4_LEN > IPV6_LEN) {
                    return null;
                }
                byte[] v4 = ipv4(s);
                if (v4 == null) {
                    return null;
                }
                System.arraycopy(v4, 0, ip, i, IPV4_LEN);
                s = "";
                i += IPV4_LEN;
                break;
            }
            ip[i] = (byte) (n >> 8);
            ip[i + 1] = (byte) n;
            i += 2;
            s = s.substring(c);
            if (s.isEmpty()) {
                break;
            }
            if (s.charAt(0) != ':' || s.length() == 1) {
                return null;
            }
            s = s.substring(1);
            if (s.charAt(0) == ':') {
                if (ellipsis >= 0) {
                    return null;
                }
                ellipsis = i;
                s = s.substring(1);
                if (s.isEmpty()) {
                    break;
                }
            }
        }
        if (!s.isEmpty()) {
            return null;
        }
        if (i < IPV6_LEN) {
            if (ellipsis < 0) {
                return null;
            }
            int n = IPV6_LEN - i;
            for (int j = i - 1; j >= ellipsis; j--) {
                ip[j + n] = ip[j];
            }
            for (int j = ellipsis + n - 1; j >= ellipsis; j--) {
                ip[j] = 0;
            }
        } else if (ellipsis >= 0) {
            return null;
        }
        return ip;
    }
}
