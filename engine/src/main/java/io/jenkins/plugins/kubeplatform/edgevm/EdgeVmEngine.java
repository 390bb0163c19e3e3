package io.jenkins.plugins.kubeplatform.edgevm;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.jenkins.plugins.kubeplatform.core.ChangePlan;
import io.jenkins.plugins.kubeplatform.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.core.OperationFailedException;
import io.jenkins.plugins.kubeplatform.core.Progress;
import io.jenkins.plugins.kubeplatform.core.Require;
import io.jenkins.plugins.kubeplatform.kube.AccessCheck;
import io.jenkins.plugins.kubeplatform.kube.ApiRetry;
import io.jenkins.plugins.kubeplatform.kube.Conflicts;
import io.jenkins.plugins.kubeplatform.kube.NodeDrainer;
import io.jenkins.plugins.kubeplatform.store.StateStore;
import io.jenkins.plugins.kubeplatform.store.StateStore.Update;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The edge-VM capability (EVM-1..10): create (reuse, quota, site, edge cluster, join), release, delete, state sync
 * and the inventory. Decisions are made by pure functions ({@link QuotaCheck}, {@link SitePlacement},
 * {@link ClusterPlanner}, {@link SyncDecider}, {@link DesiredObjects}); this class observes, records the decision in
 * the inventory before touching a cluster (write-ahead), applies it and waits for the result.
 */
public final class EdgeVmEngine {

    private final EdgeSettings settings;
    private final ClusterClients clients;
    private final JoinTokens tokens;
    private final StateStore<Inventory> store;
    private final Clock clock;
    private final ApiRetry retry;
    private final Duration drainTimeout;

    public EdgeVmEngine(EdgeSettings settings, ClusterClients clients, JoinTokens tokens, StateStore<Inventory> store,
                        Clock clock, ApiRetry retry) {
        this.settings = settings.validated();
        this.clients = clients;
        this.tokens = tokens;
        this.store = store;
        this.clock = clock;
        this.retry = retry;
        this.drainTimeout = Duration.ofMinutes(5);
    }

    /**
     * An engine whose inventory is the file {@code edge-inventory.json} in {@code stateDir} (CLI, Jenkins, demo).
     * For the demo: {@code EdgeVmEngine.withFileInventory(EdgeSettings.demo(), ClusterClients.single(sim.client()),
     * JoinTokens.fixed("K10demo::server:demo"), dir, clock, retry)}, then {@link #create}, {@link #release},
     * {@link #delete}, {@link #sync} and {@link #inventory}.
     */
    public static EdgeVmEngine withFileInventory(EdgeSettings settings, ClusterClients clients, JoinTokens tokens,
                                                 java.nio.file.Path stateDir, Clock clock, ApiRetry retry) {
        return new EdgeVmEngine(settings, clients, tokens, inventoryStore(stateDir), clock, retry);
    }

    /** The inventory file in a state directory. */
    public static StateStore<Inventory> inventoryStore(java.nio.file.Path stateDir) {
        return Inventory.fileStore(stateDir, io.jenkins.plugins.kubeplatform.store.FileIo.nio());
    }

    public EdgeSettings settings() {
        return settings;
    }

    public Inventory inventory() {
        return store.read();
    }

    // ---------------------------------------------------------------- create

    private sealed interface Decision {
    }

    private record Existing(VmRecord record) implements Decision {
    }

    private record Reuse(VmRecord record, VmRecord before) implements Decision {
    }

    private record Fresh(VmRecord record, boolean newCluster, List<String> explanation) implements Decision {
    }

    /**
     * Provisions (or reuses) a VM for the request; with {@code wait}, returns once its node joined Ready.
     * Bad input and quota overruns fail before anything is recorded or created.
     */
    public EdgeVmResult create(EdgeVmRequest request, boolean wait, Progress progress) {
        Map<String, Integer> observedNodes = observeEdgeClusterNodes();
        // the permission pre-check needs the site and edge cluster the decision picks: decide once on the current
        // inventory (nothing stored), check, then decide for real under the store's lock
        checkAccess(decide(store.read(), request, observedNodes).result(), wait);
        Decision decision = store.update(inventory -> decide(inventory, request, observedNodes));
        List<Write> writes = createWrites(decision, store.read());
        VmRecord record;
        String outcome;
        boolean newCluster = false;
        List<String> plan = new ArrayList<>();
        if (decision instanceof Existing existing) {
            record = existing.record();
            outcome = "unchanged";
            progress.plan("edge VM " + record.vm() + " of tenant " + record.tenant() + " already exists on site "
                    + record.site() + " in edge cluster " + record.edgeCluster() + "; converging");
            plan.add("existing VM " + record.vm());
        } else if (decision instanceof Reuse reuse) {
            record = reuse.record();
            outcome = "reused";
            plan.add("reusing idle VM " + record.vm() + " (" + reuse.before().cpu() + " vCPU, "
                    + Quantities.mi(reuse.before().memoryMi()) + ", " + reuse.before().diskGi() + "Gi, was '"
                    + reuse.before().name() + "') on site " + record.site() + " in edge cluster " + record.edgeCluster());
            progress.plan(plan.get(0));
        } else {
            Fresh fresh = (Fresh) decision;
            record = fresh.record();
            outcome = "created";
            newCluster = fresh.newCluster();
            plan.addAll(fresh.explanation());
            progress.plan("edge VM " + record.vm() + " for tenant " + record.tenant() + ": " + record.cpu() + " vCPU, "
                    + Quantities.mi(record.memoryMi()) + ", " + record.diskGi() + "Gi disk, image " + record.image()
                    + " on site " + record.site() + ", joining edge cluster " + record.edgeCluster());
            fresh.explanation().forEach(progress::step);
            if (newCluster && edgeCluster(record.edgeCluster()).method() != JoinMethod.OPENYURT) {
                progress.step("edge cluster " + record.edgeCluster() + " is the node group labelled "
                        + KubeVirt.LABEL_EDGE_CLUSTER + "=" + record.edgeCluster());
            }
        }
        for (Write w : writes) {
            apply(w, false, progress);
        }
        if (wait) {
            record = waitForJoin(record, progress);
        }
        return EdgeVmResult.of(outcome, record, newCluster, plan);
    }

