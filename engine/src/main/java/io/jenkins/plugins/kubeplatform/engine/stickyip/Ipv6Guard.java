package io.jenkins.plugins.kubeplatform.engine.stickyip;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressSeqRange;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.ipv6.IPv6Address;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.jenkins.plugins.kubeplatform.engine.stickyip.address.AddressPool;
import io.jenkins.plugins.kubeplatform.engine.stickyip.address.Ipv6Range;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The SIP-13 check ({@link CniGuard}) for a pool's IPv6 part, the one of an IPv6 or a dual-stack pool: the same
 * rules with the CNI's IPv6 objects (Calico IPPools and IPReservation CIDRs of the family; the IPv6 part of a
 * dual-stack Kube-OVN subnet's {@code cidrBlock} and its IPv6 {@code excludeIps}). Range math by the ipaddress library.
 */
final class Ipv6Guard {

    private Ipv6Guard() {
    }

    /** The pool's IPv6 addresses as a sequential range, if it has an IPv6 part. */
    static Optional<IPAddressSeqRange> range(IpPool pool) {
        return pool.family(false).flatMap(AddressPool::ipv6).map(Ipv6Guard::range);
    }

    static IPAddressSeqRange range(Ipv6Range r) {
        return address(r.upper(), r.firstLow()).spanWithRange(address(r.upper(), r.lastLow()));
    }

    private static IPv6Address address(long hi, long lo) {
        return new IPv6Address(ByteBuffer.allocate(16).putLong(hi).putLong(lo).array());
    }

    /** An IPv6 CIDR, range {@code a..b} or address as a range; empty for IPv4 or anything unparsable. */
    static Optional<IPAddressSeqRange> parse(Object text) {
        if (text == null) {
            return Optional.empty();
        }
        String[] ends = String.valueOf(text).trim().split("\\.\\.", 2);
        IPAddress first = new IPAddressString(ends[0].trim()).getAddress();
        if (first == null || !first.isIPv6()) {
            return Optional.empty();
        }
        if (ends.length == 1) {
            return Optional.of(first.toPrefixBlock().toSequentialRange());
        }
        IPAddress last = new IPAddressString(ends[1].trim()).getAddress();
        if (last == null || !last.isIPv6() || first.compareTo(last) > 0) {
            return Optional.empty();
        }
        return Optional.of(first.withoutPrefixLength().spanWithRange(last.withoutPrefixLength()));
    }

    /** What of {@code range} none of {@code covers} covers. */
    static List<IPAddressSeqRange> uncovered(IPAddressSeqRange range, List<IPAddressSeqRange> covers) {
        List<IPAddressSeqRange> left = new ArrayList<>(List.of(range));
        for (IPAddressSeqRange c : covers) {
            List<IPAddressSeqRange> next = new ArrayList<>();
            for (IPAddressSeqRange l : left) {
                next.addAll(Arrays.asList(l.subtract(c)));
            }
            left = next;
        }
        return left;
    }

    /** The range as written for people: the CIDR when the range is a CIDR's hosts (without its ::0), else a-b. */
    static List<String> cidrs(IPAddressSeqRange r) {
        IPAddress[] blocks = r.spanWithPrefixBlocks();
        if (!r.getLower().isZero()) {
            IPAddress[] widened = r.getLower().increment(-1).spanWithRange(r.getUpper()).spanWithPrefixBlocks();
            if (widened.length == 1) {
                blocks = widened;
            }
        }
        List<String> out = new ArrayList<>();
        for (IPAddress b : blocks) {
            out.add(b.toCanonicalString());
        }
        return out;
    }

    private static String describe(List<IPAddressSeqRange> ranges) {
        List<String> parts = new ArrayList<>();
        ranges.forEach(r -> parts.add(r.getLower().toCanonicalString() + (r.getCount().signum() > 0
                && !r.getLower().equals(r.getUpper()) ? "-" + r.getUpper().toCanonicalString() : "")));
        return String.join(", ", parts);
    }

    /** The finding for pool addresses outside every enabled Calico IPPool, with the manual IPPools that fix it. */
    private static CniGuard.Finding outsideCalicoPools(IpPool pool, List<IPAddressSeqRange> outside) {
        StringBuilder yaml = new StringBuilder();
        for (IPAddressSeqRange r : outside) {
            for (String c : cidrs(r)) {
                yaml.append(yaml.length() == 0 ? "" : "---\n").append("apiVersion: crd.projectcalico.org/v1\n")
                        .append("kind: IPPool\nmetadata:\n  name: kubeplatform-").append(pool.name()).append("-ipv6\n")
                        .append("spec:\n  cidr: ").append(c).append("\n  assignmentMode: Manual\n");
            }
        }
        return new CniGuard.Finding("IPv6 addresses " + describe(outside) + " of pool '" + pool.name()
                + "' lie in no enabled Calico IPPool: Calico refuses them (\"the provided IP address is not in a "
                + "configured pool\"). Create an IPPool for them from which Calico never assigns on its own "
                + "(kubectl apply -f):", yaml.toString());
    }

    /** The ranges Calico IPReservations keep from automatic assignment. */
    private static List<IPAddressSeqRange> reservedRanges(List<GenericKubernetesResource> reservations) {
        List<IPAddressSeqRange> reserved = new ArrayList<>();
        for (GenericKubernetesResource r : reservations) {
            if (r.get("spec", "reservedCIDRs") instanceof List<?> cidrs) {
                cidrs.forEach(c -> parse(c).ifPresent(reserved::add));
            }
        }
        return reserved;
    }

