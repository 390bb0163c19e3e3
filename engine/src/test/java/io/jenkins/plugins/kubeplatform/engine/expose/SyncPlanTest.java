package io.jenkins.plugins.kubeplatform.engine.expose;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SyncPlanTest {

    private static final Instant NOW = Instant.parse("2026-11-30T06:00:00Z");
    private static final Duration GRACE = Duration.ofMinutes(10);
    private static final Owner SHOP = new Owner("default", "shop");

    private static RouteRef route(String ns, String name, String host, Optional<Owner> owner) {
        return new RouteRef(RouteKind.INGRESS, ns, name, host, owner, true, Optional.of(name), 80,
                Optional.of("10.0.0.1:80"));
    }

    private static List<SyncPlan.Action> plan(List<RouteRef> routes, List<HostClaim> claims, DomainRegistry registry) {
        return SyncPlan.plan(routes, claims, registry, Map.of(), d -> Optional.empty(), NOW, GRACE);
    }

    @Test
    void claimsAndRecordsAHostOfARouteMadeByHand() {
        List<SyncPlan.Action> actions = plan(List.of(route("default", "legacy", "legacy.apps.example.test",
                Optional.empty())), List.of(), DomainRegistry.empty());

        assertThat(actions).hasSize(2);
        assertThat(actions.get(0)).isInstanceOfSatisfying(SyncPlan.Action.Claim.class,
                c -> assertThat(c.claim().owner()).isEqualTo(new Owner("default", "legacy")));
        assertThat(actions.get(1)).isInstanceOf(SyncPlan.Action.Record.class);
    }

    @Test
    void reportsTwoOwnersOfOneHostAndChangesNothingForIt() {
        List<SyncPlan.Action> actions = plan(List.of(
                route("default", "shop", "shop.apps.example.test", Optional.of(SHOP)),
                route("other", "shop", "shop.apps.example.test", Optional.of(new Owner("other", "shop")))),
                List.of(new HostClaim("shop.apps.example.test", SHOP, "job/a#1", NOW, null)), DomainRegistry.empty());

        assertThat(actions).filteredOn(a -> a instanceof SyncPlan.Action.Conflict).singleElement()
                .satisfies(a -> assertThat(((SyncPlan.Action.Conflict) a).detail()).contains("Ingress other/shop"));
        assertThat(actions).noneMatch(a -> a instanceof SyncPlan.Action.Claim || a instanceof SyncPlan.Action.Release);
    }

    @Test
    void leavesAFreshClaimWithoutRouteAloneAndReleasesAnOldOne() {
        HostClaim fresh = new HostClaim("fresh.apps.example.test", SHOP, "job/a#2", NOW.minus(Duration.ofMinutes(1)), null);
        HostClaim old = new HostClaim("old.apps.example.test", SHOP, "job/a#1", NOW.minus(Duration.ofHours(1)), null);

        List<SyncPlan.Action> actions = plan(List.of(), List.of(fresh, old), DomainRegistry.empty());

        assertThat(actions).containsExactly(new SyncPlan.Action.Release("old.apps.example.test", SHOP));
    }

    @Test
    void keepsNginxOnlyHostsFromTheirClaimAndForgetsHostsNothingServes() {
        HostClaim nginxOnly = new HostClaim("direct.apps.example.test", SHOP, "job/a#1", NOW.minus(Duration.ofHours(1)),
                "127.0.0.1:9000");
        DomainRegistry registry = DomainRegistry.empty().with(new DomainRegistry.Entry("gone.apps.example.test",
                "default", "gone", "gone", 80, "ingress", "gone", null, "job/g#1", "expose", NOW));

        List<SyncPlan.Action> actions = plan(List.of(), List.of(nginxOnly), registry);

        assertThat(actions).hasSize(2);
        assertThat(actions.get(0)).isInstanceOfSatisfying(SyncPlan.Action.Record.class,
                r -> assertThat(r.entry().upstream()).isEqualTo("127.0.0.1:9000"));
        assertThat(actions.get(1)).isEqualTo(new SyncPlan.Action.Forget("gone.apps.example.test"));
    }
}