    /**
     * What {@link #create} would do from the current inventory and cluster, decided by the same code, changing
     * nothing: the inventory changes and every object write. With {@code sendDryRun} the writes are also sent with
     * {@code dryRun=All} (the servers check them and store nothing).
     */
    public ChangePlan planCreate(EdgeVmRequest request, boolean wait, boolean sendDryRun, Progress progress) {
        Map<String, Integer> observedNodes = observeEdgeClusterNodes();
        Inventory before = store.read();
        Update<Inventory, Decision> decided = decide(before, request, observedNodes);
        ChangePlan.Builder plan = new ChangePlan.Builder();
        Decision decision = decided.result();
        if (decision instanceof Fresh fresh) {
            fresh.explanation().forEach(plan::note);
            if (fresh.newCluster()) {
                plan.state(INVENTORY, "add-cluster", fresh.record().edgeCluster(), "new edge cluster on site "
                        + fresh.record().site() + (request.exclusive() ? " (exclusive to the tenant)" : ""));
            }
            plan.state(INVENTORY, "add", fresh.record().vm(), "tenant " + fresh.record().tenant() + ", name "
                    + fresh.record().name() + ", site " + fresh.record().site() + ", edge cluster "
                    + fresh.record().edgeCluster() + ", state " + fresh.record().state());
        } else if (decision instanceof Reuse reuse) {
            plan.state(INVENTORY, "update", reuse.record().vm(), "reuse idle VM (was '" + reuse.before().name()
                    + "') as '" + reuse.record().name() + "', state " + reuse.record().state());
        } else {
            plan.note("edge VM " + record(decision).vm() + " already exists; converging its objects");
        }
        for (Write w : createWrites(decision, decided.state())) {
            plan.object(w.change());
            if (sendDryRun) {
                apply(w, true, progress);
            }
        }
        if (wait) {
            plan.note("wait until node " + record(decision).vm() + " joins edge cluster " + record(decision).edgeCluster()
                    + " Ready (up to " + SyncDecider.human(settings.waitTimeoutDuration()) + "), then record its node and address in the "
                    + "inventory");
        }
        return plan.build();
    }

    private static final String INVENTORY = "vm-inventory";

    private static VmRecord record(Decision decision) {
        if (decision instanceof Existing e) {
            return e.record();
        }
        if (decision instanceof Reuse r) {
            return r.record();
        }
        return ((Fresh) decision).record();
    }

    /**
     * The permission pre-check of a create (docs/rbac.yaml, roles kubeplatform-provisionEdgeVm*): in the site
     * namespace the join Secret, the VirtualMachine and its instance; in the edge cluster the nodes (listed, watched
     * until the VM's node joins, uncordoned when an idle VM is reused) and, for a new OpenYurt cluster, its NodePool.
     */
    private void checkAccess(Decision decision, boolean wait) {
        VmRecord record = decision instanceof Existing e ? e.record()
                : decision instanceof Reuse r ? r.record() : ((Fresh) decision).record();
        String ns = record.namespace();
        List<AccessCheck.Permission> site = new ArrayList<>();
        for (String verb : List.of("get", "create", "update")) {
            site.add(AccessCheck.Permission.in(ns, verb, "", "secrets"));
        }
        site.add(AccessCheck.Permission.in(ns, "get", "kubevirt.io", "virtualmachines"));
        site.add(AccessCheck.Permission.in(ns, "create", "kubevirt.io", "virtualmachines"));
        site.add(AccessCheck.Permission.in(ns, "get", "kubevirt.io", "virtualmachineinstances"));
        String edgeConnection;
        JoinMethod method;
        if (decision instanceof Fresh f && f.newCluster()) {
            edgeConnection = Objects.toString(settings.newClusters().cluster(), "");
            method = JoinMethod.parse("edgeVms newClusterJoinMethod", settings.newClusters().joinMethod());
        } else {
            EdgeSettings.EdgeCluster cluster = edgeCluster(record.edgeCluster());
            edgeConnection = Objects.toString(cluster.cluster(), "");
            method = cluster.method();
        }
        List<AccessCheck.Permission> edge = new ArrayList<>();
        edge.add(AccessCheck.Permission.cluster("list", "", "nodes"));
        if (wait) {
            edge.add(AccessCheck.Permission.cluster("watch", "", "nodes"));
        }
        if (decision instanceof Reuse) {
            edge.add(AccessCheck.Permission.cluster("get", "", "nodes"));
            edge.add(AccessCheck.Permission.cluster("patch", "", "nodes"));
        }
        if (decision instanceof Fresh f && f.newCluster() && method == JoinMethod.OPENYURT) {
            edge.add(AccessCheck.Permission.cluster("create", "apps.openyurt.io", "nodepools"));
        }
        String siteConnection = Objects.toString(record.siteCluster(), "");
        if (siteConnection.equals(edgeConnection)) {
            site.addAll(edge);
            AccessCheck.require(clients.client(siteConnection), retry, "provisionEdgeVm", site);
        } else {
            AccessCheck.require(clients.client(siteConnection), retry, "provisionEdgeVm", site);
            AccessCheck.require(clients.client(edgeConnection), retry, "provisionEdgeVm", edge);
        }
    }

