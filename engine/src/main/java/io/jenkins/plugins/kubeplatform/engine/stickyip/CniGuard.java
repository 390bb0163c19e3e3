package io.jenkins.plugins.kubeplatform.engine.stickyip;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.stickyip.address.AddressRange;
import io.jenkins.plugins.kubeplatform.engine.stickyip.address.Ipv4;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Whether the CNI can hand a pool's addresses to unrelated pods (SIP-13); a pure function of the pool and the CNI's
 * own objects. The ledger never re-issues an address, but Calico auto-assigns from every enabled IPPool that allows
 * it to every pod the cluster starts: an idle reservation, or the gap between the old and the new pod of a Recreate,
 * can be taken by a stranger and the identity then fails with "Address already assigned". Safe are addresses in an
 * IPPool with {@code assignmentMode: Manual} or {@code nodeSelector: "!all()"} and no automatic pool overlapping them,
 * or covered by an {@code IPReservation}; for Kube-OVN, addresses in the subnet's {@code excludeIps}. A pool's IPv6
 * part is checked by {@link Ipv6Guard}.
 */
final class CniGuard {

    /** A Calico IPPool as far as the check needs it. */
    record CalicoPool(String name, AddressRange cidr, String cidrText, boolean disabled, String nodeSelector,
                      String assignmentMode) {

        boolean autoAssigns() {
            String selector = nodeSelector == null ? "" : nodeSelector.replace(" ", "");
            return !disabled && !"Manual".equals(assignmentMode) && !selector.equals("!all()");
        }
    }

    /** A Kube-OVN Subnet: its CIDR and the inclusive ranges of {@code excludeIps}. */
    record OvnSubnet(String name, AddressRange cidr, List<String> excludeIps, List<AddressRange> excluded) {
    }

    /** One problem with the object that fixes it. */
    record Finding(String problem, String fix) {

        String message() {
            return problem + "\n" + fix;
        }
    }

    /** The CRDs the check reads (read-only; docs/rbac.yaml grants list on them). */
    static final ResourceDefinitionContext IPPOOLS = new ResourceDefinitionContext.Builder()
            .withGroup("crd.projectcalico.org").withVersion("v1").withKind("IPPool").withPlural("ippools")
            .withNamespaced(false).build();
    static final ResourceDefinitionContext IPRESERVATIONS = new ResourceDefinitionContext.Builder()
            .withGroup("crd.projectcalico.org").withVersion("v1").withKind("IPReservation").withPlural("ipreservations")
            .withNamespaced(false).build();
    static final ResourceDefinitionContext SUBNETS = new ResourceDefinitionContext.Builder()
            .withGroup("kubeovn.io").withVersion("v1").withKind("Subnet").withPlural("subnets")
            .withNamespaced(false).build();

    private CniGuard() {
    }

