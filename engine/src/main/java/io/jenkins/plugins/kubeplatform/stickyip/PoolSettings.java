package io.jenkins.plugins.kubeplatform.stickyip;

import io.jenkins.plugins.kubeplatform.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.core.Require;
import io.jenkins.plugins.kubeplatform.stickyip.address.AddressPool;
import io.jenkins.plugins.kubeplatform.stickyip.address.AddressRange;
import io.jenkins.plugins.kubeplatform.stickyip.address.AllocationOrder;
import io.jenkins.plugins.kubeplatform.stickyip.address.IpKey;
import io.jenkins.plugins.kubeplatform.stickyip.address.Ipv4;
import io.jenkins.plugins.kubeplatform.stickyip.address.Ipv6Range;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One pool as written in the {@code pools:} section of the configuration (YAML or the Jenkins global configuration).
 *
 * @param ranges         IPv4 CIDRs ({@code 10.42.200.0/24}, at most a /8 in all), ranges ({@code a-b}) or single
 *                       addresses; or one IPv6 CIDR of a /64 or smaller ({@code fd00:10:42::/64}), range or address
 * @param exclude        addresses never handed out
 * @param cni            {@code calico} (default) or {@code kube-ovn}
 * @param allocation     {@code lowest} (default) or {@code random}
 * @param keepNamespaces namespaces where scaled-down identities keep their address (idle)
 * @param reclaimAfter   how long an idle reservation is kept before garbage collection releases it (default 7d)
 * @param nodePinning    {@code preferred} (default), {@code required} or {@code off}
 * @param reallocateWhenNodeLost give a new address instead of keeping the old one when the last node is gone
 * @param cniCheck       {@code enforce} (default): a deploy fails when the CNI may auto-assign the pool's addresses;
 *                       {@code warn}: it says so and deploys; {@code off}: no check
 */
