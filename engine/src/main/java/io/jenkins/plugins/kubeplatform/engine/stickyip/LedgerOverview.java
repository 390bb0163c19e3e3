package io.jenkins.plugins.kubeplatform.engine.stickyip;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What the reservations page and {@code ip-ledger list} show: usage per pool and the filtered reservations. Built
 * in one ledger read, so the numbers agree with each other.
 */
public record LedgerOverview(List<PoolUsage> pools, List<Reservation> reservations, int total) {

    /** Filters; a text filter matches identity, address, node or owner, case-insensitively. */
    public record Filter(Optional<String> pool, Optional<String> namespace, Optional<String> text) {

        public static Filter none() {
            return new Filter(Optional.empty(), Optional.empty(), Optional.empty());
        }

        boolean matches(Reservation r) {
            if (pool.filter(p -> !p.isBlank()).isPresent() && !pool.get().equals(r.pool())) {
                return false;
            }
            if (namespace.filter(n -> !n.isBlank()).isPresent() && !namespaceOf(r).equals(namespace.get())) {
                return false;
            }
            if (text.filter(t -> !t.isBlank()).isPresent()) {
                String t = text.get().trim().toLowerCase(Locale.ROOT);
                return r.identity().toLowerCase(Locale.ROOT).contains(t) || r.ip().contains(t)
                        || (r.node() != null && r.node().toLowerCase(Locale.ROOT).contains(t))
                        || (r.owner() != null && r.owner().toLowerCase(Locale.ROOT).contains(t));
            }
            return true;
        }
    }

    /**
     * A pool's size and how much of it the ledger holds. For a dual-stack pool these count identities: the size of
     * its smaller part, and its reservations of the IPv4 part (each identity holds one of each family).
     */
    public record PoolUsage(String name, long size, long reserved, long idle, long free, boolean configured) {
    }

    public static LedgerOverview of(IpReservationLedger ledger, Map<String, IpPool> pools, Filter filter) {
        return ledger.read(view -> of(view.all(), pools, filter));
    }

    static LedgerOverview of(java.util.Collection<Reservation> all, Map<String, IpPool> pools, Filter filter) {
        Map<String, long[]> counts = new HashMap<>();
        List<Reservation> shown = new ArrayList<>();
        for (Reservation r : all) {
            IpPool configured = pools.get(r.pool());
            boolean secondFamily = configured != null && configured.dualStack() && r.ip().contains(":");
            long[] c = counts.computeIfAbsent(r.pool(), p -> new long[2]);
            if (!secondFamily) {
                c[0]++;
                if (r.isIdle()) {
                    c[1]++;
                }
            }
            if (filter.matches(r)) {
                shown.add(r);
            }
        }
        shown.sort(Comparator.comparing(Reservation::identity).thenComparing(r -> r.ip().contains(":")));
        List<PoolUsage> usage = new ArrayList<>();
        for (IpPool p : pools.values()) {
            long[] c = counts.getOrDefault(p.name(), new long[2]);
            long size = p.families().stream().mapToLong(f -> f.size()).min().orElse(0);
            usage.add(new PoolUsage(p.name(), size, c[0], c[1], Math.max(0, size - c[0]), true));
        }
        counts.keySet().stream().filter(name -> !pools.containsKey(name)).sorted().forEach(name -> usage.add(
                new PoolUsage(name, 0, counts.get(name)[0], counts.get(name)[1], 0, false)));
        return new LedgerOverview(List.copyOf(usage), List.copyOf(shown), all.size());
    }

    /** The namespace part of an identity ({@code ns/name-0} or {@code adopted:ns/pod}). */
    public static String namespaceOf(Reservation r) {
        String key = r.identity().startsWith(ReplicaIdentity.ADOPTED_PREFIX)
                ? r.identity().substring(ReplicaIdentity.ADOPTED_PREFIX.length()) : r.identity();
        int slash = key.indexOf('/');
        return slash < 0 ? "" : key.substring(0, slash);
    }
}
