package io.jenkins.plugins.kubeplatform.engine.expose;

import io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The one code path that decides a host (EXP-2, EXP-3): the template's variants in order, each checked against
 * the routes of every namespace and then claimed atomically in the cluster. Used by exposeApp and by the sync
 * when it generates hosts for routes created without one (EXP-11).
 */
final class HostAllocator {

    /** Variants tried with onConflict next-free before giving up. */
    static final int MAX_VARIANTS = 20;

    private final ExposeSettings settings;
    private final HostClaims claims;
    private final Clock clock;
    private final Progress progress;

    HostAllocator(ExposeSettings settings, HostClaims claims, Clock clock, Progress progress) {
        this.settings = settings;
        this.claims = claims;
        this.clock = clock;
        this.progress = progress;
    }

    /**
     * Claims the explicit host, or the first free generated variant for {@code owner}; fails naming the holder.
     *
     * @param routes the hosts every Ingress and HTTPRoute in the cluster routes (a host routed by another owner is taken)
     * @param changes receives "claimed host ..." when a claim was made
     */
    HostClaim claim(Owner owner, Optional<String> explicitHost, ConflictPolicy onConflict, String requestedBy,
            String upstream, List<RouteRef> routes, List<String> changes) {
        return choose(owner, explicitHost, onConflict, requestedBy, upstream, routes, changes, claims::claim, progress);
    }

    /**
     * The host {@link #claim} would take, decided by the same loop without writing (a dry run): the claim it would
     * create is reported in {@code changes} as "claimed host ...".
     */
    HostClaim preview(Owner owner, Optional<String> explicitHost, ConflictPolicy onConflict, String requestedBy,
            String upstream, List<RouteRef> routes, List<String> changes) {
        return choose(owner, explicitHost, onConflict, requestedBy, upstream, routes, changes, claims::peek,
                Progress.silent());
    }

    private HostClaim choose(Owner owner, Optional<String> explicitHost, ConflictPolicy onConflict, String requestedBy,
            String upstream, List<RouteRef> routes, List<String> changes,
            java.util.function.Function<HostClaim, HostClaims.Outcome> attempt, Progress progress) {
        int variants = explicitHost.isPresent() || onConflict == ConflictPolicy.FAIL ? 1 : MAX_VARIANTS;
        String firstConflict = null;
        for (int variant = 1; variant <= variants; variant++) {
            String host = explicitHost.isPresent() ? explicitHost.get()
                    : settings.domainTemplate().host(owner.app(), variant, owner.namespace(), settings.suffix());
            String finalHost = host;
            Optional<RouteRef> foreign = routes.stream()
                    .filter(r -> r.host().equals(finalHost) && !r.owner().filter(owner::equals).isPresent())
                    .findFirst();
            String conflict;
            if (foreign.isPresent()) {
                conflict = "host " + host + " is already routed by " + foreign.get().describe()
                        + claims.find(host).filter(c -> !c.owner().equals(owner))
                                .map(c -> " and belongs to " + c.owner() + " (claimed by " + c.requestedBy() + " at "
                                        + c.claimedAt() + ")")
                                .orElse(foreign.get().owner().map(o -> " (owner: " + o + ")").orElse(""));
            } else {
                HostClaim wanted = new HostClaim(host, owner, requestedBy, clock.instant(), upstream);
                HostClaims.Outcome outcome = attempt.apply(wanted);
                if (outcome instanceof HostClaims.Outcome.Claimed c) {
                    changes.add("claimed host " + host);
                    progress.step("claimed host " + host + " for " + owner);
                    return c.claim();
                }
                if (outcome instanceof HostClaims.Outcome.AlreadyOurs o) {
                    return o.claim();
                }
                HostClaim holder = ((HostClaims.Outcome.TakenBy) outcome).holder();
                conflict = "host " + host + " belongs to " + holder.owner() + " (claimed by " + holder.requestedBy()
                        + " at " + holder.claimedAt() + ")";
            }
            if (firstConflict == null) {
                firstConflict = conflict;
            }
            if (variants > 1) {
                progress.step(conflict + "; trying the next variant");
            }
        }
        String advice = explicitHost.isPresent() ? "choose another host"
                : onConflict == ConflictPolicy.FAIL
                ? "choose another app name or host, or set onConflict to next-free to take " + owner.app() + "-2 and so on"
                : "no free variant among the first " + MAX_VARIANTS + "; choose another app name or host";
        throw new OperationFailedException("Cannot expose " + owner + ": " + firstConflict + ". Nothing was "
                + "changed; " + advice + ".");
    }
}
