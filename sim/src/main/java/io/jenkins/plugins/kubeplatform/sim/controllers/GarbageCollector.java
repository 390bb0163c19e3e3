package io.jenkins.plugins.kubeplatform.sim.controllers;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.jenkins.plugins.kubeplatform.sim.ChangeHandler;
import io.jenkins.plugins.kubeplatform.sim.SimContext;
import io.jenkins.plugins.kubeplatform.sim.SimController;
import io.jenkins.plugins.kubeplatform.sim.model.GcFinalizers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The garbage collector of kube-controller-manager (k8s.io/kubernetes pkg/controller/garbagecollector): it keeps a
 * graph of every watched object's owner references and
 * <ul>
 * <li>deletes an object none of whose owners exists any more (an owner is gone when a read of it by name answers
 * NotFound or an object with another uid), with the object's uid as the delete's precondition
 * ({@code attemptToDeleteItem}, {@code isDangling}, {@code deleteObject});</li>
 * <li>drops the references to gone owners from an object that still has a live one;</li>
 * <li>for an owner deleted in the foreground ({@code foregroundDeletion} finalizer) deletes its dependents in the
 * foreground too and removes the finalizer once no dependent with {@code blockOwnerDeletion} is left
 * ({@code processDeletingDependentsItem});</li>
 * <li>for an owner deleted with {@code propagationPolicy: Orphan} ({@code orphan} finalizer) removes the owner's
 * reference from its dependents, then the finalizer ({@code orphanDependents}).</li>
 * </ul>
 * It watches every built-in type the simulated server serves that can be listed, watched and deleted, namespaced
 * and cluster-scoped, but events (the real collector's default ignored resources), and every custom resource type
 * (from the CRDs), as the real one follows every deletable resource discovery lists. An owner whose kind it does not
 * know is treated as present, so nothing is collected on a guess.
 * It runs in the simulated cluster only: a real cluster attached to has its own.
 */
public final class GarbageCollector implements SimController {

    /**
     * The built-in kinds followed, observed typed as the other controllers observe them: in kube-controller-manager
     * the collector shares their informers (only kinds without one get a metadata informer of its own).
     */
    private static final List<Class<? extends HasMetadata>> BUILT_IN = List.of(
            Pod.class, Service.class, Endpoints.class, ConfigMap.class, Secret.class, PersistentVolumeClaim.class,
            ServiceAccount.class, ReplicationController.class, Deployment.class, ReplicaSet.class, StatefulSet.class,
            DaemonSet.class, ControllerRevision.class, Job.class, CronJob.class, EndpointSlice.class, Ingress.class,
            PodDisruptionBudget.class, NetworkPolicy.class, Lease.class, Role.class, RoleBinding.class,
            Node.class, Namespace.class, PersistentVolume.class, IngressClass.class, ClusterRole.class,
            ClusterRoleBinding.class, CustomResourceDefinition.class,
            io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass.class);
    /** The graph is kept by watch events; a relist only catches what a reconnecting watch missed. */
    private static final Duration RESYNC = Duration.ofSeconds(30);
    private static final Duration RETRY = Duration.ofSeconds(1);
    private static final int ATTEMPTS = 8;

    private SimContext ctx;
    /** {@code group/kind} to type, for looking up an owner reference's object. */
    private final Map<String, ResourceDefinitionContext> types = new HashMap<>();
    /** Every watched object by uid; only touched on the controller's thread, as are the two below. */
    private final Map<String, Item> graph = new HashMap<>();
    /** Owner uid to the uids of the objects that reference it. */
    private final Map<String, Set<String>> dependents = new HashMap<>();
    private final Set<String> queued = new HashSet<>();

    /** An object as last seen; only its metadata is read (the objects may be shared with other controllers). */
    private record Item(ResourceDefinitionContext type, HasMetadata object) {
        String uid() {
            return object.getMetadata().getUid();
        }
    }

    /** Whether an owner reference's object exists, is waiting for its dependents, or is gone. */
    private enum OwnerState { SOLID, WAITING_FOR_DEPENDENTS, DANGLING }

    @Override
    public String name() {
        return "garbage-collector";
    }

    @Override
    public void start(SimContext context) {
        this.ctx = context;
        BUILT_IN.forEach(this::followBuiltIn);
        ctx.observe(ctx.client().apiextensions().v1().customResourceDefinitions(), new ChangeHandler<>() {
            @Override
            public void changed(CustomResourceDefinition crd) {
                typeOf(crd).ifPresent(t -> follow(t, ctx.client().genericKubernetesResources(t).inAnyNamespace()));
            }
        }, RESYNC);
    }

    /** Through the typed operation the other controllers observe (so the informer is shared), all namespaces. */
    private <T extends HasMetadata> void followBuiltIn(Class<T> type) {
        ResourceDefinitionContext t = ResourceDefinitionContext.fromResourceType(type);
        var all = ctx.client().resources(type);
        if (t.isNamespaceScoped()) {
            follow(t, all.inAnyNamespace());
        } else {
            follow(t, all);
        }
    }

    private static Optional<ResourceDefinitionContext> typeOf(CustomResourceDefinition crd) {
        var spec = crd.getSpec();
        if (spec == null || spec.getNames() == null || spec.getVersions() == null) {
            return Optional.empty();
        }
        return spec.getVersions().stream().filter(v -> Boolean.TRUE.equals(v.getStorage())).findFirst()
                .or(() -> spec.getVersions().stream().findFirst()).map(CustomResourceDefinitionVersion::getName)
                .map(version -> new ResourceDefinitionContext.Builder().withGroup(spec.getGroup())
                        .withVersion(version).withKind(spec.getNames().getKind())
                        .withPlural(spec.getNames().getPlural()).withNamespaced("Namespaced".equals(spec.getScope()))
                        .build());
    }

    private static String typeKey(String group, String kind) {
        return group + "/" + kind;
    }

    private <T extends HasMetadata, L extends KubernetesResourceList<T>> void follow(ResourceDefinitionContext t,
            FilterWatchListDeletable<T, L, ?> source) {
        if (types.putIfAbsent(typeKey(t.getGroup(), t.getKind()), t) != null) {
            return;
        }
        ctx.observe(source, new ChangeHandler<>() {
            @Override
            public void changed(T object) {
                seen(new Item(t, object));
            }

            @Override
            public void deleted(T object) {
                gone(new Item(t, object));
            }
        }, RESYNC);
    }

    // ---- the graph -----------------------------------------------------------------------------------------

    private void seen(Item item) {
        Item old = graph.put(item.uid(), item);
        if (old != null) {
            unindex(old);
        }
        index(item);
        HasMetadata o = item.object();
        if (deleting(o)) {
            if (finalizers(o).contains(GcFinalizers.FOREGROUND)) {
                enqueue(item.uid());
                List.copyOf(dependents.getOrDefault(item.uid(), Set.of())).forEach(this::enqueue);
            } else if (finalizers(o).contains(GcFinalizers.ORPHAN)) {
                enqueue(item.uid());
            }
            return;
        }
        for (OwnerReference ref : owners(o)) {
            Item owner = graph.get(ref.getUid());
            if (owner == null || waitsForDependents(owner.object())) {
                enqueue(item.uid());
                return;
            }
        }
    }

    private void gone(Item item) {
        Item known = graph.get(item.uid());
        if (known != null) {
            graph.remove(item.uid());
            unindex(known);
        }
        for (OwnerReference ref : owners(item.object())) {
            Item owner = graph.get(ref.getUid());
            if (owner != null && deleting(owner.object())) {
                enqueue(owner.uid());
            }
        }
        List.copyOf(dependents.getOrDefault(item.uid(), Set.of())).forEach(this::enqueue);
    }

    private void index(Item item) {
        for (OwnerReference ref : owners(item.object())) {
            dependents.computeIfAbsent(ref.getUid(), u -> new LinkedHashSet<>()).add(item.uid());
        }
    }

    private void unindex(Item item) {
        for (OwnerReference ref : owners(item.object())) {
            Set<String> set = dependents.get(ref.getUid());
            if (set != null) {
                set.remove(item.uid());
                if (set.isEmpty()) {
                    dependents.remove(ref.getUid());
                }
            }
        }
    }

    private void enqueue(String uid) {
        if (queued.add(uid)) {
            ctx.run(() -> {
                queued.remove(uid);
                try {
                    attempt(uid);
                } catch (KubernetesClientException e) {
                    ctx.after(RETRY, () -> enqueue(uid));
                }
            });
        }
    }

    // ---- decisions -----------------------------------------------------------------------------------------

    /**
     * Decides on the object as the server has it now, not as the graph last saw it: a dependent whose reference
     * was just removed (orphaned) must not be collected on the strength of an older copy.
     */
    private void attempt(String uid) {
        Item known = graph.get(uid);
        if (known == null) {
            return;
        }
        GenericKubernetesResource o = read(known.type(), known.object().getMetadata().getNamespace(),
                known.object().getMetadata().getName());
        if (o == null || !uid.equals(o.getMetadata().getUid())) {
            return;
        }
        Item item = new Item(known.type(), o);
        if (deleting(o)) {
            List<String> finalizers = finalizers(o);
            if (finalizers.contains(GcFinalizers.FOREGROUND)) {
                deleteDependentsFirst(item);
            } else if (finalizers.contains(GcFinalizers.ORPHAN)) {
                orphanDependents(item);
            }
            return;
        }
        List<OwnerReference> refs = owners(o);
        if (refs.isEmpty() || clusterScopedWithNamespacedOwner(item, refs)) {
            return;
        }
        Map<OwnerState, Set<String>> byState = new LinkedHashMap<>();
        for (OwnerReference ref : refs) {
            byState.computeIfAbsent(ownerState(item, ref), s -> new LinkedHashSet<>()).add(ref.getUid());
        }
        Set<String> dangling = byState.getOrDefault(OwnerState.DANGLING, Set.of());
        Set<String> waiting = byState.getOrDefault(OwnerState.WAITING_FOR_DEPENDENTS, Set.of());
        if (byState.containsKey(OwnerState.SOLID)) {
            Set<String> drop = new HashSet<>(dangling);
            drop.addAll(waiting);
            if (!drop.isEmpty()) {
                removeOwnerReferences(item, drop);
            }
            return;
        }
        if (!waiting.isEmpty() && dependents.containsKey(uid)) {
            delete(item, "Foreground");
            return;
        }
        List<String> finalizers = finalizers(o);
        delete(item, finalizers.contains(GcFinalizers.ORPHAN) ? "Orphan"
                : finalizers.contains(GcFinalizers.FOREGROUND) ? "Foreground" : "Background");
    }

    /**
     * A cluster-scoped object cannot have a namespaced owner: the real collector leaves such an object alone and does
     * not retry ({@code isDangling} answers {@code namespacedOwnerOfClusterScopedObjectErr}, which
     * {@code attemptToDeleteWorker} forgets).
     */
    private boolean clusterScopedWithNamespacedOwner(Item item, List<OwnerReference> refs) {
        if (item.type().isNamespaceScoped()) {
            return false;
        }
        for (OwnerReference ref : refs) {
            ResourceDefinitionContext type = types.get(typeKey(groupOf(ref), ref.getKind()));
            if (type != null && type.isNamespaceScoped()) {
                return true;
            }
        }
        return false;
    }

    private static String groupOf(OwnerReference ref) {
        String apiVersion = ref.getApiVersion() == null ? "" : ref.getApiVersion();
        return apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    }

    /** Reads the owner from the server, as {@code isDangling} does: the graph may lag behind. */
    private OwnerState ownerState(Item dependent, OwnerReference ref) {
        ResourceDefinitionContext type = types.get(typeKey(groupOf(ref), ref.getKind()));
        if (type == null) {
            return OwnerState.SOLID;
        }
        GenericKubernetesResource owner = read(type,
                type.isNamespaceScoped() ? dependent.object().getMetadata().getNamespace() : null, ref.getName());
        if (owner == null || !Objects.equals(owner.getMetadata().getUid(), ref.getUid())) {
            return OwnerState.DANGLING;
        }
        return waitsForDependents(owner) ? OwnerState.WAITING_FOR_DEPENDENTS : OwnerState.SOLID;
    }

    private void deleteDependentsFirst(Item owner) {
        List<Item> blocking = new ArrayList<>();
        for (String d : dependents.getOrDefault(owner.uid(), Set.of())) {
            Item dependent = graph.get(d);
            if (dependent != null && owners(dependent.object()).stream().anyMatch(r -> owner.uid().equals(r.getUid())
                    && Boolean.TRUE.equals(r.getBlockOwnerDeletion()))) {
                blocking.add(dependent);
            }
        }
        if (blocking.isEmpty()) {
            removeFinalizer(owner, GcFinalizers.FOREGROUND);
            return;
        }
        for (Item dependent : blocking) {
            if (!waitsForDependents(dependent.object())) {
                enqueue(dependent.uid());
            }
        }
    }

    private void orphanDependents(Item owner) {
        for (String d : List.copyOf(dependents.getOrDefault(owner.uid(), Set.of()))) {
            Item dependent = graph.get(d);
            if (dependent != null) {
                removeOwnerReferences(dependent, Set.of(owner.uid()));
            }
        }
        removeFinalizer(owner, GcFinalizers.ORPHAN);
    }

    // ---- writes --------------------------------------------------------------------------------------------

    private void removeOwnerReferences(Item item, Set<String> ownerUids) {
        write(item, o -> {
            List<OwnerReference> kept = new ArrayList<>(owners(o));
            if (!kept.removeIf(r -> ownerUids.contains(r.getUid()))) {
                return false;
            }
            o.getMetadata().setOwnerReferences(kept);
            return true;
        });
    }

    private void removeFinalizer(Item item, String finalizer) {
        write(item, o -> {
            List<String> kept = new ArrayList<>(finalizers(o));
            if (!kept.remove(finalizer)) {
                return false;
            }
            o.getMetadata().setFinalizers(kept);
            return true;
        });
    }

    private GenericKubernetesResource read(ResourceDefinitionContext type, String namespace, String name) {
        var all = ctx.client().genericKubernetesResources(type);
        return namespace == null ? all.withName(name).get() : all.inNamespace(namespace).withName(name).get();
    }

    /** Read, change, write with the read resourceVersion; again on conflict. Nothing when the object was replaced. */
    private void write(Item item, Predicate<GenericKubernetesResource> change) {
        String namespace = item.object().getMetadata().getNamespace();
        String name = item.object().getMetadata().getName();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            GenericKubernetesResource live = read(item.type(), namespace, name);
            if (live == null || !item.uid().equals(live.getMetadata().getUid()) || !change.test(live)) {
                return;
            }
            try {
                ctx.client().genericKubernetesResources(item.type()).resource(live).update();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404) {
                    return;
                }
                if (e.getCode() != 409) {
                    throw e;
                }
            }
        }
    }

    /** {@code deleteObject}: the uid is the precondition, so an object recreated under the name stays. */
    private void delete(Item item, String policy) {
        ResourceDefinitionContext t = item.type();
        String namespace = item.object().getMetadata().getNamespace();
        String path = (t.getGroup().isEmpty() ? "/api/" + t.getVersion() : "/apis/" + t.getGroup() + "/" + t.getVersion())
                + (namespace == null ? "" : "/namespaces/" + namespace) + "/" + t.getPlural() + "/"
                + item.object().getMetadata().getName();
        Map<String, Object> options = Map.of("apiVersion", "v1", "kind", "DeleteOptions", "propagationPolicy", policy,
                "preconditions", Map.of("uid", item.uid()));
        try {
            ctx.client().raw(path, "DELETE", options);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404 && e.getCode() != 409) {
                throw e;
            }
        }
    }

    // ---- object helpers ------------------------------------------------------------------------------------

    private static List<OwnerReference> owners(HasMetadata o) {
        List<OwnerReference> refs = o.getMetadata().getOwnerReferences();
        return refs == null ? List.of() : refs;
    }

    private static List<String> finalizers(HasMetadata o) {
        List<String> f = o.getMetadata().getFinalizers();
        return f == null ? List.of() : f;
    }

    private static boolean deleting(HasMetadata o) {
        return o.getMetadata().getDeletionTimestamp() != null;
    }

    private static boolean waitsForDependents(HasMetadata o) {
        return deleting(o) && finalizers(o).contains(GcFinalizers.FOREGROUND);
    }
}
