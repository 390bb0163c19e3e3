package io.jenkins.plugins.kubeplatform.engine.edgevm;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import io.jenkins.plugins.kubeplatform.engine.core.ChangePlan;
import io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.kube.Conflicts;
import io.jenkins.plugins.kubeplatform.engine.store.StateStore.Update;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The create part of the VM life cycle (EVM-1..7): decide ({@link CreateDecider}), check permissions, record the
 * decision in the inventory before touching a cluster (write-ahead), make the objects exist and wait for the join.
 * {@link #plan} runs the same decision and the same write list without changing anything.
 */
final class VmCreation {

    static final String INVENTORY = "vm-inventory";

    private final EdgeSettings settings;
    private final EdgeInventory inventory;
    private final EdgeCalls calls;
    private final JoinTokens tokens;
    private final Clock clock;

    VmCreation(EdgeSettings settings, EdgeInventory inventory, EdgeCalls calls, JoinTokens tokens, Clock clock) {
        this.settings = settings;
        this.inventory = inventory;
        this.calls = calls;
        this.tokens = tokens;
        this.clock = clock;
    }

    EdgeVmResult create(EdgeVmRequest request, boolean wait, Progress progress) {
        Map<String, Integer> observedNodes = calls.edgeClusterNodes(settings, inventory.read());
        // the permission pre-check needs the site and edge cluster the decision picks: decide once on the current
        // inventory (nothing stored), check, then decide for real under the store's lock
        CreateDecision preview = CreateDecider.decide(settings, inventory.read(), request, observedNodes,
                clock.instant()).result();
        CreatePermissions.require(calls, CreatePermissions.of(preview, wait, settings, inventory::edgeCluster));
        calls.requireKubeVirt(preview.record().site(), Objects.toString(preview.record().siteCluster(), ""));
        CreateDecision decision = inventory.update(inv -> CreateDecider.decide(settings, inv, request, observedNodes,
                clock.instant()));
        List<ObjectWrite> writes = writes(decision, inventory.read());
        List<String> plan = announce(decision, progress);
        for (ObjectWrite w : writes) {
            w.apply(false, progress);
        }
        VmRecord record = wait ? waitForJoin(decision.record(), progress) : decision.record();
        return EdgeVmResult.of(outcome(decision), record, decision instanceof CreateDecision.Fresh f
                && f.newCluster(), plan);
    }

    private static String outcome(CreateDecision decision) {
        if (decision instanceof CreateDecision.Existing) {
            return "unchanged";
        }
        return decision instanceof CreateDecision.Reuse ? "reused" : "created";
    }

    /** Reports the decision and returns the result's plan lines. */
    private List<String> announce(CreateDecision decision, Progress progress) {
        VmRecord record = decision.record();
        List<String> plan = new ArrayList<>();
        if (decision instanceof CreateDecision.Existing) {
            progress.plan("edge VM " + record.vm() + " of tenant " + record.tenant() + " already exists on site "
                    + record.site() + " in edge cluster " + record.edgeCluster() + "; converging");
            plan.add("existing VM " + record.vm());
        } else if (decision instanceof CreateDecision.Reuse reuse) {
            plan.add("reusing idle VM " + record.vm() + " (" + reuse.before().cpu() + " vCPU, "
                    + Quantities.mi(reuse.before().memoryMi()) + ", " + reuse.before().diskGi() + "Gi, was '"
                    + reuse.before().name() + "') on site " + record.site() + " in edge cluster " + record.edgeCluster());
            progress.plan(plan.get(0));
        } else {
            CreateDecision.Fresh fresh = (CreateDecision.Fresh) decision;
            plan.addAll(fresh.explanation());
            progress.plan("edge VM " + record.vm() + " for tenant " + record.tenant() + ": " + record.cpu() + " vCPU, "
                    + Quantities.mi(record.memoryMi()) + ", " + record.diskGi() + "Gi disk, image " + record.image()
                    + " on site " + record.site() + ", joining edge cluster " + record.edgeCluster());
            fresh.explanation().forEach(progress::step);
            if (fresh.newCluster() && inventory.edgeCluster(record.edgeCluster()).method() != JoinMethod.OPENYURT) {
                progress.step("edge cluster " + record.edgeCluster() + " is the node group labelled "
                        + KubeVirt.LABEL_EDGE_CLUSTER + "=" + record.edgeCluster());
            }
        }
        return plan;
    }

    /** What {@link #create} would do, decided by the same code, changing nothing (see EdgeVmEngine#planCreate). */
    ChangePlan plan(EdgeVmRequest request, boolean wait, boolean sendDryRun, Progress progress) {
        Map<String, Integer> observedNodes = calls.edgeClusterNodes(settings, inventory.read());
        Update<Inventory, CreateDecision> decided = CreateDecider.decide(settings, inventory.read(), request,
                observedNodes, clock.instant());
        ChangePlan.Builder plan = new ChangePlan.Builder();
        CreateDecision decision = decided.result();
        VmRecord record = decision.record();
        if (decision instanceof CreateDecision.Fresh fresh) {
            fresh.explanation().forEach(plan::note);
            if (fresh.newCluster()) {
                plan.state(INVENTORY, "add-cluster", record.edgeCluster(), "new edge cluster on site "
                        + record.site() + (request.exclusive() ? " (exclusive to the tenant)" : ""));
            }
            plan.state(INVENTORY, "add", record.vm(), "tenant " + record.tenant() + ", name " + record.name()
                    + ", site " + record.site() + ", edge cluster " + record.edgeCluster() + ", state "
                    + record.state());
        } else if (decision instanceof CreateDecision.Reuse reuse) {
            plan.state(INVENTORY, "update", record.vm(), "reuse idle VM (was '" + reuse.before().name()
                    + "') as '" + record.name() + "', state " + record.state());
        } else {
            plan.note("edge VM " + record.vm() + " already exists; converging its objects");
        }
        for (ObjectWrite w : writes(decision, decided.state())) {
            plan.object(w.change());
            if (sendDryRun) {
                w.apply(true, progress);
            }
        }
        if (wait) {
            plan.note("wait until node " + record.vm() + " joins edge cluster " + record.edgeCluster()
                    + " Ready (up to " + SyncDecider.human(settings.waitTimeoutDuration()) + "), then record its "
                    + "node and address in the inventory");
        }
        return plan.build();
    }

    /** The writes that make a decided VM exist as desired, in order; none send anything when all already do. */
    List<ObjectWrite> writes(CreateDecision decision, Inventory state) {
        VmRecord record = decision.record();
        EdgeSettings.EdgeCluster cluster = EdgeInventory.edgeCluster(settings, record.edgeCluster(), state);
        List<ObjectWrite> writes = new ArrayList<>();
        if (decision instanceof CreateDecision.Fresh fresh && fresh.newCluster()) {
            nodePoolWrite(cluster).ifPresent(writes::add);
        }
        writes.add(secretWrite(record, cluster));
        writes.add(virtualMachineWrite(record));
        if (decision instanceof CreateDecision.Reuse) {
            uncordonWrite(record, cluster).ifPresent(writes::add);
        }
        return writes;
    }

    private ObjectWrite secretWrite(VmRecord record, EdgeSettings.EdgeCluster cluster) {
        KubernetesClient site = calls.client(record.siteCluster());
        Secret desired = DesiredObjects.joinSecret(record, cluster, tokens.token(cluster));
        String name = desired.getMetadata().getName();
        String ns = record.namespace();
        Secret live = calls.retry().call("read Secret " + name, () -> site.secrets().inNamespace(ns).withName(name)
                .get());
        if (live == null) {
            return new ObjectWrite(ObjectWrite.change("create", record.siteCluster(), ObjectWrite.redacted(desired),
                    "join token for " + cluster.name()), "created join Secret " + ns + "/" + name,
                    dryRun -> calls.createIgnoringExisting(() -> (dryRun ? site.secrets().inNamespace(ns)
                            .resource(desired).dryRun() : site.secrets().inNamespace(ns).resource(desired)).create()));
        }
        if (!Objects.equals(live.getData(), desired.getData())) {
            return new ObjectWrite(ObjectWrite.change("update", record.siteCluster(), ObjectWrite.redacted(desired),
                    "join token changed"), "updated join Secret " + ns + "/" + name,
                    dryRun -> Conflicts.retry("update Secret " + name, 5, () -> {
                        Secret current = site.secrets().inNamespace(ns).withName(name).get();
                        current.setData(desired.getData());
                        var op = site.secrets().inNamespace(ns).resource(current);
                        return dryRun ? op.dryRun().update() : op.update();
                    }));
        }
        return ObjectWrite.shown(ObjectWrite.change("unchanged", record.siteCluster(), ObjectWrite.redacted(desired),
                ""));
    }

    private ObjectWrite virtualMachineWrite(VmRecord record) {
        KubernetesClient site = calls.client(record.siteCluster());
        GenericKubernetesResource desired = DesiredObjects.virtualMachine(record);
        if (calls.virtualMachine(record) != null) {
            return ObjectWrite.shown(ObjectWrite.change("unchanged", record.siteCluster(), desired, ""));
        }
        return new ObjectWrite(ObjectWrite.change("create", record.siteCluster(), desired, record.cpu() + " vCPU, "
                + Quantities.mi(record.memoryMi()) + ", " + record.diskGi() + "Gi disk, image " + record.image()),
                "created VirtualMachine " + record.namespace() + "/" + record.vm() + " (runStrategy Always)",
                dryRun -> calls.createIgnoringExisting(() -> {
                    var op = site.genericKubernetesResources(KubeVirt.VIRTUAL_MACHINE).inNamespace(record.namespace())
                            .resource(desired);
                    (dryRun ? op.dryRun() : op).create();
                }));
    }

    /** A reused VM's node was cordoned when it went idle: uncordon it for its new use. */
    private Optional<ObjectWrite> uncordonWrite(VmRecord record, EdgeSettings.EdgeCluster cluster) {
        Node node = calls.node(cluster, record.vm());
        if (node == null || !EdgeCalls.unschedulable(node)) {
            return Optional.empty();
        }
        KubernetesClient edge = calls.client(cluster.cluster());
        return Optional.of(new ObjectWrite(new ChangePlan.ObjectChange("update", "Node", cluster.cluster(), null,
                record.vm(), "uncordon for its new use", Optional.empty()),
                "uncordoned node " + record.vm() + " for its new use",
                dryRun -> calls.patchUnschedulable(edge, record.vm(), false, dryRun)));
    }

    private Optional<ObjectWrite> nodePoolWrite(EdgeSettings.EdgeCluster cluster) {
        if (cluster.method() != JoinMethod.OPENYURT) {
            return Optional.empty();
        }
        KubernetesClient client = calls.client(cluster.cluster());
        GenericKubernetesResource pool = new GenericKubernetesResource();
        pool.setApiVersion("apps.openyurt.io/v1beta1");
        pool.setKind("NodePool");
        pool.setMetadata(new ObjectMetaBuilder().withName(cluster.name())
                .withLabels(Map.of(KubeVirt.LABEL_MANAGED_BY, KubeVirt.MANAGED_BY)).build());
        pool.setAdditionalProperty("spec", Map.of("type", "Edge"));
        return Optional.of(new ObjectWrite(ObjectWrite.change("create", cluster.cluster(), pool,
                "OpenYurt node pool of the new edge cluster"), "created OpenYurt NodePool " + cluster.name(),
                dryRun -> calls.createIgnoringExisting(() -> {
                    var op = client.genericKubernetesResources(KubeVirt.NODE_POOL).resource(pool);
                    (dryRun ? op.dryRun() : op).create();
                })));
    }

    /** Watches the edge cluster until the VM's node is Ready; records node and address. */
    private VmRecord waitForJoin(VmRecord record, Progress progress) {
        EdgeSettings.EdgeCluster cluster = inventory.edgeCluster(record.edgeCluster());
        KubernetesClient edge = calls.client(cluster.cluster());
        Duration timeout = settings.waitTimeoutDuration();
        progress.waiting("waiting up to " + SyncDecider.human(timeout) + " for node " + record.vm() + " to join edge "
                + "cluster " + record.edgeCluster() + " Ready");
        try {
            Await.until("node " + record.vm() + " to be Ready", null, record.vm(),
                    edge.nodes().withField("metadata.name", record.vm()), EdgeCalls::isReady, timeout, calls.retry(),
                    progress);
        } catch (KubernetesClientTimeoutException e) {
            GenericKubernetesResource vm = calls.virtualMachine(record);
            String status = vm == null ? "missing" : KubeVirt.printableStatus(vm).orElse("without status");
            throw new OperationFailedException("Edge VM " + record.vm() + " did not join edge cluster "
                    + record.edgeCluster() + " within " + SyncDecider.human(timeout) + ": the VirtualMachine is "
                    + status + " and node " + record.vm() + " is not Ready. The state sync (edge-vm sync) restarts or "
                    + "recreates it after its timeouts; inspect it with kubectl -n " + record.namespace()
                    + " describe vm " + record.vm() + ".", e);
        }
        String address = calls.vmiAddress(record).orElse(null);
        VmRecord joined = inventory.markJoined(record, address);
        progress.step("node " + record.vm() + " joined edge cluster " + record.edgeCluster() + " Ready"
                + (address == null ? "" : " (address " + address + ")"));
        return joined;
    }
}
