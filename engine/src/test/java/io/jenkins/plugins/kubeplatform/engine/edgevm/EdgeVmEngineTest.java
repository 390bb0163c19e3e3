package io.jenkins.plugins.kubeplatform.engine.edgevm;

import static io.jenkins.plugins.kubeplatform.engine.edgevm.EdgeFixtures.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.kube.ApiRetry;
import io.jenkins.plugins.kubeplatform.engine.store.AtomicFileStore;
import io.jenkins.plugins.kubeplatform.engine.store.Json;
import io.jenkins.plugins.kubeplatform.sim.ApiRequest;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import io.jenkins.plugins.kubeplatform.sim.kubevirt.SimKubeVirt;
import io.jenkins.plugins.kubeplatform.sim.kubevirt.VmFailure;
import io.jenkins.plugins.kubeplatform.sim.rbac.RbacPolicy;
import io.jenkins.plugins.kubeplatform.sim.rbac.ResourceRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The edge-VM engine against two simulated clusters: the site cluster runs KubeVirt (two sites), the edge cluster
 * (connection "edges") holds the nodes of three edge clusters of different size and place and of new ones. A request
 * sent to the wrong cluster finds nothing there, so the test fails. Tests share the two clusters; each uses its own
 * edge cluster names, tenants and inventory so they stay independent.
 */
class EdgeVmEngineTest {

    static final String MAINZ = "49.99,8.27";
    static final String ROLE = "kubeplatform-provisionEdgeVm";

    static SimulatedCluster sim;
    static SimulatedCluster edgeSim;
    /** The site cluster: VirtualMachines, their join Secrets. */
    static KubernetesClient client;
    /** The edge cluster: the nodes the VMs join, the pods on them, OpenYurt NodePools. */
    static KubernetesClient edge;
    static SimKubeVirt kubevirt;

    @TempDir
    Path stateDir;

    final List<String> log = new CopyOnWriteArrayList<>();
    final Progress progress = Progress.lines(log::add);
    final MutableClock clock = new MutableClock(EdgeFixtures.T0);

    @BeforeAll
    static void startCluster() {
        sim = SimulatedCluster.start(SimOptions.builder().speed(100).build());
        client = sim.client();
        edgeSim = SimulatedCluster.start(SimOptions.builder().speed(100).build());
        edge = edgeSim.client();
        kubevirt = sim.controller(SimKubeVirt.class).orElseThrow();
        for (String server : List.of("https://edge-fra.example.net:6443", "https://edge-par.example.net:6443",
                "https://edge-ams.example.net:6443", "https://edge-pool.example.net:6443")) {
            kubevirt.joinTarget(server, edge);
        }
    }

    @AfterAll
    static void stopCluster() {
        sim.close();
        edgeSim.close();
    }

    EdgeVmEngine engine(String clusterPrefix) {
        return engine(onEdgeConnection(clusterPrefix, "k3s"));
    }

    EdgeVmEngine engine(EdgeSettings settings) {
        AtomicFileStore<Inventory> store = AtomicFileStore.of(stateDir.resolve(Inventory.FILE), Inventory.KIND,
                Inventory.class, Inventory::empty);
        ClusterClients connections = name -> "edges".equals(name) ? edge : client;
        return new EdgeVmEngine(settings, connections, c -> TOKEN,
                store, clock, new ApiRetry(3, Duration.ofMillis(10), Duration.ofMillis(50), d -> Thread.sleep(d.toMillis())));
    }

    /** The fixture with every edge cluster, and new ones, on the connection "edges"; the sites on the default. */
    static EdgeSettings onEdgeConnection(String prefix, String newClusterMethod) {
        String yaml = EdgeFixtures.YAML.replace("{P}", prefix).replace("{NEW_METHOD}", newClusterMethod)
                .replaceAll("(\\n +- name: " + prefix + "(fra|par|ams)\\n)( +)", "$1$3cluster: edges\n$3")
                .replace("    namePrefix: " + prefix + "new\n", "    namePrefix: " + prefix + "new\n    cluster: edges\n");
        EdgeSettings settings = EdgeSettings.from(io.jenkins.plugins.kubeplatform.engine.config.PlatformConfig.parse("test", yaml));
        assertThat(settings.edgeClusters()).extracting(EdgeSettings.EdgeCluster::cluster).containsOnly("edges");
        assertThat(settings.newClusters().cluster()).isEqualTo("edges");
        return settings;
    }