    private Update<Inventory, Decision> decide(Inventory inventory, EdgeVmRequest request,
                                               Map<String, Integer> observedNodes) {
        Optional<VmRecord> same = inventory.live(request.tenant(), request.name());
        if (same.isPresent() && same.get().state() != VmState.IDLE) {
            return Update.unchanged(inventory, new Existing(same.get()));
        }
        Optional<VmRecord> idle = same.isPresent() ? same : inventory.live().stream()
                .filter(r -> r.state() == VmState.IDLE && satisfies(r, request, inventory))
                .min(Comparator.comparingInt(VmRecord::cpu).thenComparingLong(VmRecord::memoryMi)
                        .thenComparingLong(VmRecord::diskGi).thenComparing(VmRecord::vm));
        if (idle.isPresent()) {
            VmRecord before = idle.get();
            VmRecord reused = before.withName(request.name())
                    .withState(before.node() != null ? VmState.RUNNING : VmState.PROVISIONING);
            return Update.to(inventory.update(before.vm(), r -> reused), new Reuse(reused, before));
        }
        List<String> lines = new ArrayList<>();
        lines.add(QuotaCheck.check(settings, request, inventory.live()));
        SitePlacement.Choice site = SitePlacement.choose(settings, request, inventory.live());
        lines.addAll(site.explanation());
        ClusterPlanner.Plan plan = ClusterPlanner.plan(clusterViews(inventory, observedNodes), site.site().point(),
                site.site().name(), request.exclusive(), request.cluster(), settings.scoring(),
                Optional.ofNullable(settings.newClusters()).map(EdgeSettings.NewClusters::namePrefix));
        lines.addAll(plan.explanation());
        Inventory next = inventory;
        String clusterName;
        boolean created = plan instanceof ClusterPlanner.Create;
        if (plan instanceof ClusterPlanner.Create create) {
            EdgeSettings.NewClusters t = settings.newClusters();
            clusterName = create.cluster();
            next = next.addCluster(new EdgeClusterRecord(new EdgeSettings.EdgeCluster(clusterName, t.cluster(),
                    site.site().location(), t.maxNodes(), t.joinMethod(), t.server(), t.tokenCredentialsId(),
                    t.tokenFile(), t.caCertHash()), site.site().name(), request.exclusive(), clock.instant()));
        } else {
            clusterName = ((ClusterPlanner.Join) plan).cluster();
        }
        String vm = freeVmName(inventory, request);
        VmRecord record = new VmRecord(vm, request.name(), request.tenant(), site.site().name(), site.site().cluster(),
                site.site().namespace(), clusterName, null, request.cpu(), request.memoryMi(), request.diskGi(),
                request.image().text(), VmState.PROVISIONING, clock.instant(), null, 0, null, null, null);
        return Update.to(next.add(record), new Fresh(record, created, lines));
    }

    private boolean satisfies(VmRecord idle, EdgeVmRequest request, Inventory inventory) {
        boolean exclusiveCluster = inventory.createdClusters().stream()
                .anyMatch(c -> c.exclusive() && c.settings().name().equals(idle.edgeCluster()));
        return idle.tenant().equals(request.tenant())
                && idle.cpu() >= request.cpu() && idle.memoryMi() >= request.memoryMi()
                && idle.diskGi() >= request.diskGi() && idle.image().equals(request.image().text())
                && exclusiveCluster == request.exclusive()
                && request.site().map(idle.site()::equals).orElse(true)
                && request.cluster().map(idle.edgeCluster()::equals).orElse(true)
                && inventory.live(request.tenant(), request.name()).isEmpty();
    }

    private static String freeVmName(Inventory inventory, EdgeVmRequest request) {
        String base = request.vmName();
        String candidate = base;
        for (int n = 2; inventory.liveVm(candidate).isPresent(); n++) {
            candidate = base + "-" + n;
        }
        return candidate;
    }

    /** Configured and created edge clusters with their node counts (the larger of inventory and observed nodes). */
    List<ClusterPlanner.ClusterView> clusterViews(Inventory inventory, Map<String, Integer> observedNodes) {
        Map<String, Integer> recorded = new HashMap<>();
        for (VmRecord r : inventory.live()) {
            recorded.merge(r.edgeCluster(), 1, Integer::sum);
        }
        List<ClusterPlanner.ClusterView> views = new ArrayList<>();
        for (EdgeSettings.EdgeCluster c : settings.edgeClusters()) {
            views.add(view(c, false, recorded, observedNodes));
        }
        for (EdgeClusterRecord c : inventory.createdClusters()) {
            views.add(view(c.settings(), c.exclusive(), recorded, observedNodes));
        }
        return views;
    }

