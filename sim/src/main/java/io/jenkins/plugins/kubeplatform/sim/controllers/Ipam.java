package io.jenkins.plugins.kubeplatform.sim.controllers;

import io.jenkins.plugins.kubeplatform.sim.model.Cidr;
import io.jenkins.plugins.kubeplatform.sim.model.Ipv6Cidr;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.kubeplatform.sim.Cni;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Pod address management as Calico's and Kube-OVN's IPAM do it.
 *
 * <p>Calico: IPPools ({@code cidr}, {@code blockSize}, {@code disabled}, {@code nodeSelector},
 * {@code assignmentMode}) are carved into blocks that are affine to a node. An address requested by annotation is
 * given exactly if it lies in an enabled pool and no live pod holds it; if its block does not exist yet, the block is
 * created affine to the pod's node, as Calico's AssignIP does. A pod without a request gets the first free address of
 * its node's affine blocks, else of a newly claimed block (the search starts at a block derived from the node name,
 * as Calico's block generator does), else of another node's block (borrowing, strict affinity off); only pools that
 * auto-assign are used (not disabled, {@code assignmentMode} not {@code Manual}, {@code nodeSelector} matching the
 * node), and addresses of {@code IPReservation}s are never auto-assigned. This is why an address reserved outside
 * Calico can be handed to a stranger: the block of a pinned pod becomes its node's, and the next pods there take the
 * free addresses in it.
 *
 * <p>Kube-OVN: a Subnet ({@code cidrBlock}, {@code excludeIps}); a requested address must lie in the subnet and be
 * free; automatic allocation takes the lowest free address outside {@code excludeIps}.
 *
 * <p>Pure bookkeeping: the kubelet feeds it pools, reservations and pods.
 */
public final class Ipam {

    /** Calico: pick auto-assignment pools by name or CIDR, a JSON array string. */
    public static final String CALICO_IPV4_POOLS = "cni.projectcalico.org/ipv4pools";
    /** Kube-OVN: the subnet to allocate from. */
    public static final String OVN_LOGICAL_SWITCH = "ovn.kubernetes.io/logical_switch";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CALICO = "plugin type=\"calico\" failed (add): ";

    /**
     * An address pool: a Calico IPPool or a Kube-OVN Subnet.
     *
     * @param manual   Calico {@code assignmentMode: Manual}: only addresses requested by annotation
     * @param excluded Kube-OVN {@code excludeIps} as inclusive [first, last] ranges
     */
    public record Pool(String name, Cidr cidr, boolean disabled, int blockSize, String nodeSelector, boolean manual,
                       List<long[]> excluded) {

        public Pool {
            nodeSelector = nodeSelector == null || nodeSelector.isBlank() ? "all()" : nodeSelector;
            excluded = List.copyOf(excluded);
        }

        public Pool(String name, Cidr cidr, boolean disabled) {
            this(name, cidr, disabled, 26, "all()", false, List.of());
        }

        boolean autoAssigns(Map<String, String> nodeLabels) {
            return !disabled && !manual && NodeSelectorExpression.matches(nodeSelector, nodeLabels);
        }

        boolean excludes(long ip) {
            for (long[] r : excluded) {
                if (ip >= r[0] && ip <= r[1]) {
                    return true;
                }
            }
            return false;
        }

        long blockAddresses() {
            return 1L << (32 - Math.max(blockSize, cidr.prefix()));
        }
    }

    /** Outcome of an assignment. */
    public sealed interface Result {
        /** The pod got this address. */
        record Assigned(String ip, Pool pool, Optional<String> ipv6) implements Result {
            public Assigned(String ip, Pool pool) {
                this(ip, pool, Optional.empty());
            }
        }

        /** No address: {@code message} says why, in the CNI plugin's words. */
        record Failed(String message) implements Result {
        }
    }

    private final Cni cni;
    private List<Pool> pools = List.of();
    private List<Cidr> reservations = List.of();
    private final Map<Long, String> holders = new HashMap<>();
    private final Map<String, Long> byPod = new HashMap<>();
    private final Map<String, String> refs = new HashMap<>();
    /** IPv6 pools (Calico IPPools with an IPv6 cidr; Kube-OVN subnets' IPv6 part, named after the subnet). */
    private List<Ipv6Pool> ipv6Pools = List.of();
    private final Map<BigInteger, String> ipv6Holders = new HashMap<>();
    private final Map<String, String> ipv6ByPod = new HashMap<>();
    /** Calico blocks by first address: the node they are affine to ("" for none). */
    private final TreeMap<Long, String> blocks = new TreeMap<>();

