package io.jenkins.plugins.kubeplatform.expose;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
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

/** {@code networking.k8s.io/v1} Ingresses of the configured class, admitted once their controller sets an address. */
final class IngressRoutes implements RouteDriver {

    private final KubernetesClient client;
    private final ExposeSettings settings;
    private final ApiRetry retry;
    private final Progress progress;

    IngressRoutes(KubernetesClient client, ExposeSettings settings, ApiRetry retry, Progress progress) {
        this.client = client;
        this.settings = settings;
        this.retry = retry;
        this.progress = progress;
    }

    @Override
    public RouteKind kind() {
        return RouteKind.INGRESS;
    }

    /** Reads the Ingress and decides: create it, update ours to cover the host, or keep it; a foreign one fails. */
    ObjectStep<Ingress> step(RouteObjects.RouteSpec spec) {
        Ingress desired = RouteObjects.ingress(settings, spec);
        Ingress live = retry.call("read Ingress " + spec.namespace() + "/" + spec.name(),
                () -> client.network().v1().ingresses().inNamespace(spec.namespace()).withName(spec.name()).get());
        if (live == null) {
            return new ObjectStep<>("create", desired);
        }
        RouteObjects.requireOurs(live.getMetadata(), "Ingress", spec.owner());
        if (RouteObjects.covers(live, desired)) {
            return new ObjectStep<>("unchanged", live);
        }
        RouteObjects.mergeMeta(live.getMetadata(), desired.getMetadata());
        live.setSpec(desired.getSpec());
        return new ObjectStep<>("update", live);
    }

    @Override
    public void plan(ChangePlan.Builder plan, RouteObjects.RouteSpec spec, boolean sendDryRun) {
        ObjectStep<Ingress> step = step(spec);
        plan.object(step.action(), step.object(), "host " + spec.host() + ", class " + settings.ingressClassName());
        if (sendDryRun) {
            var ingresses = client.network().v1().ingresses().inNamespace(spec.namespace());
            step.send(c -> ingresses.resource(c).dryRun().create(), u -> ingresses.resource(u).dryRun().update());
        }
        plan.note("wait until Ingress " + spec.namespace() + "/" + spec.name() + " is admitted (up to "
                + (settings.admitTimeout() == null ? "2m" : settings.admitTimeout()) + ")");
    }

    @Override
    public Optional<String> ensure(RouteObjects.RouteSpec spec, List<String> changes) {
        String ns = spec.namespace();
        var ingresses = client.network().v1().ingresses().inNamespace(ns);
        Ingress current = Conflicts.retry("ensure Ingress " + ns + "/" + spec.name(), 5, () -> {
            ObjectStep<Ingress> step = step(spec);
            if (step.action().equals("create")) {
                Ingress created = retry.call("create Ingress", () -> ingresses.resource(step.object()).create());
                changes.add("created Ingress " + ns + "/" + spec.name() + " for " + spec.host());
                progress.step("created Ingress " + ns + "/" + spec.name() + " (class " + settings.ingressClassName() + ")");
                return created;
            }
            if (step.action().equals("update")) {
                Ingress updated = retry.call("update Ingress", () -> ingresses.resource(step.object()).update());
                changes.add("updated Ingress " + ns + "/" + spec.name() + " for " + spec.host());
                progress.step("updated Ingress " + ns + "/" + spec.name());
                return updated;
            }
            return step.object();
        });
        return Optional.of(new RouteAdmission(client, retry, progress).awaitIngress(current,
                settings.admitTimeoutDuration()));
    }

    @Override
    public List<AccessCheck.Permission> permissions(String namespace) {
        List<AccessCheck.Permission> needed = new ArrayList<>();
        for (String verb : List.of("get", "create", "update", "watch")) {
            needed.add(AccessCheck.Permission.in(namespace, verb, "networking.k8s.io", "ingresses"));
        }
        needed.add(AccessCheck.Permission.cluster("get", "networking.k8s.io", "ingressclasses"));
        needed.add(AccessCheck.Permission.in(namespace, "list", "", "events"));
        return needed;
    }

    @Override
    public List<CreatedRoute> createdFor(Owner owner, Collection<String> recordedNames) {
        var ingresses = client.network().v1().ingresses().inNamespace(owner.namespace());
        Map<String, Ingress> found = new LinkedHashMap<>();
        for (Ingress i : retry.call("list Ingresses in " + owner.namespace(), () -> ingresses
                .withLabel(ExposeLabels.MANAGED_BY, ExposeLabels.MANAGER).list().getItems())) {
            found.put(i.getMetadata().getName(), i);
        }
        for (String name : recordedNames) {
            if (!found.containsKey(name)) {
                Ingress live = retry.call("read Ingress " + owner.namespace() + "/" + name,
                        () -> ingresses.withName(name).get());
                if (live != null) {
                    found.put(name, live);
                }
            }
        }
        return found.values().stream().filter(i -> RouteObjects.createdFor(i.getMetadata(), owner))
                .map(i -> new CreatedRoute(kind(), i.getMetadata(),
                        RouteHosts.fromIngress(i).stream().map(RouteRef::host).toList()))
                .toList();
    }

    @Override
    public boolean delete(CreatedRoute route, boolean dryRun) {
        var ingress = client.network().v1().ingresses().inNamespace(route.namespace()).withName(route.name());
        if (dryRun) {
            ingress.dryRun().delete();
            return true;
        }
        return route.deleteGuarded(retry, () -> java.util.Optional.ofNullable(ingress.get()).map(o -> o.getMetadata())
                .orElse(null), version -> ingress.lockResourceVersion(version).delete());
    }
}
