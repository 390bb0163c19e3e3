package io.jenkins.plugins.kubeplatform.stickyip;

import io.jenkins.plugins.kubeplatform.engine.stickyip.IpPool;
import io.jenkins.plugins.kubeplatform.engine.stickyip.IpReservationLedger;
import io.jenkins.plugins.kubeplatform.engine.stickyip.LedgerOverview;
import io.jenkins.plugins.kubeplatform.engine.stickyip.Reservation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the reservations page shows, computed from the ledger without any Jenkins type so that it is unit-tested:
 * pool usage lines, and one row per reservation with its idle age and when GC may reclaim it.
 */
public record ReservationsViewModel(List<PoolLine> pools, List<Row> rows, int shown, int total,
                                    LedgerOverview.Filter filter) {

    /** One pool: "default: 12 reserved (3 idle), 242 free of 254". */
    public record PoolLine(String name, String summary, boolean configured) {
    }

    /**
     * One reservation as displayed; {@code pinReleased} is "" or why and when its required node pin was last released
     * between deploys (SIP-15), e.g. "3h 5m ago from n3: node n3 cordoned by repairNode (ops#7)".
     */
    public record Row(String identity, String namespace, String ip, String pool, String kind, String state, String node,
                      String idle, String owner, String created, String pinReleased, String pinReleasedAt) {
    }

    public static ReservationsViewModel of(IpReservationLedger ledger, Map<String, IpPool> pools, String pool,
                                           String namespace, String text, Instant now) {
        LedgerOverview.Filter filter = new LedgerOverview.Filter(blankToEmpty(pool), blankToEmpty(namespace),
                blankToEmpty(text));
        return of(LedgerOverview.of(ledger, pools, filter), pools, filter, now);
    }

    static ReservationsViewModel of(LedgerOverview overview, Map<String, IpPool> pools, LedgerOverview.Filter filter,
                                    Instant now) {
        List<PoolLine> lines = overview.pools().stream().map(p -> new PoolLine(p.name(), p.configured()
                ? p.reserved() + " reserved (" + p.idle() + " idle), " + p.free() + " free of " + p.size()
                : p.reserved() + " reserved in a pool that is no longer configured", p.configured())).toList();
        List<Row> rows = overview.reservations().stream().map(r -> new Row(r.identity(), LedgerOverview.namespaceOf(r),
                r.ip(), r.pool(), r.kind().name().toLowerCase(java.util.Locale.ROOT),
                r.state().name().toLowerCase(java.util.Locale.ROOT), r.node() == null ? "" : r.node(),
                idle(r, Optional.ofNullable(pools.get(r.pool())), now), r.owner() == null ? "" : r.owner(),
                r.created().toString(), pinReleased(r, now),
                r.lastPinRelease().map(p -> p.at().toString()).orElse(""))).toList();
        return new ReservationsViewModel(lines, rows, rows.size(), overview.total(), filter);
    }

    /** "", or "3h 5m ago from n3: node n3 cordoned by repairNode (ops#7)". */
    static String pinReleased(Reservation r, Instant now) {
        return r.lastPinRelease().map(p -> human(Duration.between(p.at(), now)) + " ago from " + p.node() + ": "
                + p.reason()).orElse("");
    }

    /** "", or "idle 2h 5m; reclaimable in 21h 55m" / "idle 3d; reclaimable now". */
    static String idle(Reservation r, Optional<IpPool> pool, Instant now) {
        if (!r.isIdle() || r.idleSince() == null) {
            return "";
        }
        Duration idleFor = Duration.between(r.idleSince(), now);
        String text = "idle " + human(idleFor);
        if (pool.isEmpty()) {
            return text;
        }
        Duration left = pool.get().reclaimAfter().minus(idleFor);
        return text + "; " + (left.isNegative() || left.isZero() ? "reclaimable now" : "reclaimable in " + human(left));
    }

    static String human(Duration d) {
        long minutes = Math.max(0, d.toMinutes());
        long days = minutes / (24 * 60);
        long hours = minutes / 60 % 24;
        long mins = minutes % 60;
        if (days > 0) {
            return days + "d" + (hours > 0 ? " " + hours + "h" : "");
        }
        if (hours > 0) {
            return hours + "h" + (mins > 0 ? " " + mins + "m" : "");
        }
        return mins + "m";
    }

    private static Optional<String> blankToEmpty(String s) {
        return s == null || s.isBlank() ? Optional.empty() : Optional.of(s.trim());
    }
}