public record PoolSettings(String name, List<String> ranges, List<String> exclude, String cni, String allocation,
                           List<String> keepNamespaces, String reclaimAfter, String nodePinning,
                           boolean reallocateWhenNodeLost, String cniCheck) {

    public PoolSettings(String name, List<String> ranges, List<String> exclude, String cni, String allocation,
                        List<String> keepNamespaces, String reclaimAfter, String nodePinning,
                        boolean reallocateWhenNodeLost) {
        this(name, ranges, exclude, cni, allocation, keepNamespaces, reclaimAfter, nodePinning, reallocateWhenNodeLost,
                null);
    }

    /**
     * Largest IPv4 pool accepted: a /8. The ledger's memory and allocation cost follow what is reserved, not the
     * pool's size; a bigger pool is almost always a typo. IPv6 pools are at most a /64.
     */
    static final long MAX_POOL_SIZE = 1L << 24;

    public IpPool toPool() {
        String poolName = Require.dnsLabel("pools[].name", name);
        String field = "pools[" + poolName + "]";
        if (ranges == null || ranges.isEmpty()) {
            throw new InvalidInputException(field + ".ranges", "must list at least one CIDR, range or address");
        }
        if (ranges.stream().anyMatch(Ipv6Range::looksLikeIpv6)) {
            return toIpv6Pool(poolName, field);
        }
        List<AddressRange> parsed = new ArrayList<>();
        for (String r : ranges) {
            try {
                parsed.add(AddressRange.parse(r));
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(field + ".ranges", e.getMessage());
            }
        }
        List<Long> excluded = new ArrayList<>();
        for (String e : exclude == null ? List.<String>of() : exclude) {
            excluded.add(Ipv4.parse(e).orElseThrow(() -> new InvalidInputException(field + ".exclude",
                    "must list IPv4 addresses; got '" + Require.printable(String.valueOf(e)) + "'")));
        }
        AddressPool addresses = AddressPool.of(parsed, excluded);
        if (addresses.size() > MAX_POOL_SIZE) {
            throw new InvalidInputException(field + ".ranges", "cover " + addresses.size()
                    + " addresses; at most " + MAX_POOL_SIZE + " (a /8) are allowed per IPv4 pool");
        }
        return withAddresses(poolName, field, addresses);
    }

    /** An IPv6 pool: exactly one CIDR (a /64 or smaller), range or address; exclusions are IPv6 addresses. */
    private IpPool toIpv6Pool(String poolName, String field) {
        if (ranges.size() != 1) {
            throw new InvalidInputException(field + ".ranges", "an IPv6 pool takes exactly one CIDR, range or address "
                    + "(and no IPv4 ones); got " + ranges.size());
        }
        Ipv6Range range;
        try {
            range = Ipv6Range.parse(ranges.get(0));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(field + ".ranges", e.getMessage());
        }
        List<IpKey> excluded = new ArrayList<>();
        for (String e : exclude == null ? List.<String>of() : exclude) {
            excluded.add(IpKey.parse(e).filter(k -> !k.isIpv4()).orElseThrow(() -> new InvalidInputException(
                    field + ".exclude", "must list IPv6 addresses in an IPv6 pool; got '"
                            + Require.printable(String.valueOf(e)) + "'")));
        }
        return withAddresses(poolName, field, AddressPool.ipv6(range, excluded));
    }

    private IpPool withAddresses(String poolName, String field, AddressPool addresses) {
        if (addresses.size() == 0) {
            throw new InvalidInputException(field + ".ranges", "leave no address to hand out after exclusions");
        }
        Cni c = cni == null || cni.isBlank() ? Cni.CALICO : Cni.fromConfig(cni).orElseThrow(() ->
                new InvalidInputException(field + ".cni", "must be calico or kube-ovn; got '" + Require.printable(cni) + "'"));
        AllocationOrder order = allocation == null || allocation.isBlank() ? AllocationOrder.LOWEST
                : switch (allocation.trim().toLowerCase(Locale.ROOT)) {
                    case "lowest" -> AllocationOrder.LOWEST;
                    case "random" -> AllocationOrder.RANDOM;
                    default -> throw new InvalidInputException(field + ".allocation",
                            "must be lowest or random; got '" + Require.printable(allocation) + "'");
                };
        Set<String> keep = new HashSet<>();
        for (String ns : keepNamespaces == null ? List.<String>of() : keepNamespaces) {
            keep.add(Require.dnsLabel(field + ".keepNamespaces", ns));
        }
        Duration reclaim = reclaimAfter == null || reclaimAfter.isBlank() ? Duration.ofDays(7)
                : Require.duration(field + ".reclaimAfter", reclaimAfter);
        NodePinning pinning = nodePinning == null || nodePinning.isBlank() ? NodePinning.PREFERRED
                : NodePinning.fromConfig(nodePinning).orElseThrow(() -> new InvalidInputException(field + ".nodePinning",
                        "must be preferred, required or off; got '" + Require.printable(nodePinning) + "'"));
        CniCheck check = CniCheck.fromConfig(cniCheck).orElseThrow(() -> new InvalidInputException(field + ".cniCheck",
                "must be enforce, warn or off; got '" + Require.printable(cniCheck) + "'"));
        return new IpPool(poolName, addresses, c, order, keep, reclaim, pinning, reallocateWhenNodeLost, check);
    }

    /** Validates every pool and rejects duplicate names and pools whose ranges overlap. */
    public static Map<String, IpPool> toPools(List<PoolSettings> settings) {
        Map<String, IpPool> pools = new LinkedHashMap<>();
        for (PoolSettings s : settings == null ? List.<PoolSettings>of() : settings) {
            IpPool pool = s.toPool();
            if (pools.containsKey(pool.name())) {
                throw new InvalidInputException("pools", "name '" + pool.name() + "' is used twice");
            }
            for (IpPool other : pools.values()) {
                if (pool.addresses().ipv6().isPresent() && other.addresses().ipv6().isPresent()
                        && pool.addresses().ipv6().get().overlaps(other.addresses().ipv6().get())) {
                    throw new InvalidInputException("pools[" + pool.name() + "].ranges", "overlap pool '"
                            + other.name() + "' (" + pool.addresses().ipv6().get() + " and "
                            + other.addresses().ipv6().get() + "); one address must belong to one pool");
                }
                for (AddressRange a : pool.addresses().ranges()) {
                    for (AddressRange b : other.addresses().ranges()) {
                        if (a.first() <= b.last() && b.first() <= a.last()) {
                            throw new InvalidInputException("pools[" + pool.name() + "].ranges", "overlap pool '"
                                    + other.name() + "' (" + a + " and " + b + "); one address must belong to one pool");
                        }
                    }
                }
            }
            pools.put(pool.name(), pool);
        }
        return pools;
    }
}
