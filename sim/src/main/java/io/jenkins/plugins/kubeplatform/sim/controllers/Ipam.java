package io.jenkins.plugins.kubeplatform.sim.controllers;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.kubeplatform.sim.Cni;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Pod address management following Calico's and Kube-OVN's documented behaviour: an address requested by
 * annotation is given exactly if it lies in a pool (Calico IPPool / Kube-OVN Subnet) and no live pod holds it,
 * otherwise the request fails (the pod's sandbox cannot be created); pods without a request get the lowest free
 * address of the first pool that has one. Pure bookkeeping: the kubelet feeds it pools and pods.
 */
public final class Ipam {

    /** Calico: pick auto-assignment pools by name or CIDR, a JSON array string. */
    public static final String CALICO_IPV4_POOLS = "cni.projectcalico.org/ipv4pools";
    /** Kube-OVN: the subnet to allocate from. */
    public static final String OVN_LOGICAL_SWITCH = "ovn.kubernetes.io/logical_switch";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** An address pool: Calico IPPool or Kube-OVN Subnet. */
    public record Pool(String name, Cidr cidr, boolean disabled) {
    }

    /** Outcome of an assignment. */
    public sealed interface Result {
        /** The pod got this address. */
        record Assigned(String ip, Pool pool) implements Result {
        }

        /** No address: {@code message} says why, in the CNI plugin's words. */
        record Failed(String message) implements Result {
        }
    }

    private final Cni cni;
    private List<Pool> pools = List.of();
    private final Map<Long, String> holders = new HashMap<>();
    private final Map<String, Long> byPod = new HashMap<>();
    private final Map<String, String> refs = new HashMap<>();

    public Ipam(Cni cni) {
        this.cni = cni;
    }

    public void setPools(List<Pool> pools) {
        this.pools = List.copyOf(pools);
    }

    public List<Pool> pools() {
        return pools;
    }

    /** Records an address already in use (e.g. a running pod's status.podIP); keys are pod uids. */
    public void hold(String podKey, String podRef, String ip) {
        Cidr.toLong(ip).ifPresent(v -> {
            refs.put(podKey, podRef);
            take(podKey, v);
        });
    }

    public void release(String podKey) {
        refs.remove(podKey);
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

    /** Assigns an address to the pod according to its annotations; idempotent for a pod that already has one. */
    public Result assign(String podKey, String podRef, Map<String, String> annotations) {
        refs.put(podKey, podRef);
        Map<String, String> a = annotations == null ? Map.of() : annotations;
        Long existing = byPod.get(podKey);
        if (existing != null) {
            return new Result.Assigned(Cidr.toString(existing), poolOf(existing).orElse(null));
        }
        return cni == Cni.CALICO ? assignCalico(podKey, a) : assignOvn(podKey, a);
    }

    private Result assignCalico(String podKey, Map<String, String> a) {
        String requested = a.get(Cni.CALICO.ipAnnotation());
        if (requested != null) {
            List<String> ips;
            try {
                ips = JSON.readValue(requested, new TypeReference<List<String>>() { });
            } catch (java.io.IOException e) {
                return new Result.Failed("plugin type=\"calico\" failed (add): failed to parse "
                        + Cni.CALICO.ipAnnotation() + " annotation " + requested + ": not a JSON array of strings");
            }
            if (ips.isEmpty()) {
                return new Result.Failed("plugin type=\"calico\" failed (add): " + Cni.CALICO.ipAnnotation()
                        + " annotation is an empty list");
            }
            String ip = ips.get(0).trim();
            Optional<Long> v = Cidr.toLong(ip);
            if (v.isEmpty()) {
                return new Result.Failed("plugin type=\"calico\" failed (add): invalid IP address " + ip
                        + " in " + Cni.CALICO.ipAnnotation());
            }
            Optional<Pool> pool = poolOf(v.get());
            if (pool.isEmpty()) {
                return new Result.Failed("plugin type=\"calico\" failed (add): failed to request IP(s) [" + ip
                        + "]: the provided IP address is not in a configured pool");
            }
            String holder = holders.get(v.get());
            if (holder != null && !holder.equals(podKey)) {
                return new Result.Failed("plugin type=\"calico\" failed (add): failed to request IP(s) [" + ip
                        + "]: Address already assigned in block");
            }
            take(podKey, v.get());
            return new Result.Assigned(ip, pool.get());
        }
        List<Pool> candidates = enabled();
        String wanted = a.get(CALICO_IPV4_POOLS);
        if (wanted != null) {
            List<String> names;
            try {
                names = JSON.readValue(wanted, new TypeReference<List<String>>() { });
            } catch (java.io.IOException e) {
                return new Result.Failed("plugin type=\"calico\" failed (add): failed to parse " + CALICO_IPV4_POOLS
                        + " annotation " + wanted);
            }
            candidates = new ArrayList<>();
            for (Pool p : pools) {
                if (names.contains(p.name()) || names.contains(p.cidr().toString())) {
                    candidates.add(p);
                }
            }
        }
        return next(podKey, candidates, "plugin type=\"calico\" failed (add): failed to request IPv4 addresses: "
                + "no more free IPs in the pools");
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
        return next(podKey, candidates, "NoAvailableAddress: no available IP in subnet");
    }

    private List<Pool> enabled() {
        return pools.stream().filter(p -> !p.disabled()).toList();
    }

    private Result next(String podKey, List<Pool> candidates, String exhausted) {
        for (Pool p : candidates) {
            for (long ip = p.cidr().firstHost(); ip <= p.cidr().lastHost(); ip++) {
                if (!holders.containsKey(ip)) {
                    take(podKey, ip);
                    return new Result.Assigned(Cidr.toString(ip), p);
                }
            }
        }
        return new Result.Failed(exhausted);
    }

    private void take(String podKey, long ip) {
        holders.put(ip, podKey);
        byPod.put(podKey, ip);
    }

    private Optional<Pool> poolOf(long ip) {
        return pools.stream().filter(p -> !p.disabled() && p.cidr().contains(ip)).findFirst();
    }
}