    private static ClusterPlanner.ClusterView view(EdgeSettings.EdgeCluster c, boolean exclusive,
                                                   Map<String, Integer> recorded, Map<String, Integer> observed) {
        int nodes = Math.max(recorded.getOrDefault(c.name(), 0), observed.getOrDefault(c.name(), 0));
        return new ClusterPlanner.ClusterView(c.name(), c.point(), nodes, c.maxNodes(), exclusive);
    }

    /** Nodes per edge cluster, from one node list per cluster connection. */
    private Map<String, Integer> observeEdgeClusterNodes() {
        Set<String> connections = new LinkedHashSet<>();
        settings.edgeClusters().forEach(c -> connections.add(Objects.toString(c.cluster(), "")));
        store.read().createdClusters().forEach(c -> connections.add(Objects.toString(c.settings().cluster(), "")));
        Map<String, Integer> counts = new HashMap<>();
        for (String connection : connections) {
            KubernetesClient client = clients.client(connection);
            for (Node node : retry.call("list edge nodes", () -> client.nodes()
                    .withLabel(KubeVirt.LABEL_EDGE_CLUSTER).list().getItems())) {
                String cluster = node.getMetadata().getLabels().get(KubeVirt.LABEL_EDGE_CLUSTER);
                if (cluster != null) {
                    counts.merge(cluster, 1, Integer::sum);
                }
            }
        }
        return counts;
    }

    // ---------------------------------------------------------------- apply

    EdgeSettings.EdgeCluster edgeCluster(String name) {
        return edgeCluster(name, store.read());
    }

    private EdgeSettings.EdgeCluster edgeCluster(String name, Inventory inventory) {
        return settings.edgeCluster(name).or(() -> inventory.createdClusters().stream()
                        .map(EdgeClusterRecord::settings).filter(c -> c.name().equals(name)).findFirst())
                .orElseThrow(() -> new OperationFailedException("Edge cluster " + name + " is neither configured nor "
                        + "recorded in the inventory; restore its configuration under edge.edgeClusters"));
    }

    /** A cluster write decided before it is made; apply and dry runs execute the same list. */
    private record Write(ChangePlan.ObjectChange change, String done, Send send) {
    }

    /** Sends one write, with {@code dryRun=All} when asked. */
    @FunctionalInterface
    private interface Send {
        void send(boolean dryRun);
    }

    /** The writes that make a decided VM exist as desired, in order; none when everything already does. */
    private List<Write> createWrites(Decision decision, Inventory inventory) {
        VmRecord record = record(decision);
        List<Write> writes = new ArrayList<>();
        if (decision instanceof Fresh fresh && fresh.newCluster()) {
            nodePoolWrite(edgeCluster(record.edgeCluster(), inventory)).ifPresent(writes::add);
        }
        KubernetesClient site = clients.client(record.siteCluster());
        EdgeSettings.EdgeCluster cluster = edgeCluster(record.edgeCluster(), inventory);
        Secret desiredSecret = DesiredObjects.joinSecret(record, cluster, tokens.token(cluster));
        String secretName = desiredSecret.getMetadata().getName();
        Secret liveSecret = retry.call("read Secret " + secretName, () -> site.secrets()
                .inNamespace(record.namespace()).withName(secretName).get());
        if (liveSecret == null) {
            writes.add(new Write(change("create", record.siteCluster(), redacted(desiredSecret), "join token for "
                    + cluster.name()), "created join Secret " + record.namespace() + "/" + secretName,
                    dryRun -> createIgnoringExisting(() -> (dryRun ? site.secrets().inNamespace(record.namespace())
                            .resource(desiredSecret).dryRun() : site.secrets().inNamespace(record.namespace())
                            .resource(desiredSecret)).create())));
        } else if (!Objects.equals(liveSecret.getData(), desiredSecret.getData())) {
            writes.add(new Write(change("update", record.siteCluster(), redacted(desiredSecret), "join token changed"),
                    "updated join Secret " + record.namespace() + "/" + secretName,
                    dryRun -> Conflicts.retry("update Secret " + secretName, 5, () -> {
                        Secret current = site.secrets().inNamespace(record.namespace()).withName(secretName).get();
                        current.setData(desiredSecret.getData());
                        var op = site.secrets().inNamespace(record.namespace()).resource(current);
                        return dryRun ? op.dryRun().update() : op.update();
                    })));
        } else {
            writes.add(new Write(change("unchanged", record.siteCluster(), redacted(desiredSecret), ""), "", d -> { }));
        }
        GenericKubernetesResource desiredVm = DesiredObjects.virtualMachine(record);
        if (getVm(record) == null) {
            writes.add(new Write(change("create", record.siteCluster(), desiredVm, record.cpu() + " vCPU, "
                    + Quantities.mi(record.memoryMi()) + ", " + record.diskGi() + "Gi disk, image " + record.image()),
                    "created VirtualMachine " + record.namespace() + "/" + record.vm() + " (runStrategy Always)",
                    dryRun -> createIgnoringExisting(() -> {
                        var op = site.genericKubernetesResources(KubeVirt.VIRTUAL_MACHINE).inNamespace(record.namespace())
                                .resource(desiredVm);
                        (dryRun ? op.dryRun() : op).create();
                    })));
        } else {
            writes.add(new Write(change("unchanged", record.siteCluster(), desiredVm, ""), "", d -> { }));
        }
        if (decision instanceof Reuse) {
            KubernetesClient edge = clients.client(cluster.cluster());
            Node node = retry.call("read node " + record.vm(), () -> edge.nodes().withName(record.vm()).get());
            if (node != null && Boolean.TRUE.equals(node.getSpec() == null ? null : node.getSpec().getUnschedulable())) {
                writes.add(new Write(new ChangePlan.ObjectChange("update", "Node", cluster.cluster(), null,
                        record.vm(), "uncordon for its new use", Optional.empty()),
                        "uncordoned node " + record.vm() + " for its new use",
                        dryRun -> patchUnschedulable(edge, record.vm(), false, dryRun)));
            }
        }
        return writes;
    }

