package io.jenkins.plugins.kubeplatform.engine.expose;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.kubeplatform.engine.core.ChangePlan;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.kube.AccessCheck;
import io.jenkins.plugins.kubeplatform.engine.kube.ApiRetry;
import io.jenkins.plugins.kubeplatform.engine.kube.Conflicts;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** {@code gateway.networking.k8s.io/v1} HTTPRoutes attached to the configured Gateway, admitted once it accepts them. */
final class HttpRoutes implements RouteDriver {

    private final KubernetesClient client;
    private final ExposeSettings settings;
    private final ApiRetry retry;
    private final Progress progress;
    private final RouteObjectsOfKind<HTTPRoute> objects;

    HttpRoutes(KubernetesClient client, ExposeSettings settings, ApiRetry retry, Progress progress) {
        this.client = client;
        this.settings = settings;
        this.retry = retry;
        this.progress = progress;
        this.objects = new RouteObjectsOfKind<>(new RouteObjectsOfKind.Parts<>(RouteKind.HTTPROUTE, "HTTPRoutes",
                ns -> client.resources(HTTPRoute.class).inNamespace(ns), spec -> RouteObjects.httpRoute(settings, spec),
                (live, desired) -> live.setSpec(desired.getSpec()), RouteHosts::fromHttpRoute), retry, progress);
    }

    @Override
    public RouteKind kind() {
        return RouteKind.HTTPROUTE;
    }

    private String gateway() {
        return settings.gateway().namespace() + "/" + settings.gateway().name();
    }

    @Override
    public void plan(ChangePlan.Builder plan, RouteObjects.RouteSpec spec, boolean sendDryRun) {
        ObjectStep<HTTPRoute> step = objects.step(spec);
        plan.object(step.action(), step.object(), "host " + spec.host() + " on Gateway " + gateway());
        if (sendDryRun) {
            objects.sendDryRun(step, spec.namespace());
        }
        plan.note("wait until HTTPRoute " + spec.namespace() + "/" + spec.name() + " is accepted by its Gateway (up to "
                + (settings.admitTimeout() == null ? "2m" : settings.admitTimeout()) + ")");
    }

    @Override
    public Optional<String> ensure(RouteObjects.RouteSpec spec, List<String> changes) {
        HTTPRoute current = objects.ensure(spec, changes, " on Gateway " + gateway());
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
        try {
            return objects.createdFor(owner, recordedNames);
        } catch (KubernetesClientException e) {
            if (Conflicts.isNotFound(e)) {
                return List.of(); // Gateway API not installed: no HTTPRoute can exist
            }
            throw e;
        }
    }

    @Override
    public boolean delete(CreatedRoute route, boolean dryRun) {
        return objects.delete(route, dryRun);
    }
}
