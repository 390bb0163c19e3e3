package io.jenkins.plugins.kubeplatform.engine.repair;

import static io.jenkins.plugins.kubeplatform.engine.repair.RepairSimCluster.N1;
import static io.jenkins.plugins.kubeplatform.engine.repair.RepairSimCluster.N2;
import static io.jenkins.plugins.kubeplatform.engine.repair.RepairSimCluster.N3;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.kube.ApiRetry;
import io.jenkins.plugins.kubeplatform.sim.ApiRequest;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import io.jenkins.plugins.kubeplatform.sim.rbac.RbacPolicy;
import io.jenkins.plugins.kubeplatform.sim.rbac.ResourceRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The repair engine end to end against the simulated cluster (eviction with disruption budgets, faults, leases). */
class NodeRepairSimTest {

    static final RepairSettings FAST = RepairSimCluster.fastSettings().build();

    RepairSimCluster cluster;
    SimulatedCluster sim;
    KubernetesClient client;
    final List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();
    final Progress progress = Progress.lines(log::add);
    final ApiRetry retry = RepairSimCluster.retry();

    @BeforeEach
    void start() {
        cluster = RepairSimCluster.start();
        sim = cluster.sim;
        client = cluster.client;
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    NodeRepairer repairer() {
        return new NodeRepairer(client, retry, FAST, Clock.systemUTC());
    }

    @Test
    void drainsRepairsAndReturnsANodeWithoutBreakingTheServiceOrTheBudget() throws Exception {
        ServingApp app = new ServingApp(3, N1, N2);
        sim.addController(app);
        client.services().inNamespace("default").resource(new ServiceBuilder().withNewMetadata().withName("web")
                .endMetadata().withNewSpec().addToSelector("app", "web").addToSelector(ServingApp.TRAFFIC, "on")
                .addNewPort().withPort(80).endPort().endSpec().build()).create();
        client.policy().v1().podDisruptionBudget().inNamespace("default").resource(new PodDisruptionBudgetBuilder()
                .withNewMetadata().withName("web-pdb").endMetadata().withNewSpec().withMinAvailable(new IntOrString(2))
                .withNewSelector().addToMatchLabels("app", "web").endSelector().endSpec().build()).create();
        for (int i = 1; i <= 3; i++) {
            io.jenkins.plugins.kubeplatform.sim.SimPods.createWithStatus(client, ServingApp.webPod("web-" + i, N1, true));
        }
        cluster.createPod("batch-1", N1, "Job", "batch");
        cluster.createPod("logs-1", N1, "DaemonSet", "logs");
        await(() -> endpointsOn(N1) == 3, "three web endpoints on " + N1);
        app.resetMinimum();
        sim.requests().clear();

        List<String> podsWhenRepaired = new ArrayList<>();
        CompletableFuture<RepairResult> run = CompletableFuture.supplyAsync(() -> call(() -> repairer().repair(
                RepairRequest.of(N1, "test/happy#1"), (node, p) -> podsWhenRepaired.addAll(podNames(node)), progress)));

        await(() -> cluster.state(N1).equals("WAITING_FOR_TASKS"), "waiting for tasks");
        assertThat(evictions()).as("no eviction before the tasks finished").isEmpty();
        assertThat(app.leftRepairedNodeAt).as("serving pods left the endpoints").isNotNull();
        assertThat(podNames(N1)).contains("web-1", "web-2", "web-3", "batch-1");
        assertThat(client.pods().inNamespace("default").withName("web-1").get().getMetadata().getLabels())
                .doesNotContainKey(ServingApp.TRAFFIC);

        cluster.finishJob("batch-1");
        RepairResult result = run.get(60, TimeUnit.SECONDS);

        assertThat(result.outcome()).as(result.message()).isEqualTo(RepairOutcome.REPAIRED);
        assertThat(podsWhenRepaired).containsExactly("logs-1");
        Node node = client.nodes().withName(N1).get();
        assertThat(node.getSpec().getUnschedulable()).isNotEqualTo(Boolean.TRUE);
        assertThat(taints(node)).doesNotContain(RepairSettings.TAINT_KEY);
        assertThat(node.getMetadata().getAnnotations()).doesNotContainKey(MaintenanceRecord.ANNOTATION);
        assertThat(podNames(N1)).containsExactly("logs-1");
        assertThat(client.pods().inNamespace("default").withLabel("app", "web").list().getItems())
                .hasSize(3).allSatisfy(p -> assertThat(p.getSpec().getNodeName()).isEqualTo(N2));
        assertThat(app.minReady).as("the budget's two ready replicas were never violated").isGreaterThanOrEqualTo(2);
        assertThat(evictions()).as("some evictions were refused by the budget and retried")
                .anySatisfy(r -> assertThat(r.status()).isEqualTo(429));
        assertThat(evictions()).noneMatch(r -> r.name().equals("logs-1"));
        assertThat(evictions().get(0).at()).isAfterOrEqualTo(app.leftRepairedNodeAt.minusMillis(1));
        assertThat(result.timeline()).extracting(TimelineEntry::state).containsSubsequence("CORDONED", "DEREGISTERING",
                "WAITING_FOR_TASKS", "DRAINING", "REPAIRING", "VERIFYING", "RELEASED");
        assertThat(log).anyMatch(l -> l.startsWith("[wait]") && l.contains("blocked by disruption budgets")
                && l.contains("default/web-pdb"));
        assertLeaseFree();
        assertOnlyDocumentedRbac();
    }

    @Test
    void leavesTheNodeCordonedWithTheReasonWhenTheRepairFails() throws Exception {
        RepairResult result = repairer().repair(RepairRequest.of(N1, "test/fail#1"), (node, p) -> {
            throw new IllegalStateException("disk /dev/sdb still read-only");
        }, progress);

        assertThat(result.outcome()).isEqualTo(RepairOutcome.FAILED);
        assertThat(result.message()).contains("disk /dev/sdb still read-only").contains("stays cordoned");
        Node node = client.nodes().withName(N1).get();
        assertThat(node.getSpec().getUnschedulable()).isTrue();
        assertThat(taints(node)).contains(RepairSettings.TAINT_KEY);
        MaintenanceRecord record = MaintenanceRecord.parse(node.getMetadata().getAnnotations()
                .get(MaintenanceRecord.ANNOTATION)).orElseThrow();
        assertThat(record.state()).isEqualTo(MaintenanceState.FAILED);
        assertThat(record.reason()).isEqualTo("repair failed: disk /dev/sdb still read-only");
        assertLeaseFree();
    }

    @Test
    void keepsANodeCordonedThatWasCordonedBeforeTheRepair() throws Exception {
        client.nodes().withName(N3).edit(n -> {
            n.getSpec().setUnschedulable(true);
            return n;
        });
        RepairResult result = repairer().repair(RepairRequest.of(N3, "test/cordoned#1"), (node, p) -> { }, progress);

        assertThat(result.outcome()).isEqualTo(RepairOutcome.REPAIRED);
        assertThat(result.message()).contains("left cordoned because it was cordoned before");
        Node node = client.nodes().withName(N3).get();
        assertThat(node.getSpec().getUnschedulable()).isTrue();
        assertThat(taints(node)).doesNotContain(RepairSettings.TAINT_KEY);
        assertThat(node.getMetadata().getAnnotations()).doesNotContainKey(MaintenanceRecord.ANNOTATION);
    }

    @Test
    void makesASecondRepairInThePoolWaitForTheLease() throws Exception {
        CountDownLatch firstMayFinish = new CountDownLatch(1);
        CompletableFuture<RepairResult> first = CompletableFuture.supplyAsync(() -> call(() -> repairer().repair(
                RepairRequest.of(N1, "test/first#1"),
                (node, p) -> assertThat(firstMayFinish.await(60, TimeUnit.SECONDS)).isTrue(), progress)));
        await(() -> cluster.state(N1).equals("REPAIRING"), "first repair running");

        CompletableFuture<RepairResult> second = CompletableFuture.supplyAsync(() -> call(() -> repairer().repair(
                RepairRequest.of(N2, "test/second#1"), (node, p) -> { }, progress)));
        await(() -> log.stream().anyMatch(l -> l.contains(N2 + ": waiting for a repair slot")), "second waiting");
        assertThat(client.nodes().withName(N2).get().getSpec().getUnschedulable()).isNotEqualTo(Boolean.TRUE);

        firstMayFinish.countDown();
        RepairResult a = first.get(30, TimeUnit.SECONDS);
        RepairResult b = second.get(30, TimeUnit.SECONDS);
        assertThat(a.outcome()).isEqualTo(RepairOutcome.REPAIRED);
        assertThat(b.outcome()).isEqualTo(RepairOutcome.REPAIRED);
        Instant firstReleased = a.timeline().get(a.timeline().size() - 1).at();
        Instant secondCordoned = b.timeline().stream().filter(e -> e.state().equals("CORDONED")).findFirst()
                .orElseThrow().at();
        assertThat(secondCordoned).isAfterOrEqualTo(firstReleased);
    }

    @Test
    void takesOverANodeWhoseOwnerLeaseExpired() throws Exception {
        Instant longAgo = Instant.now().minus(Duration.ofHours(1));
        leaveBehind(N1, "ghost", MaintenanceState.DRAINING, longAgo);

        RepairResult result = repairer().repair(RepairRequest.of(N1, "test/takeover#1"), (node, p) -> { }, progress);

        assertThat(result.outcome()).as(result.message()).isEqualTo(RepairOutcome.REPAIRED);
        assertThat(result.timeline()).anySatisfy(e -> assertThat(e.what()).contains("taken over from ghost"));
        assertThat(client.nodes().withName(N1).get().getSpec().getUnschedulable()).isNotEqualTo(Boolean.TRUE);
    }

    @Test
    void refusesANodeWhoseOwnerLeaseIsLive() throws Exception {
        leaveBehind(N1, "ghost", MaintenanceState.DRAINING, Instant.now());

        RepairResult result = repairer().repair(RepairRequest.of(N1, "test/refused#1"), (node, p) -> { }, progress);

        assertThat(result.outcome()).isEqualTo(RepairOutcome.REFUSED);
        assertThat(result.message()).contains("in maintenance by ghost");
        assertThat(cluster.state(N1)).isEqualTo("DRAINING");
    }

    @Test
    void continuesFromTheRecordedStateWhenTheFirstSessionIsAbandonedMidWait() throws Exception {
        cluster.createPod("batch-1", N1, "Job", "batch");
        RepairSession killed = new RepairSession(client, retry, FAST, Clock.systemUTC(),
                RepairRequest.of(N1, "cli:ops@host"), progress);
        SessionStep step = killed.step();
        assertThat(step).isInstanceOf(SessionStep.Waiting.class);
        assertThat(cluster.state(N1)).isEqualTo("WAITING_FOR_TASKS");
        cluster.finishJob("batch-1");

        RepairResult result = repairer().repair(RepairRequest.of(N1, "cli:ops@host"), (node, p) -> { }, progress);

        assertThat(result.outcome()).isEqualTo(RepairOutcome.REPAIRED);
        assertThat(result.timeline()).extracting(TimelineEntry::state).doesNotContain("CORDONED", "DEREGISTERING")
                .startsWith("DRAINING");
        assertThat(client.nodes().withName(N1).get().getSpec().getUnschedulable()).isNotEqualTo(Boolean.TRUE);
    }

    @Test
    void resumesFromTheRecordedStateWhenTheApiFailsInTheMiddleOfTheDrain() throws Exception {
        cluster.createPod("other-1", N1, "ReplicaSet", "other");
        // more failures than the policy retries: the first run fails part-way, in the drain
        sim.faults().failNext(6, "create", "/eviction$", 503);

        RepairResult failed;
        try {
            failed = repairer().repair(RepairRequest.of(N1, "test/midway#1"), (node, p) -> { }, progress);
        } catch (RuntimeException e) {
            failed = null;
        }

        if (failed != null) {
            assertThat(failed.outcome()).as(failed.message()).isNotEqualTo(RepairOutcome.REPAIRED);
        }
        Node half = client.nodes().withName(N1).get();
        assertThat(half.getSpec().getUnschedulable()).as("left cordoned: a safe state").isTrue();
        assertThat(half.getMetadata().getAnnotations()).as("the state is recorded on the node")
                .containsKey(MaintenanceRecord.ANNOTATION);
        assertThat(podNames(N1)).contains("other-1");
        assertThat(sim.faults().pending()).isZero();

        RepairResult resumed = repairer().repair(RepairRequest.of(N1, "test/midway#1"), (node, p) -> { }, progress);

        assertThat(resumed.outcome()).as(resumed.message()).isEqualTo(RepairOutcome.REPAIRED);
        assertThat(resumed.timeline()).extracting(TimelineEntry::state).doesNotContain("CORDONED")
                .contains("DRAINING", "RELEASED");
        assertThat(podNames(N1)).doesNotContain("other-1");
        assertThat(client.nodes().withName(N1).get().getSpec().getUnschedulable()).isNotEqualTo(Boolean.TRUE);
        assertLeaseFree();
    }

    @Test
    void leavesTheNodeCordonedAndSaysSoWhenInterrupted() throws Exception {
        cluster.createPod("batch-1", N1, "Job", "batch");
        Thread[] runner = new Thread[1];
        CompletableFuture<Throwable> run = CompletableFuture.supplyAsync(() -> {
            runner[0] = Thread.currentThread();
            try {
                repairer().repair(RepairRequest.of(N1, "test/abort#1"), (node, p) -> { }, progress);
                return null;
            } catch (InterruptedException e) {
                return e;
            }
        });
        await(() -> cluster.state(N1).equals("WAITING_FOR_TASKS"), "waiting for tasks");
        runner[0].interrupt();

        assertThat(run.get(30, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
        Node node = client.nodes().withName(N1).get();
        assertThat(node.getSpec().getUnschedulable()).isTrue();
        assertThat(taints(node)).contains(RepairSettings.TAINT_KEY);
        assertThat(cluster.state(N1)).isEqualTo("ABORTED");
        assertThat(log).anyMatch(l -> l.contains("aborted in WAITING_FOR_TASKS: interrupted"));
        assertThat(client.pods().inNamespace("default").withName("batch-1").get()).isNotNull();
        assertLeaseFree();
    }

    @Test
    void drivesTwoWaitingRepairsFromOneThreadWithoutBlockingIt() throws Exception {
        // long waits (tasks up to 60 s, looked at every 30 s): a step that sat one out would take 30 s, far over the bound
        RepairSettings two = RepairSimCluster.fastSettings().maxConcurrent(2).leaseTtl(Duration.ofSeconds(120))
                .taskTimeout(Duration.ofSeconds(60)).recheckInterval(Duration.ofSeconds(30)).build();
        Duration bound = Duration.ofSeconds(10);
        cluster.createPod("batch-1", N1, "Job", "batch");
        cluster.createPod("batch-2", N2, "Job", "batch");
        List<RepairSession> sessions = List.of(
                new RepairSession(client, retry, two, Clock.systemUTC(), RepairRequest.of(N1, "test/a#1"), progress),
                new RepairSession(client, retry, two, Clock.systemUTC(), RepairRequest.of(N2, "test/b#1"), progress));
        long[] slowestStep = {0};
        boolean[] jobsFinished = {false};
        List<Duration> taskWaits = Collections.synchronizedList(new ArrayList<>());
        // one driver thread, like the plugin's: each round steps every unfinished session once
        Awaitility.await("both repairs finish").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    for (RepairSession s : sessions) {
                        if (s.result().isPresent()) {
                            continue;
                        }
                        long t = System.nanoTime();
                        SessionStep step = s.step();
                        slowestStep[0] = Math.max(slowestStep[0], System.nanoTime() - t);
                        if (step instanceof SessionStep.RepairNeeded) {
                            s.repairFinished(true, "");
                        } else if (step instanceof SessionStep.Waiting w && !jobsFinished[0]) {
                            taskWaits.add(w.atMost());
                        }
                    }
                    if (!jobsFinished[0] && cluster.state(N1).equals("WAITING_FOR_TASKS") && cluster.state(N2).equals("WAITING_FOR_TASKS")) {
                        jobsFinished[0] = true;
                        cluster.finishJob("batch-1");
                        cluster.finishJob("batch-2");
                    }
                    return sessions.stream().allMatch(s -> s.result().isPresent());
                });

        assertThat(jobsFinished[0]).as("both waited for their tasks at the same time").isTrue();
        assertThat(taskWaits).as("pre-condition: the waits handed back are longer than the bound")
                .anyMatch(d -> d.compareTo(bound) > 0);
        assertThat(sessions).allSatisfy(s -> assertThat(s.result().orElseThrow().outcome())
                .isEqualTo(RepairOutcome.REPAIRED));
        assertThat(Duration.ofNanos(slowestStep[0])).as("no step sat out a wait").isLessThan(bound);
    }

    @Test
    void retriesInjectedServerErrorsAndThrottling() throws Exception {
        sim.faults().failNext(2, "update", "/api/v1/nodes/" + N1 + "$", 500);
        sim.faults().failNext(1, "list", "/leases$", 429);
        sim.faults().failNext(1, "create", "/eviction$", 503);
        cluster.createPod("other-1", N1, "ReplicaSet", "other");

        RepairResult result = repairer().repair(RepairRequest.of(N1, "test/faults#1"), (node, p) -> { }, progress);

        assertThat(result.outcome()).as(result.message()).isEqualTo(RepairOutcome.REPAIRED);
        assertThat(sim.faults().pending()).isZero();
        assertThat(sim.requests().list()).filteredOn(r -> r.status() >= 429).hasSize(4);
    }

    @Test
    void findsFaultyNodesOfThePoolAndRepairsThemOneAtATime() throws Exception {
        sim.nodes().fail(N2);
        cluster.setCondition(N3, "KernelDeadlock", "True");
        DetectRules rules = new DetectRules(Duration.ofSeconds(1), List.of("KernelDeadlock"), List.of());
        // the repairer's clock runs a minute ahead: both faults have lasted longer than the rule's second, no sleeping
        NodeRepairer later = new NodeRepairer(client, retry, FAST, Clock.offset(Clock.systemUTC(), Duration.ofMinutes(1)));

        ScheduledReport report = later.repairFaulty("default", rules, "test/cron#1", (node, p) -> {
            if (node.equals(N2)) {
                sim.nodes().recover(N2);
            } else {
                cluster.setCondition(N3, "KernelDeadlock", "False");
            }
        }, progress);

        assertThat(report.nodesChecked()).isEqualTo(3);
        assertThat(report.nodes()).extracting(ScheduledReport.Entry::node).containsExactly(N2, N3);
        assertThat(report.nodes()).allSatisfy(e -> assertThat(e.outcome()).isEqualTo("REPAIRED"));
        assertThat(report.nodes().get(1).faults()).containsExactly("KernelDeadlock=True (Test)");
        Instant n2Released = last(report.nodes().get(0).timeline()).at();
        Instant n3Started = report.nodes().get(1).timeline().get(0).at();
        assertThat(n3Started).as("one at a time").isAfterOrEqualTo(n2Released);
        assertThat(sim.nodes().isReady(N2)).isTrue();
    }

    // ---- helpers

    private void leaveBehind(String node, String owner, MaintenanceState state, Instant renewed) {
        MaintenanceRecord record = new MaintenanceRecord(owner, state, renewed, false, "", "default", renewed);
        client.nodes().withName(node).edit(n -> {
            n.getMetadata().getAnnotations().put(MaintenanceRecord.ANNOTATION, record.toJson());
            n.getSpec().setUnschedulable(true);
            return n;
        });
        ZonedDateTime at = ZonedDateTime.ofInstant(renewed, ZoneOffset.UTC);
        Lease lease = new LeaseBuilder().withNewMetadata().withName(PoolLeases.slotName("default", 0))
                .addToLabels(ClusterObserver.LEASE_POOL_LABEL, "default")
                .addToAnnotations(ClusterObserver.LEASE_NODE_ANNOTATION, node).endMetadata()
                .withNewSpec().withHolderIdentity(owner).withLeaseDurationSeconds(30).withRenewTime(at)
                .withAcquireTime(at).endSpec().build();
        client.leases().inNamespace(FAST.leaseNamespace()).resource(lease).create();
    }

    private List<String> podNames(String node) {
        return client.pods().inAnyNamespace().list().getItems().stream()
                .filter(p -> node.equals(p.getSpec().getNodeName())).map(p -> p.getMetadata().getName()).sorted().toList();
    }

    private long endpointsOn(String node) {
        var slice = client.discovery().v1().endpointSlices().inNamespace("default").withName("web-x1").get();
        return slice == null ? 0 : slice.getEndpoints().stream().filter(e -> node.equals(e.getNodeName())
                && Boolean.TRUE.equals(e.getConditions().getReady())).count();
    }

    private List<ApiRequest> evictions() {
        return sim.requests().list().stream().filter(r -> r.subresource().equals("eviction")).toList();
    }

    private static List<String> taints(Node node) {
        return node.getSpec().getTaints() == null ? List.of()
                : node.getSpec().getTaints().stream().map(t -> t.getKey()).toList();
    }

    private void assertLeaseFree() {
        Optional<Lease> lease = Optional.ofNullable(client.leases().inNamespace(FAST.leaseNamespace())
                .withName(PoolLeases.slotName("default", 0)).get());
        assertThat(lease).hasValueSatisfying(l -> assertThat(l.getSpec().getHolderIdentity()).isNull());
    }

    private void assertOnlyDocumentedRbac() {
        List<ResourceRequest> used = sim.requests().list().stream()
                .map(r -> ResourceRequest.fromHttp(r.method(), r.pathAndQuery())).flatMap(Optional::stream).toList();
        assertThat(RbacPolicy.ofProject().denied("kubeplatform-repairNode", used)).isEmpty();
    }

    private static TimelineEntry last(List<TimelineEntry> timeline) {
        return timeline.get(timeline.size() - 1);
    }

    private static void await(BooleanSupplier condition, String what) {
        Awaitility.await(what).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(condition::getAsBoolean);
    }

    interface Call<T> {
        T run() throws Exception;
    }

    private static <T> T call(Call<T> c) {
        try {
            return c.run();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