    public Ipam(Cni cni) {
        this.cni = cni;
    }

    public void setPools(List<Pool> pools) {
        this.pools = List.copyOf(pools);
    }

    public List<Pool> pools() {
        return pools;
    }

    /** An IPv6 pool: only addresses a pod requests by annotation are assigned from it (the second of a pair). */
    public record Ipv6Pool(String name, Ipv6Cidr cidr, boolean disabled) {
    }

    public void setIpv6Pools(List<Ipv6Pool> pools) {
        this.ipv6Pools = List.copyOf(pools);
    }

    /** Calico IPReservations: {@code spec.reservedCIDRs} of all of them. */
    public void setReservations(List<Cidr> reserved) {
        this.reservations = List.copyOf(reserved);
    }

    /** Records an address already in use (e.g. a running pod's status.podIP); keys are pod uids. */
    public void hold(String podKey, String podRef, String ip) {
        Cidr.toLong(ip).ifPresent(v -> {
            refs.put(podKey, podRef);
            take(podKey, v);
        });
        Ipv6Cidr.toValue(ip).ifPresent(v -> {
            refs.put(podKey, podRef);
            ipv6Holders.put(v, podKey);
            ipv6ByPod.put(podKey, ip.trim());
        });
    }

    public void release(String podKey) {
        refs.remove(podKey);
        String v6 = ipv6ByPod.remove(podKey);
        if (v6 != null) {
            ipv6Holders.remove(Ipv6Cidr.toValue(v6).orElseThrow(), podKey);
        }
        Long ip = byPod.remove(podKey);
        if (ip != null && podKey.equals(holders.get(ip))) {
            holders.remove(ip);
        }
    }

    public Optional<String> addressOf(String podKey) {
        return Optional.ofNullable(byPod.get(podKey)).map(Cidr::toString);
    }

    /** The namespace/name of the pod holding an address. */
    public Optional<String> holder(String ip) {
        return Cidr.toLong(ip).map(holders::get).map(refs::get);
    }

    /** The node a Calico block is affine to, by any address in it. */
    public Optional<String> blockAffinity(String ip) {
        Optional<Long> v = Cidr.toLong(ip);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        for (Pool p : pools) {
            if (p.cidr().contains(v.get())) {
                String node = blocks.get(blockStart(p, v.get()));
                if (node != null && !node.isEmpty()) {
                    return Optional.of(node);
                }
            }
        }
        return Optional.empty();
    }

    /** Assigns without node information (a pod on a node without labels). */
    public Result assign(String podKey, String podRef, Map<String, String> annotations) {
        return assign(podKey, podRef, annotations, "", Map.of());
    }

    /** Assigns an address to the pod on {@code node} per its annotations; idempotent for a pod that has one. */
    public Result assign(String podKey, String podRef, Map<String, String> annotations, String node,
                         Map<String, String> nodeLabels) {
        refs.put(podKey, podRef);
        Map<String, String> a = annotations == null ? Map.of() : annotations;
        Long existing = byPod.get(podKey);
        if (existing != null) {
            return new Result.Assigned(Cidr.toString(existing), poolOf(existing).orElse(null),
                    Optional.ofNullable(ipv6ByPod.get(podKey)));
        }
        Result ipv4 = cni == Cni.CALICO ? assignCalico(podKey, a, node == null ? "" : node, nodeLabels == null ? Map.of()
                : nodeLabels) : assignOvn(podKey, a);
        Optional<String> ipv6 = requestedIpv6(a);
        if (!(ipv4 instanceof Result.Assigned assigned) || ipv6.isEmpty()) {
            return ipv4;
        }
        Optional<String> problem = takeIpv6(podKey, ipv6.get(), assigned.pool());
        if (problem.isPresent()) {
            release(podKey);
            refs.put(podKey, podRef);
            return new Result.Failed(problem.get());
        }
        return new Result.Assigned(assigned.ip(), assigned.pool(), ipv6);
    }

    /** The IPv6 address of a dual-stack request: Calico's JSON array or Kube-OVN's comma-separated pair. */
    private Optional<String> requestedIpv6(Map<String, String> a) {
        String requested = a.get(cni.ipAnnotation());
        if (requested == null) {
            return Optional.empty();
        }
        List<String> ips;
        if (cni == Cni.CALICO) {
            try {
                ips = JSON.readValue(requested, new TypeReference<List<String>>() { });
            } catch (java.io.IOException e) {
                return Optional.empty();
            }
        } else {
            ips = List.of(requested.split(","));
        }
        return ips.stream().map(String::trim).map(ip -> ip.replaceAll("/.*$", "")).filter(ip -> ip.contains(":"))
                .findFirst();
    }

