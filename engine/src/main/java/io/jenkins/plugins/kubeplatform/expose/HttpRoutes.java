package io.jenkins.plugins.kubeplatform.expose;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.kubeplatform.core.ChangePlan;
import io.jenkins.plugins.kubeplatform.core.Progress;
import io.jenkins.plugins.kubeplatform.kube.AccessCheck;
import io.jenkins.plugins.kubeplatform.kube.ApiRetry;
import io.jenkins.plugins.kubeplatform.kube.Conflicts;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code gateway.networking.k8s.io/v1} HTTPRoutes attached to the configured Gateway, admitted once it accepts them. */
final class HttpRoutes implements RouteDriver {

    private final KubernetesClient client;
    private final ExposeSettings settings;
    private final ApiRetry retry;
    private final Progress progress;

    HttpRoutes(KubernetesClient client, ExposeSettings settings, ApiRetry retry, Progress progress) {
        this.client = client;
        this.settings = settings;
        this.retry = retry;
        this.progress = progress;
    }

    @Override
    public RouteKind kind() {
        return RouteKind.HTTPROUTE;
    }

    /** Reads the HTTPRoute and decides as {@link IngressRoutes#step} does. */
    ObjectStep<HTTPRoute> step(RouteObjects.RouteSpec spec) {
        HTTPRoute desired = RouteObjects.httpRoute(settings, spec);
        HTTPRoute live = retry.call("read HTTPRoute " + spec.namespace() + "/" + spec.name(),
                () -> client.resources(HTTPRoute.class).inNamespace(spec.namespace()).withName(spec.name()).get());
        if (live == null) {
            return new ObjectStep<>("create", desired);
        }
        RouteObjects.requireOurs(live.getMetadata(), "HTTPRoute", spec.owner());
        if (RouteObjects.covers(live, desired)) {
            return new ObjectStep<>("unchanged", live);
        }
        RouteObjects.mergeMeta(live.getMetadata(), desired.getMetadata());
        live.setSpec(desired.getSpec());
        return new ObjectStep<>("update", live);
    }

    @Override
    public void plan(ChangePlan.Builder plan, RouteObjects.RouteSpec spec, boolean sendDryRun) {
        ObjectStep<HTTPRoute> step = step(spec);
        plan.object(step.action(), step.object(), "host " + spec.host() + " on Gateway "
                + settings.gateway().namespace() + "/" + settings.gateway().name());
        if (sendDryRun) {
            var routes = client.resources(HTTPRoute.class).inNamespace(spec.namespace());
            step.send(c -> routes.resource(c).dryRun().create(), u -> routes.resource(u).dryRun().update());
        }
        plan.note("wait until HTTPRoute " + spec.namespace() + "/" + spec.name() + " is accepted by its Gateway (up to "
                + (settings.admitTimeout() == null ? "2m" : settings.admitTimeout()) + ")");
    }

    @Override
    public Optional<String> ensure(RouteObjects.RouteSpec spec, List<String> changes) {
        String ns = spec.namespace();
        var routes = client.resources(HTTPRoute.class).inNamespace(ns);
        HTTPRoute current = Conflicts.retry("ensure HTTPRoute " + ns + "/" + spec.name(), 5, () -> {
            ObjectStep<HTTPRoute> step = step(spec);
            if (step.action().equals("create")) {
                HTTPRoute created = retry.call("create HTTPRoute", () -> routes.resource(step.object()).create());
                changes.add("created HTTPRoute " + ns + "/" + spec.name() + " for " + spec.host());
                progress.step("created HTTPRoute " + ns + "/" + spec.name() + " on Gateway "
                        + settings.gateway().namespace() + "/" + settings.gateway().name());
                return created;
            }
            if (step.action().equals("update")) {
                HTTPRoute updated = retry.call("update HTTPRoute", () -> routes.resource(step.object()).update());
                changes.add("updated HTTPRoute " + ns + "/" + spec.name() + " for " + spec.host());
                progress.step("updated HTTPRoute " + ns + "/" + spec.name());
                return updated;
            }
            return step.object();
        });
        RouteAdmission admission = new RouteAdmission(client, retry, progress);
        admission.awaitHttpRoute(current, settings.gateway(), settings.admitTimeoutDuration());
        return admission.gatewayAddress(settings.gateway());
    }

    @Override
    public List<AccessCheck.Permission> permissions(String namespace) {
        List<AccessCheck.Permission> needed = new ArrayList<>();
        for (String verb : List.of("get", "create", "update", "watch")) {
            needed.add(AccessCheck.Permission.in(namespace, verb, "gateway.networking.k8s.io", "httproutes"));
        }
        needed.add(AccessCheck.Permission.in(settings.gateway().namespace(), "get", "gateway.networking.k8s.io",
                "gateways"));
        return needed;
    }

    @Override
    public List<CreatedRoute> createdFor(Owner owner, Collection<String> recordedNames) {
        var routes = client.resources(HTTPRoute.class).inNamespace(owner.namespace());
        Map<String, HTTPRoute> found = new LinkedHashMap<>();
        try {
            for (HTTPRoute r : retry.call("list HTTPRoutes in " + owner.namespace(), () -> routes
                    .withLabel(ExposeLabels.MANAGED_BY, ExposeLabels.MANAGER).list().getItems())) {
                found.put(r.getMetadata().getName(), r);
            }
            for (String name : recordedNames) {
                if (!found.containsKey(name)) {
                    HTTPRoute live = retry.call("read HTTPRoute " + owner.namespace() + "/" + name,
                            () -> routes.withName(name).get());
                    if (live != null) {
                        found.put(name, live);
                    }
                }
            }
        } catch (KubernetesClientException e) {
            if (Conflicts.isNotFound(e)) {
                return List.of(); // Gateway API not installed: no HTTPRoute can exist
            }
            throw e;
        }
        return found.values().stream().filter(r -> RouteObjects.createdFor(r.getMetadata(), owner))
                .map(r -> new CreatedRoute(kind(), r.getMetadata(),
                        RouteHosts.fromHttpRoute(r).stream().map(RouteRef::host).toList()))
                .toList();
    }

    @Override
    public boolean delete(CreatedRoute route, boolean dryRun) {
        var r = client.resources(HTTPRoute.class).inNamespace(route.namespace()).withName(route.name());
        if (dryRun) {
            r.dryRun().delete();
            return true;
        }
        return route.deleteGuarded(retry, () -> java.util.Optional.ofNullable(r.get()).map(o -> o.getMetadata())
                .orElse(null), version -> r.lockResourceVersion(version).delete());
    }
}