    static EdgeVmRequest near(String name, String tenant, String location, boolean exclusive) {
        return EdgeVmRequest.of(name, tenant, 1, "1Gi", "5Gi", "quay.io/containerdisks/ubuntu:22.04", exclusive,
                location, null, null, null, null);
    }

    static void addEdgeNode(String name, String cluster) {
        edge.nodes().resource(new NodeBuilder().withNewMetadata().withName(name)
                .addToLabels(KubeVirt.LABEL_EDGE_CLUSTER, cluster).endMetadata().build()).create();
    }

    @Test
    void placesTheVmOnTheClosestSiteAndJoinsTheScoredClusterWithLabels() {
        // t1-fra (0 km, max 2) already has a node: load 0.5 beats nothing; t1-ams (360 km, empty) scores 0.36.
        addEdgeNode("t1-existing", "t1-fra");
        EdgeVmEngine engine = engine("t1-");

        EdgeVmResult result = engine.create(near("web", "acme", MAINZ, false), true, progress);

        assertThat(result.outcome()).isEqualTo("created");
        assertThat(result.site()).isEqualTo("frankfurt");
        assertThat(result.edgeCluster()).isEqualTo("t1-ams");
        assertThat(result.state()).isEqualTo(VmState.RUNNING);
        assertThat(result.address()).startsWith("10.201.");
        Node node = edge.nodes().withName("acme-web").get();
        assertThat(node.getStatus().getConditions()).as("the kubelet reports Ready")
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
        assertThat(node.getMetadata().getLabels()).containsEntry(KubeVirt.LABEL_VM, "acme-web")
                .containsEntry(KubeVirt.LABEL_TENANT, "acme").containsEntry(KubeVirt.LABEL_EDGE_CLUSTER, "t1-ams");
        assertThat(log).anySatisfy(l -> assertThat(l).contains("t1-fra 0.500 (load 1/2, 0 km from site frankfurt)"));
        assertThat(log).anySatisfy(l -> assertThat(l).contains("edge cluster chosen: t1-ams"));
        assertThat(client.genericKubernetesResources(KubeVirt.VIRTUAL_MACHINE).inNamespace("edge-frankfurt")
                .withName("acme-web").get()).isNotNull();
    }

    @Test
    void refusesASiteWhoseClusterDoesNotServeKubeVirtBeforeCreatingAnything() {
        // a site cluster where KubeVirt is not installed: VirtualMachines are not served (404), as on such a cluster
        var crds = client.apiextensions().v1().customResourceDefinitions();
        List<io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition> kubeVirt =
                List.of(crds.withName("virtualmachines.kubevirt.io").get(),
                        crds.withName("virtualmachineinstances.kubevirt.io").get());
        kubeVirt.forEach(crd -> crds.resource(crd).delete());
        try {
            sim.requests().clear();
            EdgeVmEngine engine = engine("t9-");

            assertThatThrownBy(() -> engine.create(near("nokv", "acme", MAINZ, false), true, progress))
                    .isInstanceOf(OperationFailedException.class)
                    .hasMessage("Site frankfurt: its cluster (the default cluster) does not serve KubeVirt "
                            + "VirtualMachines (kubevirt.io/v1): install KubeVirt there or remove the site from "
                            + "edgeVms.sites; nothing was created");
            assertThat(sim.requests().list()).as("no write: no join Secret (it holds the join token), no VM")
                    .filteredOn(r -> !r.isReview() && !r.verb().equals("get") && !r.verb().equals("list"))
                    .isEmpty();
            assertThat(client.secrets().inNamespace("edge-frankfurt").withName("acme-nokv-join").get()).isNull();
        } finally {
            // the other tests share this cluster: KubeVirt is installed again
            kubeVirt.forEach(crd -> {
                crd.getMetadata().setResourceVersion(null);
                crd.getMetadata().setUid(null);
                crds.resource(crd).create();
            });
        }
    }

