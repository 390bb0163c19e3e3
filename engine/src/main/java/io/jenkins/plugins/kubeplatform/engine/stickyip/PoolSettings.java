package io.jenkins.plugins.kubeplatform.engine.stickyip;

import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.core.Require;
import io.jenkins.plugins.kubeplatform.engine.stickyip.address.AddressPool;
import io.jenkins.plugins.kubeplatform.engine.stickyip.address.AddressRange;
import io.jenkins.plugins.kubeplatform.engine.stickyip.address.AllocationOrder;
import io.jenkins.plugins.kubeplatform.engine.stickyip.address.IpKey;
import io.jenkins.plugins.kubeplatform.engine.stickyip.address.Ipv4;
import io.jenkins.plugins.kubeplatform.engine.stickyip.address.Ipv6Range;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One pool as written in the {@code pools:} section of the configuration (YAML or the Jenkins global configuration).
 *
 * @param ranges         IPv4 CIDRs ({@code 10.42.200.0/24}, at most a /8 in all), ranges ({@code a-b}) or single
 *                       addresses; or one IPv6 CIDR of a /64 or smaller ({@code fd00:10:42::/64}), range or address;
 *                       or both (dual-stack: every identity holds one address of each family)
 * @param exclude        addresses never handed out, of the pool's families
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

    /**
     * Settings of pool {@code name} with the declared defaults ({@link StickyIpSchema}) for every key not set; build
     * pools this way (the canonical constructor also binds files written for earlier versions, where a missing key is
     * null).
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Builds {@link PoolSettings}; each key starts at its declared default. */
    public static final class Builder {
        private final String name;
        private List<String> ranges = List.of();
        private List<String> exclude = List.of();
        private String cni = StickyIpSchema.POOL_CNI.defaultText().orElseThrow();
        private String allocation = StickyIpSchema.POOL_ALLOCATION.defaultText().orElseThrow();
        private List<String> keepNamespaces = List.of();
        private String reclaimAfter = StickyIpSchema.POOL_RECLAIM_AFTER.defaultText().orElseThrow();
        private String nodePinning = StickyIpSchema.POOL_NODE_PINNING.defaultText().orElseThrow();
        private boolean reallocateWhenNodeLost = Boolean.parseBoolean(
                StickyIpSchema.POOL_REALLOCATE_WHEN_NODE_LOST.defaultText().orElseThrow());
        private String cniCheck = StickyIpSchema.POOL_CNI_CHECK.defaultText().orElseThrow();

        private Builder(String name) {
            this.name = name;
        }

        public Builder ranges(List<String> ranges) {
            this.ranges = List.copyOf(ranges);
            return this;
        }

        public Builder ranges(String... ranges) {
            return ranges(List.of(ranges));
        }

        public Builder exclude(List<String> exclude) {
            this.exclude = List.copyOf(exclude);
            return this;
        }

        public Builder cni(String cni) {
            this.cni = cni;
            return this;
        }

        public Builder allocation(String allocation) {
            this.allocation = allocation;
            return this;
        }

        public Builder keepNamespaces(List<String> keepNamespaces) {
            this.keepNamespaces = List.copyOf(keepNamespaces);
            return this;
        }

        public Builder keepNamespaces(String... keepNamespaces) {
            return keepNamespaces(List.of(keepNamespaces));
        }

        public Builder reclaimAfter(String reclaimAfter) {
            this.reclaimAfter = reclaimAfter;
            return this;
        }

        public Builder nodePinning(String nodePinning) {
            this.nodePinning = nodePinning;
            return this;
        }

        public Builder reallocateWhenNodeLost(boolean reallocateWhenNodeLost) {
            this.reallocateWhenNodeLost = reallocateWhenNodeLost;
            return this;
        }

        public Builder cniCheck(String cniCheck) {
            this.cniCheck = cniCheck;
            return this;
        }

        public PoolSettings build() {
            return new PoolSettings(name, ranges, exclude, cni, allocation, keepNamespaces, reclaimAfter, nodePinning,
                    reallocateWhenNodeLost, cniCheck);
        }
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
        List<String> v6 = ranges.stream().filter(Ipv6Range::looksLikeIpv6).toList();
        List<String> v4 = ranges.stream().filter(r -> !Ipv6Range.looksLikeIpv6(r)).toList();
        List<String> excludes = exclude == null ? List.of() : exclude;
        if (v6.isEmpty() || v4.isEmpty()) {
            for (String e : excludes) {
                boolean ipv6Text = Ipv6Range.looksLikeIpv6(e);
                if (e != null && ipv6Text == v6.isEmpty() && IpKey.parse(e).isPresent()) {
                    throw new InvalidInputException(field + ".exclude", "'" + Require.printable(e) + "' is an "
                            + (ipv6Text ? "IPv6" : "IPv4") + " address but the pool has no " + (ipv6Text ? "IPv6" : "IPv4")
                            + " range; exclude only addresses of the pool's own families");
                }
            }
        }
        if (v4.isEmpty()) {
            return withAddresses(poolName, field, ipv6Part(field, v6, excludes), Optional.empty());
        }
        AddressPool ipv4Part = ipv4Part(field, v4, v6.isEmpty() ? excludes
                : excludes.stream().filter(e -> !Ipv6Range.looksLikeIpv6(e)).toList());
        if (v6.isEmpty()) {
            return withAddresses(poolName, field, ipv4Part, Optional.empty());
        }
        return withAddresses(poolName, field, ipv4Part, Optional.of(ipv6Part(field, v6,
                excludes.stream().filter(Ipv6Range::looksLikeIpv6).toList())));
    }

    private static AddressPool ipv4Part(String field, List<String> v4, List<String> excludes) {
        List<AddressRange> parsed = new ArrayList<>();
        for (String r : v4) {
            try {
                parsed.add(AddressRange.parse(r));
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(field + ".ranges", e.getMessage());
            }
        }
        List<Long> excluded = new ArrayList<>();
        for (String e : excludes) {
            excluded.add(Ipv4.parse(e).orElseThrow(() -> new InvalidInputException(field + ".exclude",
                    "must list IPv4 addresses; got '" + Require.printable(String.valueOf(e)) + "'")));
        }
        AddressPool addresses = AddressPool.of(parsed, excluded);
        if (addresses.size() > MAX_POOL_SIZE) {
            throw new InvalidInputException(field + ".ranges", "cover " + addresses.size()
                    + " addresses; at most " + MAX_POOL_SIZE + " (a /8) are allowed per IPv4 pool");
        }
        return addresses;
    }

    /** The IPv6 part: exactly one CIDR (a /64 or smaller), range or address; exclusions are IPv6 addresses. */
    private static AddressPool ipv6Part(String field, List<String> v6, List<String> excludes) {
        if (v6.size() != 1) {
            throw new InvalidInputException(field + ".ranges", "must hold exactly one IPv6 CIDR, range or address "
                    + "(beside any IPv4 ones, for a dual-stack pool); got " + v6.size() + " IPv6 ones");
        }
        Ipv6Range range;
        try {
            range = Ipv6Range.parse(v6.get(0));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(field + ".ranges", e.getMessage());
        }
        List<IpKey> excluded = new ArrayList<>();
        for (String e : excludes) {
            excluded.add(IpKey.parse(e).filter(k -> !k.isIpv4()).orElseThrow(() -> new InvalidInputException(
                    field + ".exclude", "must list IPv6 addresses in an IPv6 pool; got '"
                            + Require.printable(String.valueOf(e)) + "'")));
        }
        return AddressPool.ipv6(range, excluded);
    }

    private IpPool withAddresses(String poolName, String field, AddressPool addresses, Optional<AddressPool> ipv6Part) {
        if (addresses.size() == 0 || ipv6Part.map(p -> p.size() == 0).orElse(false)) {
            throw new InvalidInputException(field + ".ranges", "leave no address to hand out after exclusions"
                    + (ipv6Part.isPresent() ? " (in the " + (addresses.size() == 0 ? "IPv4" : "IPv6") + " part)" : ""));
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
        return new IpPool(poolName, addresses, c, order, keep, reclaim, pinning, reallocateWhenNodeLost, check,
                ipv6Part);
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
                Optional<Ipv6Range> mine = pool.family(false).flatMap(AddressPool::ipv6);
                Optional<Ipv6Range> theirs = other.family(false).flatMap(AddressPool::ipv6);
                if (mine.isPresent() && theirs.isPresent() && mine.get().overlaps(theirs.get())) {
                    throw new InvalidInputException("pools[" + pool.name() + "].ranges", "overlap pool '"
                            + other.name() + "' (" + mine.get() + " and " + theirs.get()
                            + "); one address must belong to one pool");
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