    private static ChangePlan.ObjectChange change(String action, String cluster,
                                                  io.fabric8.kubernetes.api.model.HasMetadata object, String detail) {
        return new ChangePlan.ObjectChange(action, object.getKind(), cluster == null ? "" : cluster,
                object.getMetadata().getNamespace(), object.getMetadata().getName(), detail, Optional.of(object));
    }

    /** The Secret as a plan shows it: the join token never reaches output. */
    private static Secret redacted(Secret secret) {
        Secret copy = new io.fabric8.kubernetes.api.model.SecretBuilder(secret).build();
        Map<String, String> data = new java.util.TreeMap<>();
        (secret.getData() == null ? Map.<String, String>of() : secret.getData()).keySet()
                .forEach(k -> data.put(k, "(redacted)"));
        copy.setData(data);
        copy.setStringData(null);
        return copy;
    }

    private void apply(Write w, boolean dryRun, Progress progress) {
        if (!w.change().writes()) {
            return;
        }
        w.send().send(dryRun);
        if (!dryRun) {
            progress.step(w.done());
        }
    }

    private GenericKubernetesResource getVm(VmRecord record) {
        KubernetesClient site = clients.client(record.siteCluster());
        return retry.call("read VirtualMachine " + record.vm(), () -> site.genericKubernetesResources(
                KubeVirt.VIRTUAL_MACHINE).inNamespace(record.namespace()).withName(record.vm()).get());
    }

    private void createIgnoringExisting(Runnable create) {
        try {
            retry.run("create", create);
        } catch (KubernetesClientException e) {
            if (!Conflicts.isAlreadyExists(e)) {
                throw failure("Creating an edge VM object failed", e);
            }
        }
    }

