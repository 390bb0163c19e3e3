package io.jenkins.plugins.kubeplatform.engine.expose;

import io.jenkins.plugins.kubeplatform.engine.core.ChangePlan;
import io.jenkins.plugins.kubeplatform.engine.kube.AccessCheck;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * One route kind's part of exposeApp: the route object it writes for a host (decided once, for {@link #plan} and
 * {@link #ensure} alike), how it waits until the route is admitted, and which objects a release deletes. The platform's
 * nginx block is not a route object: it is written beside any kind in nginx mode ({@link NginxSites}).
 */
sealed interface RouteDriver permits IngressRoutes, HttpRoutes, NginxOnlyRoutes {

    RouteKind kind();

    /** Adds the route write (and the admission wait) to a dry-run plan; with {@code sendDryRun} also sent with dryRun=All. */
    void plan(ChangePlan.Builder plan, RouteObjects.RouteSpec spec, boolean sendDryRun);

    /** Creates or updates the route and waits until it is admitted; returns the address it was admitted with. */
    Optional<String> ensure(RouteObjects.RouteSpec spec, List<String> changes);

    /** The permissions {@link #ensure} uses in {@code namespace}, beyond what every expose needs. */
    List<AccessCheck.Permission> permissions(String namespace);

    /**
     * The objects of this kind exposeApp created for {@code owner}: found by the managed-by label and the owner
     * recorded on them, plus the {@code recordedNames} of the domain registry, each read and kept only if it is
     * {@link RouteObjects#createdFor created for the owner}.
     */
    List<CreatedRoute> createdFor(Owner owner, Collection<String> recordedNames);

    /**
     * Deletes one object {@link #createdFor} returned, that object only (a resourceVersion precondition; NotFound is
     * success); false when another object took its name after it was read (left in place). With {@code dryRun} the
     * delete is only sent with dryRun=All.
     */
    boolean delete(CreatedRoute route, boolean dryRun);
}