    /** Takes a requested IPv6 address, or says why the CNI refuses it (in its words). */
    private Optional<String> takeIpv6(String podKey, String ip, Pool ipv4Pool) {
        Optional<BigInteger> v = Ipv6Cidr.toValue(ip);
        if (v.isEmpty()) {
            return Optional.of(cni == Cni.CALICO ? CALICO + "invalid IP address " + ip + " in " + cni.ipAnnotation()
                    : "InvalidIP: " + ip + " is not a valid IPv6 address");
        }
        boolean inPool = ipv6Pools.stream().anyMatch(p -> p.cidr().contains(v.get())
                && (cni == Cni.CALICO || ipv4Pool != null && p.name().equals(ipv4Pool.name())));
        if (!inPool) {
            return Optional.of(cni == Cni.CALICO ? CALICO + "failed to request IP(s) [" + ip
                    + "]: the provided IP address is not in a configured pool"
                    : "OutOfRange: " + ip + " is out of the range of subnet "
                    + (ipv4Pool == null ? "(none)" : ipv4Pool.name()));
        }
        String holder = ipv6Holders.get(v.get());
        if (holder != null && !holder.equals(podKey)) {
            return Optional.of(cni == Cni.CALICO ? CALICO + "failed to request IP(s) [" + ip
                    + "]: Address already assigned in block"
                    : "AddressConflict: " + ip + " has been allocated to " + refs.getOrDefault(holder, holder));
        }
        ipv6Holders.put(v.get(), podKey);
        ipv6ByPod.put(podKey, ip);
        return Optional.empty();
    }

    private Result assignCalico(String podKey, Map<String, String> a, String node, Map<String, String> nodeLabels) {
        String requested = a.get(Cni.CALICO.ipAnnotation());
        if (requested != null) {
            List<String> ips;
            try {
                ips = JSON.readValue(requested, new TypeReference<List<String>>() { });
            } catch (java.io.IOException e) {
                return new Result.Failed(CALICO + "failed to parse " + Cni.CALICO.ipAnnotation() + " annotation "
                        + requested + ": not a JSON array of strings");
            }
            if (ips.isEmpty()) {
                return new Result.Failed(CALICO + Cni.CALICO.ipAnnotation() + " annotation is an empty list");
            }
            // a dual-stack request lists one address per family; the IPv6 one is taken after this one
            String ip = ips.stream().filter(x -> !x.contains(":")).findFirst().orElse(ips.get(0)).trim();
            Optional<Long> v = Cidr.toLong(ip);
            if (v.isEmpty()) {
                return new Result.Failed(CALICO + "invalid IP address " + ip + " in " + Cni.CALICO.ipAnnotation());
            }
            Optional<Pool> pool = poolOf(v.get());
            if (pool.isEmpty()) {
                return new Result.Failed(CALICO + "failed to request IP(s) [" + ip
                        + "]: the provided IP address is not in a configured pool");
            }
            String holder = holders.get(v.get());
            if (holder != null && !holder.equals(podKey)) {
                return new Result.Failed(CALICO + "failed to request IP(s) [" + ip + "]: Address already assigned in block");
            }
            blocks.putIfAbsent(blockStart(pool.get(), v.get()), node);
            take(podKey, v.get());
            return new Result.Assigned(ip, pool.get());
        }
        List<Pool> candidates;
        String wanted = a.get(CALICO_IPV4_POOLS);
        if (wanted != null) {
            List<String> names;
            try {
                names = JSON.readValue(wanted, new TypeReference<List<String>>() { });
            } catch (java.io.IOException e) {
                return new Result.Failed(CALICO + "failed to parse " + CALICO_IPV4_POOLS + " annotation " + wanted);
            }
            candidates = new ArrayList<>();
            for (Pool p : pools) {
                if (!p.disabled() && (names.contains(p.name()) || names.contains(p.cidr().toString()))) {
                    candidates.add(p);
                }
            }
        } else {
            candidates = pools.stream().filter(p -> p.autoAssigns(nodeLabels)).toList();
            if (candidates.isEmpty()) {
                return new Result.Failed(CALICO + "failed to request IPv4 addresses: no configured Calico pools for node "
                        + node);
            }
        }
        return autoCalico(podKey, candidates, node);
    }

