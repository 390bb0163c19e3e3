package io.jenkins.plugins.kubeplatform.expose;

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

    /** A host that should be served, with where its traffic goes. */
    public record Desired(String host, Owner owner, String service, int port, String route, String routeName,
            Optional<String> upstream, String source) {
    }

    private SyncPlan() {
    }

    /**
     * @param routes       labelled routes in all namespaces
     * @param claims       the claim objects
     * @param registry     the local registry
     * @param blocks       managed nginx blocks (host → file content); empty when nginx mode is off
     * @param nginxListen  the listen value of nginx blocks; empty when nginx mode is off
     * @param serviceUpstream resolves {@code namespace/service:port} to an upstream when a route names none
     * @param now          the clock's now
     * @param grace        how long a claim may exist without a route (an expose in progress) before release
     */
    public static List<Action> plan(Collection<RouteRef> routes, Collection<HostClaim> claims, DomainRegistry registry,
            Map<String, String> blocks, Optional<String> nginxListen, Function<Desired, Optional<String>> serviceUpstream,
            Instant now, Duration grace) {
        List<Action> actions = new ArrayList<>();
        Map<String, HostClaim> claimByHost = new TreeMap<>();
        claims.forEach(c -> claimByHost.put(c.host(), c));
        Map<String, Desired> desired = new LinkedHashMap<>();

        for (RouteRef r : routes) {
            if (!r.labelled() || !DnsNames.isHost(r.host())) {
                continue;
            }
            Owner owner = r.owner().orElseGet(() -> new Owner(r.namespace(), r.service().orElse(r.name())));
            Desired d = new Desired(r.host(), owner, r.service().orElse(""), r.port(), r.kind().id(), r.name(),
                    r.upstream(), r.owner().isPresent() ? "expose" : "sync");
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
                        Optional.of(c.upstream()), "expose"));
            }
        }

        for (Desired d : desired.values()) {
            if (!claimByHost.containsKey(d.host())) {
                actions.add(new Action.Claim(new HostClaim(d.host(), d.owner(), "sync of " + d.route() + " "
                        + d.owner().namespace() + "/" + d.routeName(), now, null)));
            }
            DomainRegistry.Entry existing = registry.hosts().get(d.host());
            DomainRegistry.Entry entry = new DomainRegistry.Entry(d.host(), d.owner().namespace(), d.owner().app(),
                    d.service(), d.port(), d.route(), d.routeName(), d.upstream().orElse(null),
                    existing == null ? "sync" : existing.requestedBy(), existing == null ? d.source() : existing.source(), now);
            if (!entry.sameRoute(existing)) {
                actions.add(new Action.Record(entry));
            }
            if (nginxListen.isPresent()) {
                Optional<String> upstream = d.upstream().or(() -> serviceUpstream.apply(d));
                if (upstream.isPresent()) {
                    NginxServerBlock block = new NginxServerBlock(d.host(), upstream.get(), nginxListen.get(),
                            d.owner().namespace());
                    if (!block.render().equals(blocks.get(d.host()))) {
                        actions.add(new Action.WriteBlock(block));
                    }
                }
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
}