    static List<CniGuard.Finding> calico(IpPool pool, List<GenericKubernetesResource> ipPools,
                                         List<GenericKubernetesResource> reservations) {
        Optional<IPAddressSeqRange> range = range(pool);
        if (range.isEmpty()) {
            return List.of();
        }
        List<IPAddressSeqRange> enabled = new ArrayList<>();
        List<GenericKubernetesResource> automatic = new ArrayList<>();
        for (GenericKubernetesResource p : ipPools) {
            Object selector = p.get("spec", "nodeSelector");
            Object mode = p.get("spec", "assignmentMode");
            CniGuard.CalicoPool info = new CniGuard.CalicoPool(p.getMetadata().getName(), null,
                    String.valueOf((Object) p.get("spec", "cidr")), flag(p.get("spec", "disabled")),
                    selector == null ? "all()" : String.valueOf(selector), mode == null ? "Automatic" : String.valueOf(mode));
            Optional<IPAddressSeqRange> cidr = parse(p.get("spec", "cidr"));
            if (cidr.isPresent() && !info.disabled()) {
                enabled.add(cidr.get());
                if (info.autoAssigns()) {
                    automatic.add(p);
                }
            }
        }
        List<IPAddressSeqRange> outside = uncovered(range.get(), enabled);
        if (!outside.isEmpty()) {
            return List.of(outsideCalicoPools(pool, outside));
        }
        List<IPAddressSeqRange> reserved = reservedRanges(reservations);
        List<CniGuard.Finding> findings = new ArrayList<>();
        for (GenericKubernetesResource p : automatic) {
            IPAddressSeqRange overlap = range.get().intersect(parse(p.get("spec", "cidr")).orElseThrow());
            if (overlap == null) {
                continue;
            }
            List<IPAddressSeqRange> exposed = uncovered(overlap, reserved);
            if (!exposed.isEmpty()) {
                StringBuilder yaml = new StringBuilder("apiVersion: crd.projectcalico.org/v1\nkind: IPReservation\n"
                        + "metadata:\n  name: kubeplatform-" + pool.name() + "-ipv6\nspec:\n  reservedCIDRs:\n");
                exposed.forEach(r -> cidrs(r).forEach(c -> yaml.append("    - ").append(c).append('\n')));
                findings.add(new CniGuard.Finding("IPv6 addresses " + describe(exposed) + " of pool '" + pool.name()
                        + "' lie in Calico IPPool " + p.getMetadata().getName() + " (" + (Object) p.get("spec", "cidr")
                        + "), which assigns addresses automatically: any pod the cluster starts can take a reserved or "
                        + "idle address. Keep them from automatic assignment (kubectl apply -f):", yaml.toString()));
            }
        }
        return findings;
    }

    static List<CniGuard.Finding> kubeOvn(IpPool pool, List<GenericKubernetesResource> subnets) {
        Optional<IPAddressSeqRange> range = range(pool);
        if (range.isEmpty()) {
            return List.of();
        }
        List<CniGuard.Finding> findings = new ArrayList<>();
        List<IPAddressSeqRange> blocks = new ArrayList<>();
        for (GenericKubernetesResource s : subnets) {
            Object block = s.get("spec", "cidrBlock");
            Optional<IPAddressSeqRange> cidr = block == null ? Optional.empty() : Arrays.stream(
                    String.valueOf(block).split(",")).map(Ipv6Guard::parse).flatMap(Optional::stream).findFirst();
            if (cidr.isEmpty()) {
                continue;
            }
            blocks.add(cidr.get());
            IPAddressSeqRange overlap = range.get().intersect(cidr.get());
            if (overlap == null) {
                continue;
            }
            List<IPAddressSeqRange> excluded = new ArrayList<>();
            List<String> texts = new ArrayList<>();
            if (s.get("spec", "excludeIps") instanceof List<?> items) {
                for (Object item : items) {
                    texts.add(String.valueOf(item).trim());
                    parse(item).ifPresent(excluded::add);
                }
            }
            List<IPAddressSeqRange> exposed = uncovered(overlap, excluded);
            if (!exposed.isEmpty()) {
                StringBuilder yaml = new StringBuilder("apiVersion: kubeovn.io/v1\nkind: Subnet\nmetadata:\n  name: ")
                        .append(s.getMetadata().getName()).append("\nspec:\n  excludeIps:\n");
                texts.forEach(t -> yaml.append("    - ").append(t).append('\n'));
                exposed.forEach(r -> yaml.append("    - ").append(r.getLower().toCanonicalString())
                        .append(r.getLower().equals(r.getUpper()) ? "" : ".." + r.getUpper().toCanonicalString())
                        .append('\n'));
                findings.add(new CniGuard.Finding("IPv6 addresses " + describe(exposed) + " of pool '" + pool.name()
                        + "' are not in the excludeIps of Kube-OVN Subnet " + s.getMetadata().getName() + ", so "
                        + "Kube-OVN hands them to any pod of the subnet. Exclude them from automatic allocation "
                        + "(kubectl apply -f; the list keeps the existing entries):", yaml.toString()));
            }
        }
        List<IPAddressSeqRange> outside = uncovered(range.get(), blocks);
        if (!outside.isEmpty()) {
            findings.add(0, new CniGuard.Finding("IPv6 addresses " + describe(outside) + " of pool '" + pool.name()
                    + "' lie in no Kube-OVN Subnet: Kube-OVN refuses them (OutOfRange). Make a Subnet dual-stack "
                    + "(cidrBlock: <IPv4 CIDR>,<IPv6 CIDR>) that covers them and list them in its excludeIps.", ""));
        }
        return findings;
    }

    private static boolean flag(Object value) {
        return Boolean.TRUE.equals(value) || "true".equals(String.valueOf(value));
    }
}
