package io.jenkins.plugins.kubeplatform.engine.repair;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.kube.ApiRetry;
import io.jenkins.plugins.kubeplatform.engine.kube.Conflicts;
import io.jenkins.plugins.kubeplatform.engine.kube.NodeDrainer;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The only code of the repair that changes the cluster. Node and Lease writes are resourceVersion-checked: a write
 * that lost a race returns {@code false} and the driver observes and decides again.
 */
public final class MaintenanceApplier {

    static final String MANAGED_BY = "kubernetes-platform-steps";
    static final String TAINT_VALUE = "repair";

    private final KubernetesClient client;
    private final ApiRetry retry;
    private final RepairSettings settings;
    private final Clock clock;
    private final NodeDrainer drainer;
    private final boolean dryRun;

    public MaintenanceApplier(KubernetesClient client, ApiRetry retry, RepairSettings settings, Clock clock,
                              NodeDrainer drainer) {
        this(client, retry, settings, clock, drainer, false);
    }

    /** With {@code dryRun} every write is sent with {@code dryRun=All}: the server checks it and stores nothing. */
    MaintenanceApplier(KubernetesClient client, ApiRetry retry, RepairSettings settings, Clock clock,
                       NodeDrainer drainer, boolean dryRun) {
        this.dryRun = dryRun;
        this.client = client;
        this.retry = retry;
        this.settings = settings;
        this.clock = clock;
        this.drainer = drainer;
    }

    // ---- leases