    private Optional<Write> nodePoolWrite(EdgeSettings.EdgeCluster cluster) {
        if (cluster.method() != JoinMethod.OPENYURT) {
            return Optional.empty();
        }
        KubernetesClient client = clients.client(cluster.cluster());
        GenericKubernetesResource pool = new GenericKubernetesResource();
        pool.setApiVersion("apps.openyurt.io/v1beta1");
        pool.setKind("NodePool");
        pool.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(cluster.name())
                .withLabels(Map.of(KubeVirt.LABEL_MANAGED_BY, KubeVirt.MANAGED_BY)).build());
        pool.setAdditionalProperty("spec", Map.of("type", "Edge"));
        return Optional.of(new Write(change("create", cluster.cluster(), pool, "OpenYurt node pool of the new edge cluster"),
                "created OpenYurt NodePool " + cluster.name(), dryRun -> createIgnoringExisting(() -> {
                    var op = client.genericKubernetesResources(KubeVirt.NODE_POOL).resource(pool);
                    (dryRun ? op.dryRun() : op).create();
                })));
    }

    /** Watches the edge cluster until the VM's node is Ready; records node and address. */
    private VmRecord waitForJoin(VmRecord record, Progress progress) {
        EdgeSettings.EdgeCluster cluster = edgeCluster(record.edgeCluster());
        KubernetesClient edge = clients.client(cluster.cluster());
        Duration timeout = settings.waitTimeoutDuration();
        progress.waiting("waiting up to " + SyncDecider.human(timeout) + " for node " + record.vm() + " to join edge "
                + "cluster " + record.edgeCluster() + " Ready");
        try {
            Await.until("node " + record.vm() + " to be Ready", null, record.vm(),
                    edge.nodes().withField("metadata.name", record.vm()), EdgeVmEngine::isReady, timeout, retry, progress);
        } catch (KubernetesClientTimeoutException e) {
            GenericKubernetesResource vm = getVm(record);
            String status = vm == null ? "missing" : KubeVirt.printableStatus(vm).orElse("without status");
            throw new OperationFailedException("Edge VM " + record.vm() + " did not join edge cluster "
                    + record.edgeCluster() + " within " + SyncDecider.human(timeout) + ": the VirtualMachine is "
                    + status + " and node " + record.vm() + " is not Ready. The state sync (edge-vm sync) restarts or "
                    + "recreates it after its timeouts; inspect it with kubectl -n " + record.namespace()
                    + " describe vm " + record.vm() + ".", e);
        }
        String address = vmiAddress(record).orElse(null);
        VmRecord joined = store.update(inventory -> {
            Optional<VmRecord> current = inventory.liveVm(record.vm());
            if (current.isEmpty()) {
                return Update.unchanged(inventory, record);
            }
            VmRecord next = current.get().joined(record.vm(), address);
            return next.equals(current.get()) ? Update.unchanged(inventory, next)
                    : Update.to(inventory.update(record.vm(), r -> next), next);
        });
        progress.step("node " + record.vm() + " joined edge cluster " + record.edgeCluster() + " Ready"
                + (address == null ? "" : " (address " + address + ")"));
        return joined;
    }

    private Optional<String> vmiAddress(VmRecord record) {
        KubernetesClient site = clients.client(record.siteCluster());
        GenericKubernetesResource vmi = retry.call("read VirtualMachineInstance " + record.vm(), () ->
                site.genericKubernetesResources(KubeVirt.VIRTUAL_MACHINE_INSTANCE).inNamespace(record.namespace())
                        .withName(record.vm()).get());
        return KubeVirt.address(vmi);
    }

    static boolean isReady(Node node) {
        return node != null && node.getStatus() != null && node.getStatus().getConditions() != null
                && node.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    // ---------------------------------------------------------------- release / delete

    /** Drains and cordons the VM's node and keeps the VM running, idle, for the tenant's next request (EVM-10). */
    public EdgeVmResult release(String tenant, String name, Progress progress) {
        VmRecord record = find(tenant, name);
        if (record.state() == VmState.IDLE) {
            progress.plan("edge VM " + record.vm() + " is already idle");
            return EdgeVmResult.of("unchanged", record, false, List.of("already idle"));
        }
        progress.plan("release edge VM " + record.vm() + " of tenant " + record.tenant() + ": drain node "
                + record.vm() + " in edge cluster " + record.edgeCluster() + " and keep the VM idle for the tenant");
        drain(record, progress);
        VmRecord idle = store.update(inventory -> {
            VmRecord next = inventory.liveVm(record.vm()).orElse(record).withState(VmState.IDLE);
            return Update.to(inventory.update(record.vm(), r -> next), next);
        });
        progress.step("edge VM " + record.vm() + " is idle (kept for tenant " + record.tenant() + ")");
        return EdgeVmResult.of("released", idle, false, List.of("drained and kept idle"));
    }

    /** Drains and removes the node, deletes the VM and its Secret; the inventory keeps the record with its end. */
    public EdgeVmResult delete(String tenant, String name, Progress progress) {
        Optional<VmRecord> live = findLive(tenant, name);
        if (live.isEmpty()) {
            Optional<VmRecord> gone = store.read().vms().stream().filter(r -> r.name().equals(name)
                    && (tenant == null || tenant.isBlank() || r.tenant().equals(tenant))).reduce((a, b) -> b);
            if (gone.isPresent()) {
                progress.plan("edge VM " + name + " was already deleted at " + gone.get().end());
                return EdgeVmResult.of("already-deleted", gone.get(), false, List.of("already deleted"));
            }
            throw notFound(tenant, name);
        }
        VmRecord record = live.get();
        progress.plan("delete edge VM " + record.vm() + " of tenant " + record.tenant() + ": drain and remove node "
                + record.vm() + " from edge cluster " + record.edgeCluster() + ", delete VirtualMachine and Secret in "
                + record.site() + "/" + record.namespace());
        drain(record, progress);
        for (Write w : removalWrites(record)) {
            apply(w, false, progress);
        }
        Instant end = clock.instant();
        VmRecord ended = store.update(inventory -> {
            VmRecord next = inventory.liveVm(record.vm()).orElse(record).ended(end);
            return Update.to(inventory.update(record.vm(), r -> next), next);
        });
        return EdgeVmResult.of("deleted", ended, false, List.of("drained, node removed, VM and Secret deleted"));
    }

    /**
     * What {@link #delete} ({@code delete} true) or {@link #release} would do, changing nothing: the cordon, the
     * evictions of a drain pass as the drainer selects them now, the deletions, and the inventory change. With
     * {@code sendDryRun} the cordon and the deletions are also sent with {@code dryRun=All}.
     */
    public ChangePlan planRemoval(String tenant, String name, boolean delete, boolean sendDryRun, Progress progress) {
        ChangePlan.Builder plan = new ChangePlan.Builder();
        Optional<VmRecord> live = findLive(tenant, name);
        if (live.isEmpty()) {
            Optional<VmRecord> gone = store.read().vms().stream().filter(r -> r.name().equals(name)
                    && (tenant == null || tenant.isBlank() || r.tenant().equals(tenant))).reduce((a, b) -> b);
            if (gone.isPresent() && delete) {
                return plan.note("edge VM " + name + " was already deleted at " + gone.get().end()).build();
            }
            throw notFound(tenant, name);
        }
        VmRecord record = live.get();
        if (!delete && record.state() == VmState.IDLE) {
            return plan.note("edge VM " + record.vm() + " is already idle").build();
        }
        EdgeSettings.EdgeCluster cluster = edgeCluster(record.edgeCluster());
        KubernetesClient edge = clients.client(cluster.cluster());
        Node node = retry.call("read node " + record.vm(), () -> edge.nodes().withName(record.vm()).get());
        List<Write> writes = new ArrayList<>();
        if (node != null) {
            if (!Boolean.TRUE.equals(node.getSpec() == null ? null : node.getSpec().getUnschedulable())) {
                writes.add(new Write(new ChangePlan.ObjectChange("update", "Node", cluster.cluster(), null, record.vm(),
                        "cordon", Optional.empty()), "cordoned node " + record.vm(),
                        dryRun -> patchUnschedulable(edge, record.vm(), true, dryRun)));
            }
            NodeDrainer drainer = new NodeDrainer(edge, retry, clock, d -> Thread.sleep(d.toMillis()));
            for (String pod : drainer.toEvict(record.vm(), NodeDrainer.Options.defaults(drainTimeout))) {
                String[] nsName = pod.split("/", 2);
                writes.add(new Write(new ChangePlan.ObjectChange("evict", "Pod", cluster.cluster(), nsName[0],
                        nsName[1], "drain, honouring disruption budgets" + (sendDryRun ? " (not sent in a server dry "
                        + "run)" : ""), Optional.empty()), "", d -> { }));
            }
        } else {
            plan.note("node " + record.vm() + " is not registered; nothing to drain");
        }
        if (delete) {
            writes.addAll(removalWrites(record));
        }
        for (Write w : writes) {
            plan.object(w.change());
            if (sendDryRun && !"evict".equals(w.change().action())) {
                apply(w, true, progress);
            }
        }
        plan.state(INVENTORY, delete ? "end" : "update", record.vm(), delete ? "record kept with its end time"
                : "state IDLE, kept for tenant " + record.tenant());
        return plan.build();
    }

    /** The deletions of {@link #delete}: node, VirtualMachine and join Secret; a missing object is success. */
    private List<Write> removalWrites(VmRecord record) {
        KubernetesClient edge = clients.client(edgeCluster(record.edgeCluster()).cluster());
        KubernetesClient site = clients.client(record.siteCluster());
        String edgeCluster = edgeCluster(record.edgeCluster()).cluster();
        String secret = DesiredObjects.secretName(record.vm());
        return List.of(
                new Write(new ChangePlan.ObjectChange("delete", "Node", edgeCluster == null ? "" : edgeCluster, null,
                        record.vm(), "remove from edge cluster " + record.edgeCluster(), Optional.empty()),
                        "removed node " + record.vm(), dryRun -> deleteIgnoringMissing(() -> (dryRun
                        ? edge.nodes().withName(record.vm()).dryRun() : edge.nodes().withName(record.vm())).delete())),
                new Write(new ChangePlan.ObjectChange("delete", "VirtualMachine", Objects.toString(record.siteCluster(), ""),
                        record.namespace(), record.vm(), "", Optional.empty()),
                        "deleted VirtualMachine " + record.namespace() + "/" + record.vm(), dryRun -> deleteIgnoringMissing(() -> {
                            var op = site.genericKubernetesResources(KubeVirt.VIRTUAL_MACHINE)
                                    .inNamespace(record.namespace()).withName(record.vm());
                            (dryRun ? op.dryRun() : op).delete();
                        })),
                new Write(new ChangePlan.ObjectChange("delete", "Secret", Objects.toString(record.siteCluster(), ""),
                        record.namespace(), secret, "join token", Optional.empty()),
                        "deleted Secret " + record.namespace() + "/" + secret, dryRun -> deleteIgnoringMissing(() -> {
                            var op = site.secrets().inNamespace(record.namespace()).withName(secret);
                            (dryRun ? op.dryRun() : op).delete();
                        })));
    }

    private void drain(VmRecord record, Progress progress) {
        KubernetesClient edge = clients.client(edgeCluster(record.edgeCluster()).cluster());
        Node node = retry.call("read node " + record.vm(), () -> edge.nodes().withName(record.vm()).get());
        if (node == null) {
            progress.step("node " + record.vm() + " is not registered; nothing to drain");
            return;
        }
        if (!Boolean.TRUE.equals(node.getSpec() == null ? null : node.getSpec().getUnschedulable())) {
            patchUnschedulable(edge, record.vm(), true);
            progress.step("cordoned node " + record.vm());
        }
        NodeDrainer drainer = new NodeDrainer(edge, retry, clock, d -> Thread.sleep(d.toMillis()));
        try {
            NodeDrainer.Result result = drainer.drain(record.vm(), NodeDrainer.Options.defaults(drainTimeout), progress);
            if (!result.drained()) {
                throw new OperationFailedException("Node " + record.vm() + " could not be drained within "
                        + SyncDecider.human(drainTimeout) + ": " + result.blocked().size() + " pod(s) are held by "
                        + "disruption budgets (" + result.blocked().get(0).pod() + " ...). The node stays cordoned; "
                        + "the VM was not changed. Retry when the budgets allow.");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationFailedException("Draining node " + record.vm() + " was interrupted; the node stays "
                    + "cordoned", e);
        }
    }

    private void patchUnschedulable(KubernetesClient edge, String node, boolean value) {
        patchUnschedulable(edge, node, value, false);
    }

    private void patchUnschedulable(KubernetesClient edge, String node, boolean value, boolean dryRun) {
        retry.run("patch node " + node, () -> (dryRun ? edge.nodes().withName(node).dryRun() : edge.nodes().withName(node)).patch(
                PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"unschedulable\":" + (value ? "true" : "null") + "}}"));
    }

    private void deleteIgnoringMissing(Runnable delete) {
        try {
            retry.run("delete", delete);
        } catch (KubernetesClientException e) {
            if (!Conflicts.isNotFound(e)) {
                throw failure("Deleting an edge VM object failed", e);
            }
        }
    }

    private VmRecord find(String tenant, String name) {
        return findLive(tenant, name).orElseThrow(() -> notFound(tenant, name));
    }

    private Optional<VmRecord> findLive(String tenant, String name) {
        Require.dnsLabel("name", name);
        List<VmRecord> matches = store.read().live().stream().filter(r -> r.name().equals(name)
                && (tenant == null || tenant.isBlank() || r.tenant().equals(tenant))).toList();
        if (matches.size() > 1) {
            throw new InvalidInputException("tenant", "is required: tenants " + matches.stream().map(VmRecord::tenant)
                    .toList() + " each have an edge VM named '" + name + "'");
        }
        return matches.stream().findFirst();
    }

    private static InvalidInputException notFound(String tenant, String name) {
        return new InvalidInputException("name", "no edge VM named '" + name + "'"
                + (tenant == null || tenant.isBlank() ? "" : " for tenant '" + tenant + "'") + " is in the inventory");
    }

    private static OperationFailedException failure(String what, KubernetesClientException e) {
        return new OperationFailedException(what + ": " + ApiRetry.serverMessage(e), e);
    }

    // ---------------------------------------------------------------- state sync

    /** One pass of the state sync (EVM-8) over every live VM; returns one line per VM. */
    public List<String> sync(Progress progress) {
        Inventory inventory = store.read();
        List<String> report = new ArrayList<>();
        SyncDecider.Timeouts timeouts = new SyncDecider.Timeouts(settings.startTimeoutDuration(),
                settings.joinTimeoutDuration(), settings.maxAttemptsValue());
        for (VmRecord record : inventory.live()) {
            SyncDecider.Observation seen = observe(record);
            SyncDecider.Decision decision = SyncDecider.decide(record, seen, clock.instant(), timeouts);
            SyncDecider.Action action = decision.action();
            if (action instanceof SyncDecider.Restart) {
                progress.step(action.reason());
                restart(record);
            } else if (action instanceof SyncDecider.Recreate) {
                progress.step(action.reason());
                recreate(record, progress);
            } else if (action instanceof SyncDecider.GiveUp) {
                progress.warn(action.reason());
            } else if (action instanceof SyncDecider.MarkJoined) {
                progress.step(action.reason());
            }
            report.add(action.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT) + ": " + action.reason());
            VmRecord next = decision.next();
            store.update(inv -> {
                Optional<VmRecord> current = inv.liveVm(record.vm());
                if (current.isEmpty()) {
                    return Update.unchanged(inv, null);
                }
                // A release or reuse that happened meanwhile wins; only the sync's own bookkeeping is merged.
                VmRecord merged = current.get().equals(record) ? next : current.get().withAttempts(next.attempts())
                        .observed(next.observed(), next.observedSince());
                return merged.equals(current.get()) ? Update.unchanged(inv, null)
                        : Update.to(inv.update(record.vm(), r -> merged), null);
            });
        }
        return report;
    }

    private SyncDecider.Observation observe(VmRecord record) {
        GenericKubernetesResource vm = getVm(record);
        EdgeSettings.EdgeCluster cluster = edgeCluster(record.edgeCluster());
        KubernetesClient edge = clients.client(cluster.cluster());
        Node node = retry.call("read node " + record.vm(), () -> edge.nodes().withName(record.vm()).get());
        Optional<Boolean> ready = node == null ? Optional.empty() : Optional.of(isReady(node));
        Optional<String> address = vm == null ? Optional.empty() : vmiAddress(record);
        return new SyncDecider.Observation(vm != null, vm == null ? Optional.empty() : KubeVirt.printableStatus(vm),
                ready, address);
    }

    /** Restarts the guest the way KubeVirt does for runStrategy Always: the VMI goes, the VM controller makes a new one. */
    private void restart(VmRecord record) {
        KubernetesClient site = clients.client(record.siteCluster());
        deleteIgnoringMissing(() -> site.genericKubernetesResources(KubeVirt.VIRTUAL_MACHINE_INSTANCE)
                .inNamespace(record.namespace()).withName(record.vm()).delete());
    }

    private void recreate(VmRecord record, Progress progress) {
        KubernetesClient site = clients.client(record.siteCluster());
        deleteIgnoringMissing(() -> site.genericKubernetesResources(KubeVirt.VIRTUAL_MACHINE)
                .inNamespace(record.namespace()).withName(record.vm()).delete());
        try {
            Await.until("VirtualMachine " + record.namespace() + "/" + record.vm() + " to be deleted",
                    record.namespace(), record.vm(), site.genericKubernetesResources(KubeVirt.VIRTUAL_MACHINE)
                            .inNamespace(record.namespace()).withField("metadata.name", record.vm()), Objects::isNull,
                    Duration.ofMinutes(2), retry, progress);
        } catch (KubernetesClientTimeoutException e) {
            throw new OperationFailedException("VirtualMachine " + record.namespace() + "/" + record.vm()
                    + " is still terminating after 2m; the next sync retries", e);
        }
        for (Write w : createWrites(new Existing(record), store.read())) {
            apply(w, false, progress);
        }
    }
}
