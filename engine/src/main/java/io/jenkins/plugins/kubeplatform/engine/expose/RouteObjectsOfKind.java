package io.jenkins.plugins.kubeplatform.engine.expose;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.kube.ApiRetry;
import io.jenkins.plugins.kubeplatform.engine.kube.Conflicts;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The route objects of one kind as {@link IngressRoutes} and {@link HttpRoutes} handle them alike: read and decide
 * (create, update ours to cover the host, keep, or fail on a foreign one), create or update on a conflict-retried
 * loop, find the ones created for an owner, and delete one of them guarded by its resourceVersion. The drivers keep
 * what differs: the plan's wording, the admission wait and the permissions.
 *
 * @param <T> Ingress or HTTPRoute
 */
final class RouteObjectsOfKind<T extends HasMetadata> {

    /** The kind's parts: its API in a namespace, the object it wants for a host, its spec copy and its hosts. */
    record Parts<T extends HasMetadata>(
            RouteKind kind,
            String plural,
            Function<String, NonNamespaceOperation<T, ? extends KubernetesResourceList<T>, Resource<T>>> inNamespace,
            Function<RouteObjects.RouteSpec, T> desired,
            BiConsumer<T, T> copySpec,
            Function<T, List<RouteRef>> hosts) {
    }

    private final Parts<T> parts;
    private final ApiRetry retry;
    private final Progress progress;

    RouteObjectsOfKind(Parts<T> parts, ApiRetry retry, Progress progress) {
        this.parts = parts;
        this.retry = retry;
        this.progress = progress;
    }

    private String kind() {
        return parts.kind().objectKind();
    }

    /** Reads the object and decides: create it, update ours to cover the host, or keep it; a foreign one fails. */
    ObjectStep<T> step(RouteObjects.RouteSpec spec) {
        T desired = parts.desired().apply(spec);
        T live = retry.call("read " + kind() + " " + spec.namespace() + "/" + spec.name(),
                () -> parts.inNamespace().apply(spec.namespace()).withName(spec.name()).get());
        if (live == null) {
            return new ObjectStep<>("create", desired);
        }
        RouteObjects.requireOurs(live.getMetadata(), kind(), spec.owner());
        if (RouteObjects.covers(live, desired)) {
            return new ObjectStep<>("unchanged", live);
        }
        RouteObjects.mergeMeta(live.getMetadata(), desired.getMetadata());
        parts.copySpec().accept(live, desired);
        return new ObjectStep<>("update", live);
    }

    /** Sends {@code step} with dryRun=All. */
    void sendDryRun(ObjectStep<T> step, String namespace) {
        var objects = parts.inNamespace().apply(namespace);
        step.send(c -> objects.resource(c).dryRun().create(), u -> objects.resource(u).dryRun().update());
    }

    /**
     * Creates or updates the object as {@link #step} decides, again after a conflict; reports each write in
     * {@code changes} and on the progress ({@code createdDetail} follows the name in the creation's line).
     */
    T ensure(RouteObjects.RouteSpec spec, List<String> changes, String createdDetail) {
        String ns = spec.namespace();
        String what = kind() + " " + ns + "/" + spec.name();
        var objects = parts.inNamespace().apply(ns);
        return Conflicts.retry("ensure " + what, 5, () -> {
            ObjectStep<T> step = step(spec);
            if (step.action().equals("create")) {
                T created = retry.call("create " + kind(), () -> objects.resource(step.object()).create());
                changes.add("created " + what + " for " + spec.host());
                progress.step("created " + what + createdDetail);
                return created;
            }
            if (step.action().equals("update")) {
                T updated = retry.call("update " + kind(), () -> objects.resource(step.object()).update());
                changes.add("updated " + what + " for " + spec.host());
                progress.step("updated " + what);
                return updated;
            }
            return step.object();
        });
    }

    /** As {@link RouteDriver#createdFor}: labelled ones and the recorded names, kept if created for {@code owner}. */
    List<CreatedRoute> createdFor(Owner owner, Collection<String> recordedNames) {
        var objects = parts.inNamespace().apply(owner.namespace());
        Map<String, T> found = new LinkedHashMap<>();
        for (T o : retry.call("list " + parts.plural() + " in " + owner.namespace(), () -> objects
                .withLabel(ExposeLabels.MANAGED_BY, ExposeLabels.MANAGER).list().getItems())) {
            found.put(o.getMetadata().getName(), o);
        }
        for (String name : recordedNames) {
            if (!found.containsKey(name)) {
                T live = retry.call("read " + kind() + " " + owner.namespace() + "/" + name,
                        () -> objects.withName(name).get());
                if (live != null) {
                    found.put(name, live);
                }
            }
        }
        return found.values().stream().filter(o -> RouteObjects.createdFor(o.getMetadata(), owner))
                .map(o -> new CreatedRoute(parts.kind(), o.getMetadata(),
                        parts.hosts().apply(o).stream().map(RouteRef::host).toList()))
                .toList();
    }

    /** As {@link RouteDriver#delete}. */
    boolean delete(CreatedRoute route, boolean dryRun) {
        var object = parts.inNamespace().apply(route.namespace()).withName(route.name());
        if (dryRun) {
            object.dryRun().delete();
            return true;
        }
        return route.deleteGuarded(retry, () -> Optional.ofNullable(object.get()).map(HasMetadata::getMetadata)
                .orElse(null), version -> object.lockResourceVersion(version).delete());
    }
}