    /**
     * Runs the check for {@code pool} against the cluster: nothing when the pool says {@code off}; a warning when the
     * CNI's objects cannot be read; otherwise each finding fails the deploy ({@code enforce}) or is printed
     * ({@code warn}). Read-only.
     */
    static void check(IpPool pool, ClusterObserver observer, Progress progress) {
        if (pool.cniCheck() == CniCheck.OFF) {
            return;
        }
        List<Finding> findings;
        if (pool.cni() == Cni.CALICO) {
            Optional<List<GenericKubernetesResource>> pools = observer.customResources(IPPOOLS);
            if (pools.isEmpty()) {
                progress.warn("cannot read Calico IPPools (crd.projectcalico.org/v1: not installed or not allowed); "
                        + "not checking that pool '" + pool.name() + "' is kept from automatic assignment (SIP-13)");
                return;
            }
            List<AddressRange> reserved = new ArrayList<>();
            List<GenericKubernetesResource> reservations = observer.customResources(IPRESERVATIONS).orElse(List.of());
            reservations.forEach(r -> reserved.addAll(reservedCidrs(r)));
            findings = new ArrayList<>(calico(pool, pools.get().stream().map(CniGuard::calicoPool)
                    .flatMap(Optional::stream).toList(), reserved));
            findings.addAll(Ipv6Guard.calico(pool, pools.get(), reservations));
        } else {
            Optional<List<GenericKubernetesResource>> subnets = observer.customResources(SUBNETS);
            if (subnets.isEmpty()) {
                progress.warn("cannot read Kube-OVN Subnets (kubeovn.io/v1: not installed or not allowed); not checking "
                        + "that pool '" + pool.name() + "' is excluded from automatic allocation (SIP-13)");
                return;
            }
            findings = new ArrayList<>(kubeOvn(pool, subnets.get().stream().map(CniGuard::subnet)
                    .flatMap(Optional::stream).toList()));
            findings.addAll(Ipv6Guard.kubeOvn(pool, subnets.get()));
        }
        if (findings.isEmpty()) {
            return;
        }
        String text = findings.stream().map(Finding::message).reduce((a, b) -> a + "\n" + b).orElse("");
        if (pool.cniCheck() == CniCheck.WARN) {
            progress.warn(text + "(pool '" + pool.name() + "' has cniCheck: warn, deploying anyway)");
            return;
        }
        throw new OperationFailedException(text + "Nothing was changed. (Pool setting cniCheck: warn deploys anyway.)");
    }

    static Optional<CalicoPool> calicoPool(GenericKubernetesResource r) {
        Object cidr = r.get("spec", "cidr");
        Optional<AddressRange> range = parse(cidr);
        if (range.isEmpty()) {
            return Optional.empty();
        }
        Object disabled = r.get("spec", "disabled");
        Object selector = r.get("spec", "nodeSelector");
        Object mode = r.get("spec", "assignmentMode");
        return Optional.of(new CalicoPool(r.getMetadata().getName(), range.get(), String.valueOf(cidr),
                Boolean.TRUE.equals(disabled) || "true".equals(String.valueOf(disabled)),
                selector == null ? "all()" : String.valueOf(selector), mode == null ? "Automatic" : String.valueOf(mode)));
    }

    static List<AddressRange> reservedCidrs(GenericKubernetesResource r) {
        List<AddressRange> out = new ArrayList<>();
        if (r.get("spec", "reservedCIDRs") instanceof List<?> cidrs) {
            for (Object c : cidrs) {
                parse(c).ifPresent(out::add);
            }
        }
        return out;
    }

    static Optional<OvnSubnet> subnet(GenericKubernetesResource r) {
        // a dual-stack subnet's cidrBlock is "<IPv4 CIDR>,<IPv6 CIDR>"; the IPv4 part is checked here
        Object block = r.get("spec", "cidrBlock");
        Optional<AddressRange> range = block == null ? Optional.empty() : java.util.Arrays.stream(
                String.valueOf(block).split(",")).filter(t -> !t.contains(":")).findFirst().flatMap(CniGuard::parse);
        if (range.isEmpty()) {
            return Optional.empty();
        }
        List<String> texts = new ArrayList<>();
        List<AddressRange> excluded = new ArrayList<>();
        if (r.get("spec", "excludeIps") instanceof List<?> items) {
            for (Object item : items) {
                String text = String.valueOf(item).trim();
                texts.add(text);
                String[] ends = text.split("\\.\\.", 2);
                Optional<Long> first = Ipv4.parse(ends[0]);
                Optional<Long> last = Ipv4.parse(ends.length > 1 ? ends[1] : ends[0]);
                if (first.isPresent() && last.isPresent() && first.get() <= last.get()) {
                    excluded.add(new AddressRange(first.get(), last.get()));
                }
            }
        }
        return Optional.of(new OvnSubnet(r.getMetadata().getName(), range.get(), texts, excluded));
    }