    @Test
    void keepsTheJoinTokenInTheSecretOnly() throws Exception {
        EdgeVmEngine engine = engine("t2-");

        EdgeVmResult result = engine.create(near("api", "acme", "48.85,2.35", false), true, progress);

        Secret secret = client.secrets().inNamespace("edge-paris").withName("acme-api-join").get();
        assertThat(new String(Base64.getDecoder().decode(secret.getData().get("userdata")), StandardCharsets.UTF_8))
                .contains(TOKEN);
        List<String> elsewhere = new ArrayList<>(log);
        elsewhere.add(Json.mapper().writeValueAsString(result));
        elsewhere.add(Files.readString(stateDir.resolve(Inventory.FILE)));
        elsewhere.add(InventoryExport.csv(engine.inventory()));
        elsewhere.add(Json.mapper().writeValueAsString(client.genericKubernetesResources(KubeVirt.VIRTUAL_MACHINE)
                .inNamespace("edge-paris").withName("acme-api").get()));
        elsewhere.add(Json.mapper().writeValueAsString(edge.nodes().withName("acme-api").get()));
        assertThat(elsewhere).allSatisfy(text -> assertThat(text).doesNotContain(TOKEN)
                .doesNotContain(Base64.getEncoder().encodeToString(TOKEN.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void failsAQuotaOverrunBeforeAnythingIsCreated() {
        EdgeVmEngine engine = engine("t3-");
        engine.create(near("one", "demo", MAINZ, false), false, progress);
        sim.requests().clear();
        edgeSim.requests().clear();

        EdgeVmRequest tooBig = EdgeVmRequest.of("two", "demo", 6, "1Gi", "5Gi", "quay.io/containerdisks/ubuntu:22.04",
                false, MAINZ, null, null, null, null);
        assertThatThrownBy(() -> engine.create(tooBig, false, progress)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("quota exceeded").hasMessageContaining("limit of 6 vCPU");

        assertThat(sim.requests().list()).filteredOn(r -> !r.verb().equals("get") && !r.verb().equals("list")
                && !r.verb().equals("watch")).isEmpty();
        assertThat(edgeSim.requests().list()).filteredOn(r -> !r.verb().equals("get") && !r.verb().equals("list")
                && !r.verb().equals("watch")).isEmpty();
        assertThat(engine.inventory().live()).hasSize(1);
    }

    @Test
    void createsANewEdgeClusterForAnExclusiveRequest() {
        EdgeVmEngine engine = engine("t4-");

        EdgeVmResult first = engine.create(near("solo", "acme", MAINZ, true), true, progress);
        EdgeVmResult second = engine.create(near("solo2", "acme", MAINZ, true), false, progress);
        EdgeVmResult shared = engine.create(near("shared", "acme", MAINZ, false), false, progress);

        assertThat(first.newEdgeCluster()).isTrue();
        assertThat(first.edgeCluster()).isEqualTo("t4-new-frankfurt-1");
        assertThat(edge.nodes().withName("acme-solo").get().getMetadata().getLabels())
                .containsEntry(KubeVirt.LABEL_EDGE_CLUSTER, "t4-new-frankfurt-1");
        assertThat(second.edgeCluster()).isEqualTo("t4-new-frankfurt-2");
        assertThat(shared.edgeCluster()).isEqualTo("t4-fra");
        assertThat(engine.inventory().createdClusters()).extracting(c -> c.settings().name())
                .containsExactly("t4-new-frankfurt-1", "t4-new-frankfurt-2");
    }

    @Test
    void reusesAReleasedVmForTheSameTenant() {
        EdgeVmEngine engine = engine("t5-");
        EdgeVmResult created = engine.create(near("build", "acme", MAINZ, false), true, progress);
        edge.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("t5-work")
                .endMetadata().withNewSpec().withNodeName(created.node()).addNewContainer().withName("c")
                .withImage("busybox").endContainer().endSpec().build()).create();

        EdgeVmResult released = engine.release(null, "build", progress);

        assertThat(released.state()).isEqualTo(VmState.IDLE);
        assertThat(edge.nodes().withName(created.node()).get().getSpec().getUnschedulable()).isTrue();
        assertThat(edge.pods().inNamespace("default").withName("t5-work").get()).isNull();

        EdgeVmResult other = engine.create(near("build", "demo", MAINZ, false), false, progress);
        EdgeVmResult reused = engine.create(near("test", "acme", MAINZ, false), true, progress);

        assertThat(other.vm()).isNotEqualTo(created.vm());
        assertThat(reused.outcome()).isEqualTo("reused");
        assertThat(reused.vm()).isEqualTo(created.vm());
        assertThat(reused.name()).isEqualTo("test");
        assertThat(reused.state()).isEqualTo(VmState.RUNNING);
        assertThat(edge.nodes().withName(created.node()).get().getSpec().getUnschedulable()).isNull();
        assertThat(engine.inventory().live()).hasSize(2);
    }

    @Test
    void recreatesAVmStuckStartingAfterTheStartTimeoutAndHonoursTheAttemptLimit() {
        EdgeVmEngine engine = engine("t6-");
        kubevirt.fail("edge-frankfurt", "acme-stuck", VmFailure.STUCK_STARTING);
        engine.create(near("stuck", "acme", MAINZ, false), false, progress);
        awaitStatus("acme-stuck", "Starting");

        assertThat(engine.sync(progress)).singleElement().asString().startsWith("wait:");
        clock.advance(Duration.ofMinutes(9));
        assertThat(engine.sync(progress)).singleElement().asString().startsWith("wait:");
        clock.advance(Duration.ofMinutes(1));
        assertThat(engine.sync(progress)).singleElement().asString().startsWith("recreate:").contains("attempt 1 of 2");
        awaitStatus("acme-stuck", "Starting");
        clock.advance(Duration.ofMinutes(10));
        assertThat(engine.sync(progress)).singleElement().asString().contains("attempt 2 of 2");
        awaitStatus("acme-stuck", "Starting");
        clock.advance(Duration.ofMinutes(10));
        assertThat(engine.sync(progress)).singleElement().asString().startsWith("giveup:");

        assertThat(engine.inventory().liveVm("acme-stuck").orElseThrow().state()).isEqualTo(VmState.FAILED);
        // The first boot and two recreations, then nothing more.
        assertThat(kubevirt.boots("edge-frankfurt", "acme-stuck")).isEqualTo(3);
        clock.advance(Duration.ofMinutes(30));
        engine.sync(progress);
        assertThat(kubevirt.boots("edge-frankfurt", "acme-stuck")).isEqualTo(3);
    }

    @Test
    void recoversWhenARecreatedVmBoots() {
        EdgeVmEngine engine = engine("t7-");
        kubevirt.fail("edge-frankfurt", "acme-flaky", VmFailure.CRASH_LOOP, 1);
        engine.create(near("flaky", "acme", MAINZ, false), false, progress);
        awaitStatus("acme-flaky", "CrashLoopBackOff");
        engine.sync(progress);
        clock.advance(Duration.ofMinutes(10));

        assertThat(engine.sync(progress)).singleElement().asString().startsWith("recreate:");
        Await.until("node acme-flaky Ready", null, "acme-flaky", edge.nodes().withField("metadata.name",
                "acme-flaky"), n -> n != null && n.getStatus() != null && n.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())), Duration.ofSeconds(30),
                TEST_RETRY, Progress.silent());
        awaitStatus("acme-flaky", "Running");
        assertThat(engine.sync(progress)).singleElement().asString().startsWith("markjoined:");

        VmRecord record = engine.inventory().liveVm("acme-flaky").orElseThrow();
        assertThat(record.state()).isEqualTo(VmState.RUNNING);
        assertThat(record.attempts()).isZero();
    }

    @Test
    void deleteDrainsRemovesTheNodeDeletesVmAndSecretAndKeepsTheRecord() {
        EdgeVmEngine engine = engine("t8-");
        EdgeVmResult created = engine.create(near("gone", "acme", MAINZ, false), true, progress);
        edge.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("t8-work")
                .endMetadata().withNewSpec().withNodeName(created.node()).addNewContainer().withName("c")
                .withImage("busybox").endContainer().endSpec().build()).create();
        clock.advance(Duration.ofHours(2));

        EdgeVmResult deleted = engine.delete("acme", "gone", progress);

        assertThat(deleted.outcome()).isEqualTo("deleted");
        assertThat(log).anySatisfy(l -> assertThat(l).contains("evicted default/t8-work"));
        assertThat(edge.pods().inNamespace("default").withName("t8-work").get()).isNull();
        assertThat(edge.nodes().withName("acme-gone").get()).isNull();
        assertThat(client.genericKubernetesResources(KubeVirt.VIRTUAL_MACHINE).inNamespace("edge-frankfurt")
                .withName("acme-gone").get()).isNull();
        assertThat(client.secrets().inNamespace("edge-frankfurt").withName("acme-gone-join").get()).isNull();
        VmRecord record = engine.inventory().vms().get(0);
        assertThat(record.state()).isEqualTo(VmState.DELETED);
        assertThat(record.start()).isEqualTo(EdgeFixtures.T0);
        assertThat(record.end()).isEqualTo(EdgeFixtures.T0.plus(Duration.ofHours(2)));
        assertThat(engine.delete("acme", "gone", progress).outcome()).isEqualTo("already-deleted");
    }

    @Test
    void rerunningACreateWritesNothing() {
        EdgeVmEngine engine = engine("t9-");
        engine.create(near("same", "acme", MAINZ, false), true, progress);
        sim.requests().clear();
        edgeSim.requests().clear();

        EdgeVmResult again = engine.create(near("same", "acme", MAINZ, false), true, progress);

        assertThat(again.outcome()).isEqualTo("unchanged");
        assertThat(sim.requests().matching(r -> !r.internal() && !r.isReview())).extracting(ApiRequest::verb).isNotEmpty().isSubsetOf("get", "list", "watch");
        assertThat(edgeSim.requests().matching(r -> !r.internal() && !r.isReview())).extracting(ApiRequest::verb)
                .isSubsetOf("get", "list", "watch");
    }

    @Test
    void usesOnlyWhatTheDocumentedRoleAllows() {
        sim.requests().clear();
        edgeSim.requests().clear();
        EdgeVmEngine engine = engine(onEdgeConnection("t10-", "openyurt"));
        kubevirt.fail("edge-frankfurt", "acme-rbac2", VmFailure.NO_JOIN);
        EdgeVmResult exclusive = engine.create(near("rbac", "acme", MAINZ, true), true, progress);
        engine.create(near("rbac2", "acme", MAINZ, false), false, progress);
        engine.release("acme", "rbac", progress);
        engine.create(near("rbac3", "acme", MAINZ, false), true, progress);
        awaitStatus("acme-rbac2", "Running");
        engine.sync(progress);
        clock.advance(Duration.ofMinutes(6));
        engine.sync(progress);
        engine.delete("acme", "rbac3", progress);

        // on the edge cluster a joining VM registers its own Node (the kubelet's credentials, not the role's)
        List<ResourceRequest> used = java.util.stream.Stream.concat(sim.requests().list().stream(),
                        edgeSim.requests().list().stream()
                                .filter(r -> !(r.verb().equals("create") && r.path().equals("/api/v1/nodes"))))
                .map(r -> ResourceRequest.fromHttp(r.method(), r.pathAndQuery())).flatMap(Optional::stream).toList();
        assertThat(used).isNotEmpty();
        assertThat(RbacPolicy.ofProject().denied(ROLE, used)).isEmpty();
        // The exclusive VM's new edge cluster is an OpenYurt NodePool, and the node joined it.
        assertThat(edge.genericKubernetesResources(KubeVirt.NODE_POOL).withName(exclusive.edgeCluster()).get())
                .isNotNull();
        assertThat(edge.nodes().withName("acme-rbac").get().getMetadata().getLabels())
                .containsEntry("apps.openyurt.io/desired-nodepool", exclusive.edgeCluster());
    }

    @Test
    void ridesOutTransientApiErrorsWhileCreating() {
        EdgeVmEngine engine = engine("t11-");
        sim.faults().failNext(2, "create", ".*/virtualmachines.*", 503);

        EdgeVmResult result = engine.create(near("retry", "acme", MAINZ, false), true, progress);

        assertThat(result.state()).isEqualTo(VmState.RUNNING);
        assertThat(sim.faults().pending()).isZero();
    }

    @Test
    void concurrentCreatesNeverOverrunTheQuota() throws Exception {
        EdgeVmEngine engine = engine("t12-");
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        List<java.util.concurrent.Future<EdgeVmResult>> futures = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String name = "race" + i;
            futures.add(pool.submit(() -> engine.create(EdgeVmRequest.of(name, "demo", 2, "1Gi", "5Gi",
                    "quay.io/containerdisks/ubuntu:22.04", false, MAINZ, null, null, null, null), false, progress)));
        }
        int created = 0;
        int refused = 0;
        for (var f : futures) {
            try {
                f.get();
                created++;
            } catch (java.util.concurrent.ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(InvalidInputException.class).hasMessageContaining("quota");
                refused++;
            }
        }
        pool.shutdown();

        // Tenant demo may hold 6 vCPU: three 2-vCPU VMs, never four.
        assertThat(created).isEqualTo(3);
        assertThat(refused).isEqualTo(1);
        assertThat(engine.inventory().live()).hasSize(3);
    }

    static final io.jenkins.plugins.kubeplatform.engine.kube.ApiRetry TEST_RETRY =
            new io.jenkins.plugins.kubeplatform.engine.kube.ApiRetry(4, Duration.ofMillis(20), Duration.ofMillis(100),
                    d -> Thread.sleep(d.toMillis()));

    static void awaitStatus(String vm, String printableStatus) {
        Await.until("VirtualMachine " + vm + " " + printableStatus, "edge-frankfurt", vm,
                client.genericKubernetesResources(KubeVirt.VIRTUAL_MACHINE).inNamespace("edge-frankfurt")
                        .withField("metadata.name", vm),
                r -> r != null && KubeVirt.printableStatus(r).orElse("").equals(printableStatus),
                Duration.ofSeconds(30), TEST_RETRY, Progress.silent());
    }
}
