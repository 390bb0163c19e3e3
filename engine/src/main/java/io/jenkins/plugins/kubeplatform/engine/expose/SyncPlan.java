package io.jenkins.plugins.kubeplatform.engine.expose;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * What the sync reconciler (EXP-7) must do, as a pure function of what it observed: the hosts of labelled
 * Ingresses/HTTPRoutes (also ones created outside Jenkins) and of nginx-only claims are the desired set; claims,
 * registry entries and nginx blocks are brought in step with it.
 */
public final class SyncPlan {

    /** One step of the plan. */
    public sealed interface Action {
        String host();

        /** A labelled route without a claim: claim the host for the route's owner. */
        record Claim(HostClaim claim) implements Action {
            public String host() {
                return claim.host();
            }
        }

        /** Record (or correct) the registry entry. */
        record Record(DomainRegistry.Entry entry) implements Action {
            public String host() {
                return entry.host();
            }
        }

        /** The host is served by nothing any more: drop the registry entry. */
        record Forget(String host) implements Action {
        }

        /** The host's route is gone for longer than the grace period: release the claim. */
        record Release(String host, Owner owner) implements Action {
        }

        /** Write the nginx block. */
        record WriteBlock(NginxServerBlock block) implements Action {
            public String host() {
                return block.host();
            }
        }

        /** Remove the managed nginx block. */
        record RemoveBlock(String host) implements Action {
        }

        /** Two owners want the host: reported, nothing changed for it. */
        record Conflict(String host, String detail) implements Action {
        }
    }

    /**
     * A host that should be served, with where its traffic goes.
     *
     * @param tlsSecret   the TLS Secret in the owner's namespace the route names for the host, if any
     * @param requestedBy who claimed the host (the build, or the sync for routes made outside Jenkins)
     */
    public record Desired(String host, Owner owner, String service, int port, String route, String routeName,
            Optional<String> upstream, String source, Optional<String> tlsSecret, String requestedBy) {
    }

    private SyncPlan() {
    }

    /** Who "asked" for a host the sync found on a route made outside Jenkins. */
    static String syncRequester(String route, String namespace, String name) {
        return "sync of " + route + " " + namespace + "/" + name;
    }

    /**
     * @param routes       labelled routes in all namespaces
     * @param claims       the claim objects
     * @param registry     the local registry
     * @param blocks       managed nginx blocks (host → file content); empty when nginx mode is off
     * @param blockFor     the nginx configuration a desired host should have; empty when nginx mode is off or the
     *                     host has nowhere to send traffic (no Service)
     * @param now          the clock's now
     * @param grace        how long a claim may exist without a route (an expose in progress) before release
     */
    public static List<Action> plan(Collection<RouteRef> routes, Collection<HostClaim> claims, DomainRegistry registry,
            Map<String, String> blocks, Function<Desired, Optional<NginxServerBlock>> blockFor,
            Instant now, Duration grace) {
        List<Action> actions = new ArrayList<>();
        Map<String, HostClaim> claimByHost = new TreeMap<>();
        claims.forEach(c -> claimByHost.put(c.host(), c));
        Map<String, Desired> desired = desiredHosts(routes, claims, claimByHost, actions);

        for (Desired d : desired.values()) {
            if (!claimByHost.containsKey(d.host())) {
                actions.add(new Action.Claim(new HostClaim(d.host(), d.owner(), d.requestedBy(), now, null)));
            }
            Optional<NginxServerBlock> block = blockFor.apply(d);
            DomainRegistry.Entry existing = registry.hosts().get(d.host());
            DomainRegistry.Entry entry = new DomainRegistry.Entry(d.host(), d.owner().namespace(), d.owner().app(),
                    d.service(), d.port(), d.route(), d.routeName(), d.upstream().orElse(null),
                    existing == null ? "sync" : existing.requestedBy(), existing == null ? d.source() : existing.source(), now,
                    block.map(NginxServerBlock::servers).orElse(List.of()));
            if (!entry.sameRoute(existing)) {
                actions.add(new Action.Record(entry));
            }
            if (block.isPresent() && !block.get().render().equals(blocks.get(d.host()))) {
                actions.add(new Action.WriteBlock(block.get()));
            }
        }
        for (String host : registry.hosts().keySet()) {
            if (!desired.containsKey(host)) {
                actions.add(new Action.Forget(host));
            }
        }
        for (HostClaim c : claims) {
            if (!desired.containsKey(c.host()) && c.claimedAt().plus(grace).isBefore(now)
                    && actions.stream().noneMatch(a -> a instanceof Action.Conflict && a.host().equals(c.host()))) {
                actions.add(new Action.Release(c.host(), c.owner()));
            }
        }
        for (String host : blocks.keySet()) {
            if (!desired.containsKey(host)) {
                actions.add(new Action.RemoveBlock(host));
            }
        }
        return actions;
    }

    /**
     * The hosts the routes serve, one owner each (a host routed by two owners, or claimed by another, is a
     * conflict), plus the upstream-only hosts of nginx-mode claims.
     */
    private static Map<String, Desired> desiredHosts(Collection<RouteRef> routes, Collection<HostClaim> claims,
            Map<String, HostClaim> claimByHost, List<Action> actions) {
        Map<String, Desired> desired = new LinkedHashMap<>();
        for (RouteRef r : routes) {
            if (!r.labelled() || !DnsNames.isHost(r.host())) {
                continue;
            }
            Owner owner = r.owner().orElseGet(() -> new Owner(r.namespace(), r.service().orElse(r.name())));
            HostClaim held = claimByHost.get(r.host());
            Desired d = new Desired(r.host(), owner, r.service().orElse(""), r.port(), r.kind().id(), r.name(),
                    r.upstream(), r.owner().isPresent() ? "expose" : "sync", r.tlsSecret(),
                    held != null ? held.requestedBy() : syncRequester(r.kind().id(), r.namespace(), r.name()));
            Desired other = desired.get(r.host());
            HostClaim claim = claimByHost.get(r.host());
            if (other != null && !other.owner().equals(owner)) {
                actions.add(new Action.Conflict(r.host(), r.describe() + " routes a host that " + other.owner() + " also routes"));
                continue;
            }
            if (claim != null && !claim.owner().equals(owner)) {
                actions.add(new Action.Conflict(r.host(), r.describe() + " routes a host claimed by " + claim.owner()));
                continue;
            }
            desired.put(r.host(), d);
        }
        for (HostClaim c : claims) {
            if (!desired.containsKey(c.host()) && c.upstream() != null
                    && actions.stream().noneMatch(a -> a instanceof Action.Conflict && a.host().equals(c.host()))) {
                desired.put(c.host(), new Desired(c.host(), c.owner(), "", 0, RouteKind.NONE.id(), "",
                        Optional.of(c.upstream()), "expose", Optional.empty(), c.requestedBy()));
            }
        }
        return desired;
    }
}
