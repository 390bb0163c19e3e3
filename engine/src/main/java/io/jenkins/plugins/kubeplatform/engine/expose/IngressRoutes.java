package io.jenkins.plugins.kubeplatform.engine.expose;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.engine.core.ChangePlan;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.kube.AccessCheck;
import io.jenkins.plugins.kubeplatform.engine.kube.ApiRetry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** {@code networking.k8s.io/v1} Ingresses of the configured class, admitted once their controller sets an address. */
final class IngressRoutes implements RouteDriver {

    private final KubernetesClient client;
    private final ExposeSettings settings;
    private final ApiRetry retry;
    private final Progress progress;
    private final RouteObjectsOfKind<Ingress> objects;

    IngressRoutes(KubernetesClient client, ExposeSettings settings, ApiRetry retry, Progress progress) {
        this.client = client;
        this.settings = settings;
        this.retry = retry;
        this.progress = progress;
        this.objects = new RouteObjectsOfKind<>(new RouteObjectsOfKind.Parts<>(RouteKind.INGRESS, "Ingresses",
                ns -> client.network().v1().ingresses().inNamespace(ns), spec -> RouteObjects.ingress(settings, spec),
                (live, desired) -> live.setSpec(desired.getSpec()), RouteHosts::fromIngress), retry, progress);
    }

    @Override
    public RouteKind kind() {
        return RouteKind.INGRESS;
    }

    @Override
    public void plan(ChangePlan.Builder plan, RouteObjects.RouteSpec spec, boolean sendDryRun) {
        ObjectStep<Ingress> step = objects.step(spec);
        plan.object(step.action(), step.object(), "host " + spec.host() + ", class " + settings.ingressClassName());
        if (sendDryRun) {
            objects.sendDryRun(step, spec.namespace());
        }
        plan.note("wait until Ingress " + spec.namespace() + "/" + spec.name() + " is admitted (up to "
                + (settings.admitTimeout() == null ? "2m" : settings.admitTimeout()) + ")");
    }

    @Override
    public Optional<String> ensure(RouteObjects.RouteSpec spec, List<String> changes) {
        Ingress current = objects.ensure(spec, changes, " (class " + settings.ingressClassName() + ")");
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
        return objects.createdFor(owner, recordedNames);
    }

    @Override
    public boolean delete(CreatedRoute route, boolean dryRun) {
        return objects.delete(route, dryRun);
    }
}
