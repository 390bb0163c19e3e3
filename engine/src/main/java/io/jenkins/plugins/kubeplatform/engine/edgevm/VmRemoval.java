package io.jenkins.plugins.kubeplatform.engine.edgevm;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.engine.core.ChangePlan;
import io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.kube.NodeDrainer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The end of the VM life cycle: release (drain, keep the VM idle for the tenant, EVM-10) and delete (drain, remove
 * the node, delete VirtualMachine and join Secret, keep the record with its end). {@link #plan} lists the same
 * cordon and deletions without changing anything.
 */
final class VmRemoval {

    private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(5);

    private final EdgeInventory inventory;
    private final EdgeCalls calls;
    private final Clock clock;

    VmRemoval(EdgeInventory inventory, EdgeCalls calls, Clock clock) {
        this.inventory = inventory;
        this.calls = calls;
        this.clock = clock;
    }

    EdgeVmResult release(String tenant, String name, Progress progress) {
        VmRecord record = inventory.find(tenant, name);
        if (record.state() == VmState.IDLE) {
            progress.plan("edge VM " + record.vm() + " is already idle");
            return EdgeVmResult.of("unchanged", record, false, List.of("already idle"));
        }
        progress.plan("release edge VM " + record.vm() + " of tenant " + record.tenant() + ": drain node "
                + record.vm() + " in edge cluster " + record.edgeCluster() + " and keep the VM idle for the tenant");
        drain(record, progress);
        VmRecord idle = inventory.markIdle(record);
        progress.step("edge VM " + record.vm() + " is idle (kept for tenant " + record.tenant() + ")");
        return EdgeVmResult.of("released", idle, false, List.of("drained and kept idle"));
    }

    EdgeVmResult delete(String tenant, String name, Progress progress) {
        Optional<VmRecord> live = inventory.findLive(tenant, name);
        if (live.isEmpty()) {
            Optional<VmRecord> gone = inventory.lastRecorded(tenant, name);
            if (gone.isPresent()) {
                progress.plan("edge VM " + name + " was already deleted at " + gone.get().end());
                return EdgeVmResult.of("already-deleted", gone.get(), false, List.of("already deleted"));
            }
            throw EdgeInventory.notFound(tenant, name);
        }
        VmRecord record = live.get();
        progress.plan("delete edge VM " + record.vm() + " of tenant " + record.tenant() + ": drain and remove node "
                + record.vm() + " from edge cluster " + record.edgeCluster() + ", delete VirtualMachine and Secret in "
                + record.site() + "/" + record.namespace());
        drain(record, progress);
        for (ObjectWrite w : deletions(record)) {
            w.apply(false, progress);
        }
        VmRecord ended = inventory.markEnded(record, clock.instant());
        return EdgeVmResult.of("deleted", ended, false, List.of("drained, node removed, VM and Secret deleted"));
    }

    /** What {@link #delete} ({@code delete} true) or {@link #release} would do (see EdgeVmEngine#planRemoval). */
    ChangePlan plan(String tenant, String name, boolean delete, boolean sendDryRun, Progress progress) {
        ChangePlan.Builder plan = new ChangePlan.Builder();
        Optional<VmRecord> live = inventory.findLive(tenant, name);
        if (live.isEmpty()) {
            Optional<VmRecord> gone = inventory.lastRecorded(tenant, name);
            if (gone.isPresent() && delete) {
                return plan.note("edge VM " + name + " was already deleted at " + gone.get().end()).build();
            }
            throw EdgeInventory.notFound(tenant, name);
        }
        VmRecord record = live.get();
        if (!delete && record.state() == VmState.IDLE) {
            return plan.note("edge VM " + record.vm() + " is already idle").build();
        }
        List<ObjectWrite> writes = drainWrites(record, sendDryRun, plan);
        if (delete) {
            writes.addAll(deletions(record));
        }
        for (ObjectWrite w : writes) {
            plan.object(w.change());
            if (sendDryRun && !"evict".equals(w.change().action())) {
                w.apply(true, progress);
            }
        }
        plan.state(VmCreation.INVENTORY, delete ? "end" : "update", record.vm(), delete
                ? "record kept with its end time" : "state IDLE, kept for tenant " + record.tenant());
        return plan.build();
    }

    /** The cordon and the evictions of a drain pass as the drainer selects them now. */
    private List<ObjectWrite> drainWrites(VmRecord record, boolean sendDryRun, ChangePlan.Builder plan) {
        EdgeSettings.EdgeCluster cluster = inventory.edgeCluster(record.edgeCluster());
        KubernetesClient edge = calls.client(cluster.cluster());
        Node node = calls.node(cluster, record.vm());
        List<ObjectWrite> writes = new ArrayList<>();
        if (node == null) {
            plan.note("node " + record.vm() + " is not registered; nothing to drain");
            return writes;
        }
        if (!EdgeCalls.unschedulable(node)) {
            writes.add(new ObjectWrite(new ChangePlan.ObjectChange("update", "Node", cluster.cluster(), null,
                    record.vm(), "cordon", Optional.empty()), "cordoned node " + record.vm(),
                    dryRun -> calls.patchUnschedulable(edge, record.vm(), true, dryRun)));
        }
        for (String pod : drainer(edge).toEvict(record.vm(), NodeDrainer.Options.defaults(DRAIN_TIMEOUT))) {
            String[] nsName = pod.split("/", 2);
            writes.add(ObjectWrite.shown(new ChangePlan.ObjectChange("evict", "Pod", cluster.cluster(), nsName[0],
                    nsName[1], "drain, honouring disruption budgets" + (sendDryRun ? " (not sent in a server dry "
                    + "run)" : ""), Optional.empty())));
        }
        return writes;
    }

    /** The deletions of {@link #delete}: node, VirtualMachine and join Secret; a missing object is success. */
    private List<ObjectWrite> deletions(VmRecord record) {
        String edgeCluster = inventory.edgeCluster(record.edgeCluster()).cluster();
        KubernetesClient edge = calls.client(edgeCluster);
        KubernetesClient site = calls.client(record.siteCluster());
        String siteCluster = Objects.toString(record.siteCluster(), "");
        String secret = DesiredObjects.secretName(record.vm());
        return List.of(
                new ObjectWrite(new ChangePlan.ObjectChange("delete", "Node", edgeCluster == null ? "" : edgeCluster,
                        null, record.vm(), "remove from edge cluster " + record.edgeCluster(), Optional.empty()),
                        "removed node " + record.vm(), dryRun -> calls.deleteIgnoringMissing(() -> (dryRun
                        ? edge.nodes().withName(record.vm()).dryRun() : edge.nodes().withName(record.vm())).delete())),
                new ObjectWrite(new ChangePlan.ObjectChange("delete", "VirtualMachine", siteCluster,
                        record.namespace(), record.vm(), "", Optional.empty()),
                        "deleted VirtualMachine " + record.namespace() + "/" + record.vm(),
                        dryRun -> calls.deleteIgnoringMissing(() -> {
                            var op = site.genericKubernetesResources(KubeVirt.VIRTUAL_MACHINE)
                                    .inNamespace(record.namespace()).withName(record.vm());
                            (dryRun ? op.dryRun() : op).delete();
                        })),
                new ObjectWrite(new ChangePlan.ObjectChange("delete", "Secret", siteCluster, record.namespace(),
                        secret, "join token", Optional.empty()),
                        "deleted Secret " + record.namespace() + "/" + secret,
                        dryRun -> calls.deleteIgnoringMissing(() -> {
                            var op = site.secrets().inNamespace(record.namespace()).withName(secret);
                            (dryRun ? op.dryRun() : op).delete();
                        })));
    }

    /** Cordons the VM's node and evicts its pods, honouring disruption budgets; fails when they hold it. */
    private void drain(VmRecord record, Progress progress) {
        EdgeSettings.EdgeCluster cluster = inventory.edgeCluster(record.edgeCluster());
        KubernetesClient edge = calls.client(cluster.cluster());
        Node node = calls.node(cluster, record.vm());
        if (node == null) {
            progress.step("node " + record.vm() + " is not registered; nothing to drain");
            return;
        }
        if (!EdgeCalls.unschedulable(node)) {
            calls.patchUnschedulable(edge, record.vm(), true, false);
            progress.step("cordoned node " + record.vm());
        }
        try {
            NodeDrainer.Result result = drainer(edge).drain(record.vm(), NodeDrainer.Options.defaults(DRAIN_TIMEOUT),
                    progress);
            if (!result.drained()) {
                throw new OperationFailedException("Node " + record.vm() + " could not be drained within "
                        + SyncDecider.human(DRAIN_TIMEOUT) + ": " + result.blocked().size() + " pod(s) are held by "
                        + "disruption budgets (" + result.blocked().get(0).pod() + " ...). The node stays cordoned; "
                        + "the VM was not changed. Retry when the budgets allow.");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationFailedException("Draining node " + record.vm() + " was interrupted; the node stays "
                    + "cordoned", e);
        }
    }

    private NodeDrainer drainer(KubernetesClient edge) {
        return new NodeDrainer(edge, calls.retry(), clock, d -> Thread.sleep(d.toMillis()));
    }
}