    /** Creates or takes over the slot; false when someone else got it first. */
    public boolean acquireLease(String pool, PoolLeases.FreeSlot slot, String owner, String node) {
        ZonedDateTime now = ZonedDateTime.now(clock).withZoneSameInstant(ZoneOffset.UTC);
        int ttl = (int) Math.max(1, settings.leaseTtl().toSeconds());
        try {
            if (slot.resourceVersion().isEmpty()) {
                Lease lease = new LeaseBuilder().withNewMetadata().withName(slot.name())
                        .withNamespace(settings.leaseNamespace())
                        .addToLabels("app.kubernetes.io/managed-by", MANAGED_BY)
                        .addToLabels(ClusterObserver.LEASE_POOL_LABEL, pool)
                        .addToAnnotations(ClusterObserver.LEASE_NODE_ANNOTATION, node)
                        .endMetadata()
                        .withNewSpec().withHolderIdentity(owner).withLeaseDurationSeconds(ttl)
                        .withAcquireTime(now).withRenewTime(now).withLeaseTransitions(0).endSpec().build();
                try {
                    retry.create("create lease " + slot.name(),
                            () -> dry(client.leases().inNamespace(settings.leaseNamespace()).resource(lease)).create(),
                            () -> client.leases().inNamespace(settings.leaseNamespace()).withName(slot.name()).get(),
                            l -> l.getSpec() != null && owner.equals(l.getSpec().getHolderIdentity()));
                } catch (KubernetesClientException e) {
                    if (Conflicts.isAlreadyExists(e)) {
                        return false; // another repair took the slot first
                    }
                    throw e;
                }
                return true;
            }
            Lease current = retry.call("read lease " + slot.name(),
                    () -> client.leases().inNamespace(settings.leaseNamespace()).withName(slot.name()).get());
            if (current == null || !Objects.equals(current.getMetadata().getResourceVersion(), slot.resourceVersion().get())) {
                return false;
            }
            current.getMetadata().setAnnotations(withEntry(current.getMetadata().getAnnotations(),
                    ClusterObserver.LEASE_NODE_ANNOTATION, node));
            var spec = current.getSpec();
            spec.setHolderIdentity(owner);
            spec.setLeaseDurationSeconds(ttl);
            spec.setAcquireTime(now);
            spec.setRenewTime(now);
            spec.setLeaseTransitions(spec.getLeaseTransitions() == null ? 1 : spec.getLeaseTransitions() + 1);
            retry.call("take over lease " + slot.name(),
                    () -> dry(client.leases().inNamespace(settings.leaseNamespace()).resource(current)).update());
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return false;
            }
            throw e;
        }
    }

    /** Pushes the renew time; false when the lease is no longer ours or changed underneath. */
    public boolean renewLease(String slot, String owner, String node) {
        return updateOwnLease(slot, owner, node, "renew", l -> l.getSpec()
                .setRenewTime(ZonedDateTime.now(clock).withZoneSameInstant(ZoneOffset.UTC)));
    }

    /** Frees our slot (only if it is still ours). */
    public void releaseLease(String pool, String owner, String node) {
        var leases = retry.call("list repair leases", () -> client.leases().inNamespace(settings.leaseNamespace())
                .withLabel(ClusterObserver.LEASE_POOL_LABEL, pool).list().getItems());
        for (Lease lease : leases) {
            if (ClusterObserver.slot(lease).heldBy(owner, node)) {
                updateOwnLease(lease.getMetadata().getName(), owner, node, "release", l -> {
                    l.getSpec().setHolderIdentity(null);
                    l.getMetadata().getAnnotations().remove(ClusterObserver.LEASE_NODE_ANNOTATION);
                });
            }
        }
    }

    private boolean updateOwnLease(String slot, String owner, String node, String what,
                                   java.util.function.Consumer<Lease> change) {
        Lease current = retry.call("read lease " + slot,
                () -> client.leases().inNamespace(settings.leaseNamespace()).withName(slot).get());
        if (current == null || !ClusterObserver.slot(current).heldBy(owner, node)) {
            return false;
        }
        change.accept(current);
        try {
            retry.call(what + " lease " + slot,
                    () -> dry(client.leases().inNamespace(settings.leaseNamespace()).resource(current)).update());
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409 || Conflicts.isNotFound(e)) {
                return false;
            }
            throw e;
        }
    }

    // ---- node

    /**
     * Writes the record and keeps the node cordoned and tainted, in one update checked against the resourceVersion
     * the decision was made on. False when the node changed since (observe again).
     */
    public boolean writeRecord(String node, String expectedResourceVersion, MaintenanceRecord record) {
        return updateNode(node, expectedResourceVersion, n -> {
            n.getMetadata().setAnnotations(withEntry(n.getMetadata().getAnnotations(), MaintenanceRecord.ANNOTATION,
                    record.toJson()));
            n.getSpec().setUnschedulable(true);
            List<Taint> taints = new ArrayList<>(n.getSpec().getTaints() == null ? List.of() : n.getSpec().getTaints());
            if (taints.stream().noneMatch(t -> RepairSettings.TAINT_KEY.equals(t.getKey()))) {
                taints.add(new TaintBuilder().withKey(RepairSettings.TAINT_KEY).withValue(TAINT_VALUE)
                        .withEffect("NoSchedule").build());
            }
            n.getSpec().setTaints(taints);
        });
    }

    /** Removes taint and annotation; uncordons only when the record says the node was schedulable before. */
    public boolean release(String node, String expectedResourceVersion, MaintenanceRecord record) {
        return updateNode(node, expectedResourceVersion, n -> {
            if (n.getMetadata().getAnnotations() != null) {
                n.getMetadata().getAnnotations().remove(MaintenanceRecord.ANNOTATION);
            }
            if (n.getSpec().getTaints() != null) {
                n.getSpec().setTaints(n.getSpec().getTaints().stream()
                        .filter(t -> !RepairSettings.TAINT_KEY.equals(t.getKey())).toList());
            }
            if (!record.wasUnschedulable()) {
                n.getSpec().setUnschedulable(null);
            }
        });
    }

    private boolean updateNode(String name, String expectedResourceVersion, java.util.function.Consumer<Node> change) {
        Node node = retry.call("read node " + name, () -> client.nodes().withName(name).get());
        if (node == null || !Objects.equals(node.getMetadata().getResourceVersion(), expectedResourceVersion)) {
            return false;
        }
        if (node.getSpec() == null) {
            node.setSpec(new io.fabric8.kubernetes.api.model.NodeSpec());
        }
        change.accept(node);
        try {
            retry.call("update node " + name, () -> dry(client.nodes().resource(node)).update());
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return false;
            }
            throw e;
        }
    }

    // ---- pods

    /** Removes the traffic label from each pod, keeping its value in an annotation so release can restore it. */
    public List<String> deregister(List<String> refs) {
        List<String> done = new ArrayList<>();
        for (String ref : refs) {
            String[] nsName = ref.split("/", 2);
            boolean changed = Conflicts.retry("deregister " + ref, 5, () -> editPod(nsName[0], nsName[1], pod -> {
                Map<String, String> labels = pod.getMetadata().getLabels();
                if (labels == null || !labels.containsKey(settings.trafficLabel())) {
                    return false;
                }
                String value = labels.remove(settings.trafficLabel());
                pod.getMetadata().setAnnotations(withEntry(pod.getMetadata().getAnnotations(),
                        PodView.DEREGISTERED_ANNOTATION, value));
                return true;
            }));
            if (changed) {
                done.add(ref);
            }
        }
        return done;
    }

    /** Puts the traffic label back on pods of the node we deregistered that are still there. */
    public List<String> restoreTraffic(String node) {
        List<String> restored = new ArrayList<>();
        for (Pod pod : io.jenkins.plugins.kubeplatform.engine.kube.PodsOnNode.list(client, retry, node)) {
            var annotations = pod.getMetadata().getAnnotations();
            if (annotations == null || !annotations.containsKey(PodView.DEREGISTERED_ANNOTATION)) {
                continue;
            }
            String ns = pod.getMetadata().getNamespace();
            String name = pod.getMetadata().getName();
            boolean changed = Conflicts.retry("restore traffic label on " + ns + "/" + name, 5, () -> editPod(ns, name, p -> {
                var a = p.getMetadata().getAnnotations();
                if (a == null || !a.containsKey(PodView.DEREGISTERED_ANNOTATION)) {
                    return false;
                }
                String value = a.remove(PodView.DEREGISTERED_ANNOTATION);
                p.getMetadata().setLabels(withEntry(p.getMetadata().getLabels(), settings.trafficLabel(), value));
                return true;
            }));
            if (changed) {
                restored.add(ns + "/" + name);
            }
        }
        return restored;
    }

    private boolean editPod(String ns, String name, java.util.function.Predicate<Pod> change) {
        Pod pod = retry.call("read pod " + ns + "/" + name, () -> client.pods().inNamespace(ns).withName(name).get());
        if (pod == null || !change.test(pod)) {
            return false;
        }
        try {
            retry.call("update pod " + ns + "/" + name, () -> dry(client.pods().inNamespace(ns).resource(pod)).update());
            return true;
        } catch (KubernetesClientException e) {
            if (Conflicts.isNotFound(e)) {
                return false;
            }
            throw e;
        }
    }

    /** One eviction pass; budgets that refuse are reported in the result, not waited for. */
    public NodeDrainer.Result evictPass(String node, List<String> alreadySkipped, Progress progress) {
        return drainer.evictPass(node, NodeDrainer.Options.defaults(settings.drainTimeout()), alreadySkipped, progress);
    }

    private <T, R extends io.fabric8.kubernetes.client.dsl.Resource<T>> io.fabric8.kubernetes.client.dsl.Resource<T> dry(
            R resource) {
        return dryRun ? (io.fabric8.kubernetes.client.dsl.Resource<T>) resource.dryRun() : resource;
    }

    private static Map<String, String> withEntry(Map<String, String> map, String key, String value) {
        Map<String, String> copy = new HashMap<>(map == null ? Map.of() : map);
        copy.put(key, value == null ? "" : value);
        return copy;
    }
}
