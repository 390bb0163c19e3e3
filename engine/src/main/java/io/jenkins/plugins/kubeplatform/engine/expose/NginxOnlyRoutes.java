package io.jenkins.plugins.kubeplatform.engine.expose;

import io.jenkins.plugins.kubeplatform.engine.core.ChangePlan;
import io.jenkins.plugins.kubeplatform.engine.kube.AccessCheck;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Route kind {@code none}: no route object, only the platform's nginx routes the host. Its server block, written for
 * every kind in nginx mode, is the whole route, and the nginx listen address is where it is served.
 */
final class NginxOnlyRoutes implements RouteDriver {

    @Override
    public RouteKind kind() {
        return RouteKind.NONE;
    }

    @Override
    public void plan(ChangePlan.Builder plan, RouteObjects.RouteSpec spec, boolean sendDryRun) {
        // nothing in the cluster: the nginx block is planned with the other nginx changes
    }

    @Override
    public Optional<String> ensure(RouteObjects.RouteSpec spec, List<String> changes) {
        return Optional.empty();
    }

    @Override
    public List<AccessCheck.Permission> permissions(String namespace) {
        return List.of();
    }

    @Override
    public List<CreatedRoute> createdFor(Owner owner, Collection<String> recordedNames) {
        return List.of();
    }

    @Override
    public boolean delete(CreatedRoute route, boolean dryRun) {
        throw new IllegalArgumentException("route kind none has no object to delete: " + route.describe());
    }
}