    private static Optional<AddressRange> parse(Object cidr) {
        if (cidr == null) {
            return Optional.empty();
        }
        String text = String.valueOf(cidr).trim();
        if (text.contains(":")) {
            return Optional.empty(); // IPv6 pools do not hold IPv4 pool addresses
        }
        try {
            AddressRange hosts = AddressRange.parse(text);
            return Optional.of(text.contains("/") ? widen(hosts) : hosts);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static List<Finding> calico(IpPool pool, List<CalicoPool> ipPools, List<AddressRange> reserved) {
        List<Finding> findings = new ArrayList<>();
        List<AddressRange> enabled = ipPools.stream().filter(p -> !p.disabled()).map(CalicoPool::cidr).toList();
        for (AddressRange range : pool.addresses().ranges().stream().map(CniGuard::widen).toList()) {
            List<AddressRange> outside = uncovered(range, enabled);
            if (!outside.isEmpty()) {
                findings.add(new Finding("Addresses " + describe(outside) + " of pool '" + pool.name()
                        + "' lie in no enabled Calico IPPool: Calico refuses them (\"the provided IP address is not in a "
                        + "configured pool\"). Create an IPPool for them from which Calico never assigns on its own "
                        + "(kubectl apply -f):", manualPool(pool, outside)));
                continue;
            }
            for (CalicoPool p : ipPools) {
                Optional<AddressRange> overlap = intersection(range, p.cidr());
                if (overlap.isEmpty() || !p.autoAssigns()) {
                    continue;
                }
                List<AddressRange> exposed = uncovered(overlap.get(), reserved);
                if (!exposed.isEmpty()) {
                    findings.add(new Finding("Addresses " + describe(exposed) + " of pool '" + pool.name()
                            + "' lie in Calico IPPool " + p.name() + " (" + p.cidrText() + "), which assigns addresses "
                            + "automatically: any pod the cluster starts can take a reserved or idle address, and the "
                            + "identity then fails with \"Address already assigned\". Keep them from automatic assignment "
                            + "(kubectl apply -f), or move the pool's range out of " + p.name()
                            + " into an IPPool of its own with assignmentMode: Manual:", reservation(pool, exposed)));
                }
            }
        }
        return findings;
    }

    static List<Finding> kubeOvn(IpPool pool, List<OvnSubnet> subnets) {
        List<Finding> findings = new ArrayList<>();
        for (AddressRange range : pool.addresses().ranges().stream().map(CniGuard::widen).toList()) {
            List<AddressRange> outside = uncovered(range, subnets.stream().map(OvnSubnet::cidr).toList());
            if (!outside.isEmpty()) {
                findings.add(new Finding("Addresses " + describe(outside) + " of pool '" + pool.name()
                        + "' lie in no Kube-OVN Subnet: Kube-OVN refuses them (OutOfRange). Add a Subnet whose cidrBlock "
                        + "covers them and list them in its excludeIps.", ""));
                continue;
            }
            for (OvnSubnet s : subnets) {
                Optional<AddressRange> overlap = intersection(range, s.cidr());
                if (overlap.isEmpty()) {
                    continue;
                }
                List<AddressRange> exposed = uncovered(overlap.get(), s.excluded());
                if (!exposed.isEmpty()) {
                    List<String> exclude = new ArrayList<>(s.excludeIps());
                    exposed.forEach(r -> exclude.add(r.first() == r.last() ? Ipv4.format(r.first())
                            : Ipv4.format(r.first()) + ".." + Ipv4.format(r.last())));
                    StringBuilder yaml = new StringBuilder("apiVersion: kubeovn.io/v1\nkind: Subnet\nmetadata:\n  name: ")
                            .append(s.name()).append("\nspec:\n  excludeIps:\n");
                    exclude.forEach(e -> yaml.append("    - ").append(e).append('\n'));
                    findings.add(new Finding("Addresses " + describe(exposed) + " of pool '" + pool.name()
                            + "' are not in the excludeIps of Kube-OVN Subnet " + s.name() + ", so Kube-OVN hands them "
                            + "to any pod of the subnet: a reserved or idle address can be taken by a stranger. Exclude "
                            + "them from automatic allocation (kubectl apply -f; the list keeps the existing entries):",
                            yaml.toString()));
                }
            }
        }
        return findings;
    }

    private static String reservation(IpPool pool, List<AddressRange> ranges) {
        StringBuilder yaml = new StringBuilder("apiVersion: crd.projectcalico.org/v1\nkind: IPReservation\nmetadata:\n"
                + "  name: kubeplatform-" + pool.name() + "\nspec:\n  reservedCIDRs:\n");
        for (AddressRange r : ranges) {
            for (String cidr : cidrs(r)) {
                yaml.append("    - ").append(cidr).append('\n');
            }
        }
        return yaml.toString();
    }

    private static String manualPool(IpPool pool, List<AddressRange> ranges) {
        StringBuilder yaml = new StringBuilder();
        int n = 0;
        for (AddressRange r : ranges) {
            for (String cidr : cidrs(r)) {
                int prefix = Integer.parseInt(cidr.substring(cidr.indexOf('/') + 1));
                if (yaml.length() > 0) {
                    yaml.append("---\n");
                }
                yaml.append("apiVersion: crd.projectcalico.org/v1\nkind: IPPool\nmetadata:\n  name: kubeplatform-")
                        .append(pool.name()).append(n++ == 0 ? "" : "-" + n).append("\nspec:\n  cidr: ").append(cidr)
                        .append("\n  blockSize: ").append(Math.max(26, prefix))
                        .append("\n  assignmentMode: Manual   # Calico before 3.30: remove this line; the nodeSelector"
                                + " alone keeps the pool from automatic assignment\n  nodeSelector: \"!all()\"\n"
                                + "  natOutgoing: true\n");
            }
        }
        return yaml.toString();
    }

    /**
     * A CIDR's host range ({@code 10.42.200.1-10.42.200.254} for {@code 10.42.200.0/24}) back to the whole CIDR, so
     * that the objects to create name the CIDR the administrator wrote.
     */
    static AddressRange widen(AddressRange r) {
        long a = r.first() - 1;
        long b = r.last() + 1;
        long size = b - a + 1;
        if (a >= 0 && b <= Ipv4.MAX && Long.bitCount(size) == 1 && a % size == 0) {
            return new AddressRange(a, b);
        }
        return r;
    }

    /** The smallest list of CIDRs that covers exactly {@code r}. */
    static List<String> cidrs(AddressRange r) {
        List<String> out = new ArrayList<>();
        long start = r.first();
        while (start <= r.last()) {
            int size = start == 0 ? 32 : Long.numberOfTrailingZeros(start);
            size = Math.min(size, 32);
            while (size > 0 && start + (1L << size) - 1 > r.last()) {
                size--;
            }
            out.add(Ipv4.format(start) + "/" + (32 - size));
            start += 1L << size;
        }
        return out;
    }

    /** The parts of {@code range} that none of {@code cover} contains. */
    static List<AddressRange> uncovered(AddressRange range, List<AddressRange> cover) {
        List<AddressRange> sorted = new ArrayList<>(cover);
        sorted.sort(Comparator.comparingLong(AddressRange::first));
        List<AddressRange> out = new ArrayList<>();
        long next = range.first();
        for (AddressRange c : sorted) {
            if (c.last() < next || c.first() > range.last()) {
                continue;
            }
            if (c.first() > next) {
                out.add(new AddressRange(next, c.first() - 1));
            }
            next = Math.max(next, c.last() + 1);
            if (next > range.last()) {
                return out;
            }
        }
        if (next <= range.last()) {
            out.add(new AddressRange(next, range.last()));
        }
        return out;
    }

    private static Optional<AddressRange> intersection(AddressRange a, AddressRange b) {
        long first = Math.max(a.first(), b.first());
        long last = Math.min(a.last(), b.last());
        return first <= last ? Optional.of(new AddressRange(first, last)) : Optional.empty();
    }

    private static String describe(List<AddressRange> ranges) {
        List<String> parts = new ArrayList<>();
        for (AddressRange r : ranges) {
            parts.addAll(cidrs(r));
        }
        return parts.size() > 4 ? String.join(", ", parts.subList(0, 4)) + " and " + (parts.size() - 4) + " more"
                : String.join(", ", parts);
    }
}