    private Result autoCalico(String podKey, List<Pool> candidates, String node) {
        // 1. the node's affine blocks
        for (Map.Entry<Long, String> b : blocks.entrySet()) {
            if (b.getValue().equals(node) && !node.isEmpty()) {
                Optional<Result> r = fromBlock(podKey, candidates, b.getKey());
                if (r.isPresent()) {
                    return r.get();
                }
            }
        }
        // 2. claim a new block, searching from a start derived from the node name
        for (Pool p : candidates) {
            long size = p.blockAddresses();
            long count = p.cidr().size() / size;
            long first = Math.floorMod((long) node.hashCode() * 0x9E3779B1L, count);
            for (long i = 0; i < count; i++) {
                long start = p.cidr().network() + ((first + i) % count) * size;
                if (!blocks.containsKey(start) && free(p, start, size).isPresent()) {
                    blocks.put(start, node);
                    return assigned(podKey, free(p, start, size).get(), p);
                }
            }
        }
        // 3. borrow from any block with room
        for (Long start : blocks.keySet()) {
            Optional<Result> r = fromBlock(podKey, candidates, start);
            if (r.isPresent()) {
                return r.get();
            }
        }
        return new Result.Failed(CALICO + "failed to request IPv4 addresses: no more free IPs in the pools");
    }

    private Optional<Result> fromBlock(String podKey, List<Pool> candidates, long start) {
        for (Pool p : candidates) {
            if (p.cidr().contains(start) && blockStart(p, start) == start) {
                Optional<Long> ip = free(p, start, p.blockAddresses());
                if (ip.isPresent()) {
                    return Optional.of(assigned(podKey, ip.get(), p));
                }
            }
        }
        return Optional.empty();
    }

    private Optional<Long> free(Pool p, long start, long size) {
        for (long ip = Math.max(start, p.cidr().firstHost()); ip < start + size && ip <= p.cidr().lastHost(); ip++) {
            if (!holders.containsKey(ip) && !reserved(ip)) {
                return Optional.of(ip);
            }
        }
        return Optional.empty();
    }

    private boolean reserved(long ip) {
        for (Cidr c : reservations) {
            if (c.contains(ip)) {
                return true;
            }
        }
        return false;
    }

    private Result assigned(String podKey, long ip, Pool p) {
        take(podKey, ip);
        return new Result.Assigned(Cidr.toString(ip), p);
    }

    private static long blockStart(Pool p, long ip) {
        long size = p.blockAddresses();
        return p.cidr().network() + ((ip - p.cidr().network()) / size) * size;
    }

    private Result assignOvn(String podKey, Map<String, String> a) {
        String requested = a.get(Cni.KUBE_OVN.ipAnnotation());
        List<Pool> candidates = enabled();
        String subnet = a.get(OVN_LOGICAL_SWITCH);
        if (subnet != null) {
            candidates = candidates.stream().filter(p -> p.name().equals(subnet)).toList();
            if (candidates.isEmpty()) {
                return new Result.Failed("subnet " + subnet + " not found");
            }
        } else if (!candidates.isEmpty()) {
            candidates = List.of(candidates.get(0));
        }
        if (requested != null) {
            String ip = requested.split(",")[0].trim().replaceAll("/.*$", "");
            Optional<Long> v = Cidr.toLong(ip);
            if (v.isEmpty()) {
                return new Result.Failed("InvalidIP: " + ip + " is not a valid IPv4 address");
            }
            Optional<Pool> pool = candidates.stream().filter(p -> p.cidr().contains(v.get())).findFirst();
            if (pool.isEmpty()) {
                return new Result.Failed("OutOfRange: " + ip + " is out of the range of subnet "
                        + (candidates.isEmpty() ? "(none)" : candidates.get(0).name()));
            }
            String holder = holders.get(v.get());
            if (holder != null && !holder.equals(podKey)) {
                return new Result.Failed("AddressConflict: " + ip + " has been allocated to " + refs.getOrDefault(holder, holder));
            }
            take(podKey, v.get());
            return new Result.Assigned(ip, pool.get());
        }
        for (Pool p : candidates) {
            for (long ip = p.cidr().firstHost(); ip <= p.cidr().lastHost(); ip++) {
                if (!holders.containsKey(ip) && !p.excludes(ip)) {
                    return assigned(podKey, ip, p);
                }
            }
        }
        return new Result.Failed("NoAvailableAddress: no available IP in subnet");
    }

    private List<Pool> enabled() {
        return pools.stream().filter(p -> !p.disabled()).toList();
    }

    private void take(String podKey, long ip) {
        holders.put(ip, podKey);
        byPod.put(podKey, ip);
    }

    private Optional<Pool> poolOf(long ip) {
        return pools.stream().filter(p -> !p.disabled() && p.cidr().contains(ip)).findFirst();
    }
}
