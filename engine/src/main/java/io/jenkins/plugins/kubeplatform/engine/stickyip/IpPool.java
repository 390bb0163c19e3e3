package io.jenkins.plugins.kubeplatform.engine.stickyip;

import io.jenkins.plugins.kubeplatform.engine.stickyip.address.AddressPool;
import io.jenkins.plugins.kubeplatform.engine.stickyip.address.AllocationOrder;
import io.jenkins.plugins.kubeplatform.engine.stickyip.address.IpKey;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A validated, administrator-defined pool (SIP-3); built from {@link PoolSettings}.
 *
 * @param addresses the pool's addresses: IPv4, or IPv6 for an IPv6-only pool; the IPv4 part of a dual-stack pool
 * @param reallocateWhenNodeLost give an identity a new address when its last node is gone, instead of keeping it
 * @param cniCheck whether a deploy checks that the CNI never auto-assigns the pool's addresses (SIP-13)
 * @param ipv6Part the IPv6 part of a dual-stack pool: every identity then holds one address of each family
 */
public record IpPool(String name, AddressPool addresses, Cni cni, AllocationOrder order, Set<String> keepNamespaces,
                     Duration reclaimAfter, NodePinning pinning, boolean reallocateWhenNodeLost, CniCheck cniCheck,
                     Optional<AddressPool> ipv6Part) {

    public IpPool {
        keepNamespaces = Set.copyOf(keepNamespaces);
        cniCheck = cniCheck == null ? CniCheck.ENFORCE : cniCheck;
        ipv6Part = Objects.requireNonNullElse(ipv6Part, Optional.empty());
        if (ipv6Part.isPresent() && (addresses.ipv6().isPresent() || ipv6Part.get().ipv6().isEmpty())) {
            throw new IllegalArgumentException("a dual-stack pool is an IPv4 part and an IPv6 part");
        }
    }

    /** A single-family pool. */
    public IpPool(String name, AddressPool addresses, Cni cni, AllocationOrder order, Set<String> keepNamespaces,
                  Duration reclaimAfter, NodePinning pinning, boolean reallocateWhenNodeLost, CniCheck cniCheck) {
        this(name, addresses, cni, order, keepNamespaces, reclaimAfter, pinning, reallocateWhenNodeLost, cniCheck,
                Optional.empty());
    }

    public boolean keeps(String namespace) {
        return keepNamespaces.contains(namespace);
    }

    public boolean dualStack() {
        return ipv6Part.isPresent();
    }

    /** The pool's address sets, one per family, IPv4 first. */
    public List<AddressPool> families() {
        return ipv6Part.map(v6 -> List.of(addresses, v6)).orElse(List.of(addresses));
    }

    /** The part of the pool that holds addresses of the given family, if the pool has that family. */
    public Optional<AddressPool> family(boolean ipv4) {
        return families().stream().filter(f -> f.ipv6().isEmpty() == ipv4).findFirst();
    }

    /** Whether the address lies in one of the pool's ranges (excluded or not), of either family. */
    public boolean covers(IpKey address) {
        return family(address.isIpv4()).map(f -> f.covers(address)).orElse(false);
    }

    /** Whether the address may be handed out by this pool. */
    public boolean allocatable(IpKey address) {
        return family(address.isIpv4()).map(f -> f.allocatable(address)).orElse(false);
    }

    /** The pool's addresses as written in messages: {@code [10.42.200.0-...] and [fd00::...]}. */
    public String describeAddresses() {
        return ipv6Part.map(v6 -> addresses + " and " + v6).orElse(addresses.toString());
    }
}
