package io.jenkins.plugins.kubeplatform.engine.stickyip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.kube.ApiRetry;
import io.jenkins.plugins.kubeplatform.sim.ApiRequest;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import io.jenkins.plugins.kubeplatform.sim.rbac.RbacPolicy;
import io.jenkins.plugins.kubeplatform.sim.rbac.ResourceRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StickyIpDeployerSimTest {

    private static final Set<String> WRITES = Set.of("create", "update", "patch", "delete", "deletecollection");
    private static final String ROLE = "kubeplatform-stickyIpDeploy";

    @TempDir
    Path stateDir;

    private SimulatedCluster sim;
    private final Map<String, IpPool> pools = Map.of(
            "default", Pools.pool("default", "10.42.200.0/24"),
            "small", Pools.pool("small", "10.42.201.0/26"));

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    private SimulatedCluster start(SimOptions.Builder options) {
        sim = SimulatedCluster.start(options.speed(100).build());
        // a real API server refuses objects in namespaces that do not exist
        for (String ns : List.of("shop", "keep", "other", "team")) {
            sim.client().namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                    .withNewMetadata().withName(ns).endMetadata().build()).create();
        }
        sim.requests().clear();
        return sim;
    }

    private IpReservationLedger ledger(Clock clock) {
        return new IpReservationLedger(new JournaledLedgerStore(stateDir.resolve("ip-ledger")), clock, new Random(1));
    }

    private StickyIpDeployer deployer() {
        return new StickyIpDeployer(sim.client(), pools, ledger(Clock.systemUTC()), fastRetry());
    }

    /**
     * A deployer on {@code client} with the pool {@code default} (10.42.200.0/24) and a journaled ledger in
     * {@code stateDir}, as the simulated-cluster tests of one deploy use it.
     */
    static StickyIpDeployer onDefaultPool(io.fabric8.kubernetes.client.KubernetesClient client, Path stateDir) {
        return new StickyIpDeployer(client, Map.of("default", Pools.pool("default", "10.42.200.0/24")),
                new IpReservationLedger(new JournaledLedgerStore(stateDir.resolve("ip-ledger")), Clock.systemUTC(),
                        new Random(1)), fastRetry());
    }

    static ApiRetry fastRetry() {
        return new ApiRetry(4, Duration.ofMillis(20), Duration.ofMillis(100), d -> Thread.sleep(d.toMillis()));
    }

    private static DeployRequest web(String ns, int replicas) {
        return DeployRequest.of(ns, "web", "registry.example.com/web:1", replicas, 8080, "default")
                .withTimeout(Duration.ofSeconds(60));
    }

    private List<Pod> readyPods(String ns, String app, int count) throws Exception {
        return sim.client().pods().inNamespace(ns).withLabel(StickyIpLabels.NAME, app)
                .informOnCondition(pods -> pods.stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null
                        && runningAndReady(p)).count() == count)
                .get(30, TimeUnit.SECONDS).stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    }

    /** Ready as the kubelet reports it, judged here rather than by the code under test. */
    private static boolean runningAndReady(Pod p) {
        return p.getStatus() != null && "Running".equals(p.getStatus().getPhase()) && p.getStatus().getPodIP() != null
                && p.getStatus().getConditions() != null && p.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** Inside 10.42.200.0/24 and neither its network nor its broadcast address: plain arithmetic on the octets. */
    private static boolean inDefaultPool(String ip) {
        String[] o = ip.split("\\.");
        if (o.length != 4 || !(o[0] + "." + o[1] + "." + o[2]).equals("10.42.200")) {
            return false;
        }
        int last = Integer.parseInt(o[3]);
        return last >= 1 && last <= 254;
    }

    private void assertAllowedByRole() {
        List<ResourceRequest> requests = sim.requests().list().stream()
                .map(r -> ResourceRequest.fromHttp(r.method(), r.pathAndQuery()))
                .flatMap(Optional::stream).toList();
        assertThat(requests).isNotEmpty();
        assertThat(RbacPolicy.ofProject().denied(ROLE, requests)).as("requests outside docs/rbac.yaml " + ROLE).isEmpty();
    }

    @Test
    void givesThreeReplicasDistinctInPoolAddressesAndKeepsThemWhenEveryPodIsDeleted() throws Exception {
        start(SimOptions.builder());
        DeployResult first = deployer().deploy(web("shop", 3), Progress.silent());
        assertAllowedByRole();

        assertThat(first.ips()).hasSize(3).doesNotHaveDuplicates().allMatch(StickyIpDeployerSimTest::inDefaultPool);
        assertThat(readyPods("shop", "web", 3)).as("the pods run with the reported addresses")
                .extracting(p -> p.getStatus().getPodIP()).containsExactlyInAnyOrderElementsOf(first.ips());
        Map<String, String> nodeByIp = new java.util.HashMap<>();
        first.identities().forEach(r -> nodeByIp.put(r.ip(), r.node()));
        assertThat(new HashSet<>(nodeByIp.values())).as("spread over nodes").hasSize(3);

        sim.client().pods().inNamespace("shop").withLabel(StickyIpLabels.NAME, "web").delete();
        List<Pod> back = readyPods("shop", "web", 3);

        assertThat(back).extracting(p -> p.getStatus().getPodIP()).containsExactlyInAnyOrderElementsOf(first.ips());
        for (Pod p : back) {
            assertThat(p.getSpec().getNodeName()).as(p.getMetadata().getName())
                    .isEqualTo(nodeByIp.get(p.getStatus().getPodIP()));
        }
    }

    @Test
    void keepsTheAddressesWhenRedeployingANewImage() {
        start(SimOptions.builder());
        DeployResult first = deployer().deploy(web("shop", 3), Progress.silent());

        DeployResult second = deployer().deploy(web("shop", 3).withImage("registry.example.com/web:2"), Progress.silent());

        assertThat(second.ips()).containsExactlyElementsOf(first.ips());
        assertThat(second.changed()).isTrue();
        List<Pod> pods = sim.client().pods().inNamespace("shop").withLabel(StickyIpLabels.NAME, "web").list().getItems();
        assertThat(pods).filteredOn(p -> p.getMetadata().getDeletionTimestamp() == null)
                .allMatch(p -> p.getSpec().getContainers().get(0).getImage().equals("registry.example.com/web:2"));
        assertAllowedByRole();
    }

    @Test
    void performsNoWritesWhenAnUnchangedDeployRunsAgain() {
        start(SimOptions.builder());
        DeployResult first = deployer().deploy(web("shop", 2), Progress.silent());
        sim.requests().clear();

        DeployResult again = deployer().deploy(web("shop", 2), Progress.silent());

        List<ApiRequest> writes = sim.requests().matching(StickyIpDeployerSimTest::isWrite);
        assertThat(writes).as("writes on an unchanged re-run").isEmpty();
        assertThat(again.changed()).isFalse();
        assertThat(again.ips()).containsExactlyElementsOf(first.ips());
    }

    private static boolean isWrite(ApiRequest r) {
        return !r.internal() && !r.isReview() && WRITES.contains(r.verb());
    }

    @Test
    void bringsAFailedNodesIdentityBackElsewhereWithItsAddress() throws Exception {
        start(SimOptions.builder());
        DeployResult first = deployer().deploy(web("shop", 3), Progress.silent());
        DeployResult.IdentityResult victim = first.identities().get(0);

        sim.nodes().fail(victim.node());
        // No kubelet confirms that the pod on an unreachable node stopped: on a real cluster it stays (Terminating once
        // the taint manager evicts it) and its address stays assigned in the CNI until an operator force-deletes it,
        // as the Kubernetes guide for pods on a failed node says (or the node object is deleted).
        for (Pod stranded : sim.client().pods().inNamespace("shop").withLabel(StickyIpLabels.IDENTITY, "web-0").list()
                .getItems()) {
            sim.client().pods().inNamespace("shop").withName(stranded.getMetadata().getName()).withGracePeriod(0)
                    .delete();
        }
        Pod moved = sim.client().pods().inNamespace("shop").withLabel(StickyIpLabels.IDENTITY, "web-0")
                .informOnCondition(pods -> pods.stream().anyMatch(p -> p.getMetadata().getDeletionTimestamp() == null
                        && runningAndReady(p) && !victim.node().equals(p.getSpec().getNodeName())))
                .get(60, TimeUnit.SECONDS).stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null && runningAndReady(p))
                .findFirst().orElseThrow();

        assertThat(moved.getStatus().getPodIP()).isEqualTo(victim.ip());
        DeployResult again = deployer().deploy(web("shop", 3), Progress.silent());
        assertThat(again.identities().get(0).ip()).isEqualTo(victim.ip());
        assertThat(again.identities().get(0).node()).isNotEqualTo(victim.node());
    }

    @Test
    void bringsAFailedNodesIdentityBackWithItsAddressOnceTheNodeIsTaintedOutOfService() throws Exception {
        start(SimOptions.builder()); // speed 100: the 300 s default toleration of the unreachable taint passes in 3 s
        DeployResult first = deployer().deploy(web("shop", 3), Progress.silent());
        DeployResult.IdentityResult victim = first.identities().get(0);
        String oldPod = readyPods("shop", "web", 3).stream()
                .filter(p -> victim.ip().equals(p.getStatus().getPodIP())).findFirst().orElseThrow()
                .getMetadata().getName();

        sim.nodes().fail(victim.node());

        // The evicted pod stays Terminating (no kubelet confirms it stopped), so its address stays assigned and the
        // identity's new pod cannot get it.
        Event refused = sim.client().v1().events().inNamespace("shop")
                .informOnCondition(events -> events.stream().anyMatch(e -> isAddressTaken(e, oldPod)))
                .get(60, TimeUnit.SECONDS).stream().filter(e -> isAddressTaken(e, oldPod)).findFirst().orElseThrow();
        Pod waiting = sim.client().pods().inNamespace("shop").withName(refused.getInvolvedObject().getName()).get();
        assertThat(waiting.getMetadata().getLabels()).containsEntry(StickyIpLabels.IDENTITY, "web-0");
        assertThat(waiting.getStatus().getPodIP()).isNull();
        Pod stranded = sim.client().pods().inNamespace("shop").withName(oldPod).get();
        assertThat(stranded.getMetadata().getDeletionTimestamp()).as("the old pod is Terminating").isNotNull();

        // kubectl taint nodes NODE node.kubernetes.io/out-of-service=nodeshutdown:NoExecute
        sim.client().nodes().withName(victim.node()).edit(n -> {
            List<Taint> taints = new ArrayList<>(n.getSpec().getTaints());
            taints.add(new TaintBuilder().withKey("node.kubernetes.io/out-of-service").withValue("nodeshutdown")
                    .withEffect("NoExecute").build());
            n.getSpec().setTaints(taints);
            return n;
        });

        Pod moved = sim.client().pods().inNamespace("shop").withLabel(StickyIpLabels.IDENTITY, "web-0")
                .informOnCondition(pods -> pods.size() == 1 && runningAndReady(pods.get(0)))
                .get(60, TimeUnit.SECONDS).get(0);
        assertThat(moved.getMetadata().getName()).isEqualTo(waiting.getMetadata().getName());
        assertThat(moved.getStatus().getPodIP()).isEqualTo(victim.ip());
        assertThat(moved.getSpec().getNodeName()).isNotEqualTo(victim.node());
    }

    /** Calico's refusal of an address that another pod holds, reported for a pod other than {@code holder}. */
    private static boolean isAddressTaken(Event e, String holder) {
        return "FailedCreatePodSandBox".equals(e.getReason()) && !holder.equals(e.getInvolvedObject().getName())
                && e.getMessage() != null && e.getMessage().contains("Address already assigned");
    }

    @Test
    void keepsScaledDownIdentitiesIdleInAKeepNamespaceUntilReclaimAfter() {
        start(SimOptions.builder());
        deployer().deploy(web("keep", 3), Progress.silent());

        DeployResult down = deployer().deploy(web("keep", 1), Progress.silent());

        assertThat(down.removed()).containsExactly("keep/web-1", "keep/web-2");
        assertThat(sim.client().apps().deployments().inNamespace("keep").list().getItems())
                .extracting(d -> d.getMetadata().getName()).containsExactly("web-0");
        List<Reservation> idle = ledger(Clock.systemUTC()).list().stream().filter(Reservation::isIdle).toList();
        assertThat(idle).extracting(Reservation::identity).containsExactly("keep/web-1", "keep/web-2");

        Instant idleSince = idle.get(0).idleSince();
        var soon = ReservationCollector.create(sim.client(), fastRetry(), ledger(Clock.systemUTC()), pools,
                Clock.fixed(idleSince.plus(Duration.ofMinutes(59)), ZoneOffset.UTC)).collect(Progress.silent());
        assertThat(soon.released()).isEmpty();
        var later = ReservationCollector.create(sim.client(), fastRetry(), ledger(Clock.systemUTC()), pools,
                Clock.fixed(idleSince.plus(Duration.ofMinutes(61)), ZoneOffset.UTC)).collect(Progress.silent());
        assertThat(later.released()).extracting(Reservation::identity).containsExactlyInAnyOrder("keep/web-1", "keep/web-2");
        assertAllowedByRole();
    }

    @Test
    void releasesScaledDownAddressesOutsideKeepNamespaces() {
        start(SimOptions.builder());
        deployer().deploy(web("shop", 2), Progress.silent());

        deployer().deploy(web("shop", 1), Progress.silent());

        assertThat(ledger(Clock.systemUTC()).list()).extracting(Reservation::identity).containsExactly("shop/web-0");
    }

    @Test
    void neverAllocatesAnAddressUsedByAPodItDidNotCreate() throws Exception {
        start(SimOptions.builder());
        sim.client().pods().inNamespace("other").resource(new PodBuilder()
                .withNewMetadata().withName("squatter").withNamespace("other")
                    .addToAnnotations("cni.projectcalico.org/ipAddrs", "[\"10.42.200.1\"]").endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer().endSpec()
                .build()).create();
        sim.client().pods().inNamespace("other").withName("squatter")
                .waitUntilCondition(p -> p != null && p.getStatus() != null
                        && "10.42.200.1".equals(p.getStatus().getPodIP()), 30, TimeUnit.SECONDS);

        DeployResult result = deployer().deploy(web("shop", 2), Progress.silent());

        assertThat(result.ips()).doesNotContain("10.42.200.1");
        PodAdopter.Report sync = new PodAdopter(sim.client(), fastRetry(), ledger(Clock.systemUTC()), pools,
                Clock.systemUTC()).sync(Progress.silent());
        assertThat(sync.adopted()).extracting(Reservation::identity).containsExactly("adopted:other/squatter");
    }

    @Test
    void concurrentDeploysOfDifferentAppsIntoOneSmallPoolNeverShareAnAddress() throws Exception {
        start(SimOptions.builder().nodes(4));
        ExecutorService executor = Executors.newFixedThreadPool(32);
        List<Future<DeployResult>> futures = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            DeployRequest request = DeployRequest.of("team", "app" + i, "registry.example.com/app:1", 1, 8080, "small")
                    .withTimeout(Duration.ofSeconds(60));
            // one deployer per build, as concurrent builds have; one ledger directory
            StickyIpDeployer deployer = new StickyIpDeployer(sim.client(), pools, ledger(Clock.systemUTC()), fastRetry());
            futures.add(executor.submit(() -> deployer.deploy(request, Progress.silent())));
        }
        List<String> ips = new ArrayList<>();
        for (Future<DeployResult> f : futures) {
            ips.addAll(f.get(120, TimeUnit.SECONDS).ips());
        }
        executor.shutdown();

        assertThat(ips).hasSize(32).doesNotHaveDuplicates();
        sim.requests().clear();
        DeployRequest tooMany = DeployRequest.of("team", "big", "registry.example.com/app:1", 40, 8080, "small");
        assertThatThrownBy(() -> deployer().deploy(tooMany, Progress.silent()))
                .isInstanceOf(PoolExhaustedException.class)
                .hasMessageContaining("Pool 'small'").hasMessageContaining("Nothing was reserved or applied");
        assertThat(sim.requests().matching(StickyIpDeployerSimTest::isWrite)).isEmpty();
        assertThat(ledger(Clock.systemUTC()).list()).hasSize(32);
    }

    @Test
    void pinsAddressesWithKubeOvnAnnotations() {
        start(SimOptions.builder().cni(io.jenkins.plugins.kubeplatform.sim.Cni.KUBE_OVN));
        Map<String, IpPool> ovn = Map.of("default", PoolSettings.builder("default").ranges("10.42.200.0/24")
                .cni("kube-ovn").build().toPool());

        DeployResult result = new StickyIpDeployer(sim.client(), ovn, ledger(Clock.systemUTC()), fastRetry())
                .deploy(web("shop", 2), Progress.silent());

        assertThat(result.ips()).containsExactly("10.42.200.1", "10.42.200.2");
        assertThat(sim.client().apps().deployments().inNamespace("shop").withName("web-0").get().getSpec().getTemplate()
                .getMetadata().getAnnotations()).containsEntry("ovn.kubernetes.io/ip_address", "10.42.200.1");
    }

    @Test
    void explainsAnImageThatCannotBePulled() {
        start(SimOptions.builder());

        assertThatThrownBy(() -> deployer().deploy(web("shop", 1).withImage("registry.example.com/fail-pull:1"),
                Progress.silent()))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("Pod shop/web-0-").hasMessageContaining("expected IP 10.42.200.1")
                .hasMessageContaining("ErrImagePull").hasMessageContaining("image cannot be pulled");
    }

    /** The file ledger, except that once {@link #failing} is set every write fails as a full disk would. */
    private static final class FailingWrites implements LedgerStore {
        private final LedgerStore delegate;
        private volatile boolean failing;

        FailingWrites(LedgerStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public <R> R read(java.util.function.Function<LedgerView, R> query) {
            return delegate.read(query);
        }

        @Override
        public <R> R update(java.util.function.Function<LedgerView, Decision<R>> decide) {
            if (failing) {
                throw new io.jenkins.plugins.kubeplatform.engine.store.StoreException(
                        "Could not write the IP ledger journal: No space left on device", null);
            }
            return delegate.update(decide);
        }
    }

    @Test
    void reportsTheRolloutsFailureWithTheLedgerFailureSuppressedWhenRecordingTheNodesAlsoFails() {
        start(SimOptions.builder());
        FailingWrites store = new FailingWrites(new JournaledLedgerStore(stateDir.resolve("ip-ledger")));
        Progress armsOnRollout = new Progress() {
            @Override public void plan(String text) { }
            @Override public void step(String text) {
                if (text.contains("creating workload")) {
                    store.failing = true; // the addresses are reserved; the next write is recordNodes after the rollout
                }
            }
            @Override public void waiting(String text) { }
            @Override public void warn(String text) { }
        };
        StickyIpDeployer deployer = new StickyIpDeployer(sim.client(), pools,
                new IpReservationLedger(store, Clock.systemUTC(), new Random(1)), fastRetry());

        assertThatThrownBy(() -> deployer.deploy(web("shop", 1).withImage("registry.example.com/fail-pull:1"),
                armsOnRollout))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("ErrImagePull")
                .satisfies(e -> assertThat(e.getSuppressed()).singleElement(
                        org.assertj.core.api.InstanceOfAssertFactories.THROWABLE)
                        .isInstanceOf(io.jenkins.plugins.kubeplatform.engine.store.StoreException.class)
                        .hasMessageContaining("No space left on device"));
        assertThat(store.failing).as("the rollout started").isTrue();
    }

    @Test
    void explainsAnAddressTheCniDoesNotServe() {
        start(SimOptions.builder());
        // the SIP-13 pre-check would refuse this pool first (CniGuardSimTest); off, the pod shows what happens
        Map<String, IpPool> outside = Map.of("default", PoolSettings.builder("default").ranges("10.99.0.0/24")
                .reclaimAfter("1h").cniCheck("off").build().toPool());

        assertThatThrownBy(() -> new StickyIpDeployer(sim.client(), outside, ledger(Clock.systemUTC()), fastRetry())
                .deploy(web("shop", 1).withTimeout(Duration.ofSeconds(3)), Progress.silent()))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("expected IP 10.99.0.1").hasMessageContaining("Likely cause");
    }
}
