package io.jenkins.plugins.kubeplatform.repair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.AbortException;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.common.FakeStepContext;
import io.jenkins.plugins.kubeplatform.common.ResultAction;
import io.jenkins.plugins.kubeplatform.common.StepWorkers;
import io.jenkins.plugins.kubeplatform.engine.repair.MaintenanceRecord;
import io.jenkins.plugins.kubeplatform.engine.repair.RepairSettings;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The repairNode execution driven the way Pipeline drives it: start, body callback, restart (onResume), stop. */
class RepairNodeExecutionTest {

    static final RepairSettings FAST = RepairSettings.builder().maxConcurrent(1)
            .leaseTtl(java.time.Duration.ofSeconds(30)).leaseWaitTimeout(java.time.Duration.ofSeconds(20))
            .deregistrationGrace(java.time.Duration.ofMillis(100))
            .deregistrationTimeout(java.time.Duration.ofSeconds(5)).taskTimeout(java.time.Duration.ofSeconds(20))
            .drainTimeout(java.time.Duration.ofSeconds(30)).repairTimeout(java.time.Duration.ofSeconds(10))
            .verifyTimeout(java.time.Duration.ofSeconds(10)).stabilizationWindow(java.time.Duration.ofMillis(200))
            .recheckInterval(java.time.Duration.ofSeconds(1)).build();

    SimulatedCluster sim;
    Host host;

    /** Jenkins as the tests see it: a timer of one thread, clients of the simulated cluster, agents recorded. */
    final class Host implements RepairHost {
        ScheduledExecutorService timer = newTimer();
        RepairSettings settings = FAST;
        final List<KubernetesClient> clients = Collections.synchronizedList(new ArrayList<>());
        /** Jenkins' node model: the agents this controller has, by name. */
        final Map<String, StandInComputer> agents = new java.util.concurrent.ConcurrentHashMap<>();
        final List<String> results = Collections.synchronizedList(new ArrayList<>());
        /** Where the execution's work ran: every client is made by a scheduled step. */
        final java.util.Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();

        @Override
        public ScheduledExecutorService timer() {
            return timer;
        }

        @Override
        public KubernetesClient client(String cluster, StepContext context,
                io.jenkins.plugins.kubeplatform.engine.core.Progress log) {
            threads.add(Thread.currentThread().getName());
            KubernetesClient client = sim.newClient();
            clients.add(client);
            return client;
        }

        /** The controller goes down: no scheduled step runs any more, its watches and connections are gone. */
        void restart() throws InterruptedException {
            timer.shutdown();
            assertThat(timer.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            List.copyOf(clients).forEach(KubernetesClient::close);
            clients.clear();
            timer = newTimer();
        }

        @Override
        public RepairSettings settings() {
            return settings;
        }

        @Override
        public String owner(StepContext context) {
            return "jenkins:ops/repair#1";
        }

        @Override
        public Object bodyContext(StepContext context, String node) {
            return node;
        }

        // agents: the production host (RepairingAgents) against the stand-in node model
        @Override
        public boolean takeAgentOffline(String agent, String node) {
            return RepairHost.JENKINS.takeAgentOffline(agent, node);
        }

        @Override
        public void bringAgentBack(String agent) {
            RepairHost.JENKINS.bringAgentBack(agent);
        }

        @Override
        public void registerAgents(List<String> agents) {
            RepairHost.JENKINS.registerAgents(agents);
        }

        /** The build's authentication and whether it holds KubePlatform/RepairNode (SYSTEM does: no authenticator). */
        volatile String authentication = "SYSTEM";
        volatile boolean mayRepair = true;

        @Override
        public void checkMayRepair(StepContext context) throws hudson.AbortException {
            if (!mayRepair) {
                throw new hudson.AbortException(
                        io.jenkins.plugins.kubeplatform.common.KubePlatformPermissions.repairRefused(authentication));
            }
        }

        @Override
        public void showResult(StepContext context, ResultAction action) {
            List<String> lines = action.getLines();
            results.add(action.getStep() + ": " + (action.isFailed() ? "FAILED " + action.getFailure()
                    : lines.get(lines.size() - 1)));
        }
    }

    /** An agent of the stand-in node model: only its offline state is modelled. */
    static final class StandInComputer extends hudson.model.Computer {
        final String name;
        volatile boolean temporarilyOffline;
        volatile hudson.slaves.OfflineCause cause;

        StandInComputer(String name) {
            super(null);
            this.name = name;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public boolean isTemporarilyOffline() {
            return temporarilyOffline;
        }

        @Override
        public void setTemporarilyOffline(boolean offline, hudson.slaves.OfflineCause why) {
            temporarilyOffline = offline;
            cause = offline ? why : null;
        }

        @Override
        public hudson.slaves.OfflineCause getOfflineCause() {
            return cause;
        }
    }

    @BeforeEach
    void start() {
        sim = io.jenkins.plugins.kubeplatform.common.SimNamespaces.with(SimulatedCluster.start(SimOptions.builder().builtInControllers(false).build()));
        host = new Host();
        RepairNodeExecution.host = host;
        RepairingAgents.forgetAll();
        RepairingAgents.computers = host.agents::get;
    }

    @AfterEach
    void stop() {
        RepairNodeExecution.host = RepairHost.JENKINS;
        RepairingAgents.computers = name -> jenkins.model.Jenkins.get().getComputer(name);
        RepairingAgents.forgetAll();
        host.timer.shutdownNow();
        sim.close();
    }

    /** The plugin's own workers, as the real host gives them (one thread: steps of one execution never overlap). */
    private static ScheduledExecutorService newTimer() {
        return StepWorkers.newPool(1);
    }

    private static RepairNodeStep step(String node) {
        RepairNodeStep step = new RepairNodeStep();
        step.setNode(node);
        return step;
    }

    @Test
    void refusesABuildWhoseAuthenticationLacksTheRepairNodePermissionBeforeAnyClusterCall() {
        host.authentication = "alice";
        host.mayRepair = false;
        sim.requests().clear();
        FakeStepContext context = new FakeStepContext("no-permission", node -> { });
        RepairNodeExecution execution = (RepairNodeExecution) step("node-1").start(context);

        assertThatThrownBy(execution::start)
                .isInstanceOf(hudson.AbortException.class)
                .hasMessageContaining("KubePlatform/RepairNode").hasMessageContaining("'alice'")
                .hasMessageContaining("Manage Jenkins");
        assertThat(sim.requests().list()).as("no cluster call").isEmpty();
        assertThat(host.clients).isEmpty();
    }

    @Test
    void runsTheBodyAsTheRepairAndReturnsTheNodeWithoutBlockingTheCaller() throws Exception {
        List<String> repaired = Collections.synchronizedList(new ArrayList<>());
        FakeStepContext context = new FakeStepContext("happy", repaired::add);
        RepairNodeExecution execution = (RepairNodeExecution) step("node-1").start(context);

        // hold the execution's only worker: if start() did any of the repair itself it could not return
        java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
        host.timer.execute(() -> {
            try {
                held.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return execution.start();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).get(30, TimeUnit.SECONDS)).as("asynchronous").isFalse();
        assertThat(host.clients).as("nothing ran on the caller's thread").isEmpty();
        assertThat(sim.client().nodes().withName("node-1").get().getSpec().getUnschedulable()).isNotEqualTo(Boolean.TRUE);
        held.countDown();

        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) context.state().outcome.get(60, TimeUnit.SECONDS);
        assertThat(result).containsEntry("node", "node-1").containsEntry("outcome", "REPAIRED");
        assertThat(repaired).containsExactly("node-1");
        assertThat(sim.client().nodes().withName("node-1").get().getMetadata().getAnnotations())
                .doesNotContainKey(MaintenanceRecord.ANNOTATION);
        assertThat(host.results).singleElement().asString().startsWith("repairNode node-1: REPAIRED");
        assertThat(context.state().log()).contains("[plan] repair node node-1").contains("[RELEASED]");
        assertThat(host.threads).isNotEmpty().allMatch(t -> t.startsWith(StepWorkers.THREAD_PREFIX))
                .noneMatch(t -> t.contains("Timer"));
    }

    @Test
    void failsTheBuildAndKeepsTheNodeCordonedWhenTheBodyFails() throws Exception {
        // a checked exception, as a failing sh step throws
        FakeStepContext context = new FakeStepContext("fails", node -> {
            throw new AbortException("script returned exit code 2");
        });
        step("node-2").start(context).start();

        assertThatThrownBy(() -> context.state().outcome.get(60, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(AbortException.class)
                .hasMessageContaining("repair failed: script returned exit code 2")
                .hasMessageContaining("stays cordoned");
        assertThat(sim.client().nodes().withName("node-2").get().getSpec().getUnschedulable()).isTrue();
    }

    @Test
    void continuesAfterARestartFromWhatTheNodeRecorded() throws Exception {
        createJobPod("batch-1", "node-1");
        createAgentPod("agent-x7", "node-1");
        createAgentPod("agent-admin", "node-1");
        createAgentPod("agent-z", "node-1");
        StandInComputer z = new StandInComputer("agent-z");
        host.agents.put("agent-z", z);
        StandInComputer x7 = new StandInComputer("agent-x7");
        StandInComputer admin = new StandInComputer("agent-admin");
        admin.setTemporarilyOffline(true, new hudson.slaves.OfflineCause.SimpleOfflineCause(null) { });
        host.agents.put("agent-x7", x7);
        host.agents.put("agent-admin", admin);
        FakeStepContext context = new FakeStepContext("restart", node -> { });
        RepairNodeExecution before = (RepairNodeExecution) step("node-1").start(context);
        before.start();
        await(() -> state("node-1").equals("WAITING_FOR_TASKS"), "waiting for tasks");
        await(() -> x7.isTemporarilyOffline(), "agent taken offline");
        assertThat(x7.getOfflineCause()).isInstanceOf(RepairOfflineCause.class);
        assertThat(((RepairOfflineCause) x7.getOfflineCause()).getNode()).isEqualTo("node-1");
        assertThat(RepairingAgents.contains("agent-x7")).as("the queue keeps new builds off it").isTrue();
        await(() -> z.isTemporarilyOffline(), "agent-z taken offline");
        // an administrator takes agent-z over during the repair: it is theirs now
        z.setTemporarilyOffline(true, new hudson.slaves.OfflineCause.SimpleOfflineCause(null) { });

        host.restart();
        RepairingAgents.forgetAll();  // the controller's memory is gone; the agents stay offline
        RepairNodeExecution after = roundTrip(before);  // program state as Pipeline persisted it
        after.onResume();
        assertThat(RepairingAgents.contains("agent-x7")).as("agents registered again after the restart").isTrue();
        finish("batch-1");
        finish("agent-x7");
        finish("agent-admin");
        finish("agent-z");

        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) context.state().outcome.get(60, TimeUnit.SECONDS);
        assertThat(result).containsEntry("outcome", "REPAIRED");
        @SuppressWarnings("unchecked")
        List<String> timeline = (List<String>) result.get("timeline");
        assertThat(timeline).noneMatch(l -> l.contains(" CORDONED "));
        assertThat(timeline.get(0)).contains("DRAINING");
        assertThat(x7.isTemporarilyOffline()).as("agents back after release").isFalse();
        assertThat(RepairingAgents.contains("agent-x7")).isFalse();
        assertThat(admin.isTemporarilyOffline()).as("an agent an administrator took offline stays offline").isTrue();
        assertThat(z.isTemporarilyOffline()).as("an agent an administrator took over during the repair stays offline")
                .isTrue();
    }

    @Test
    void repairsTheFaultyNodesOfAPoolThroughTheBodyAndReturnsTheReport() throws Exception {
        setCondition("node-2", "KernelDeadlock", "True");
        setCondition("node-3", "KernelDeadlock", "True");
        List<String> repaired = Collections.synchronizedList(new ArrayList<>());
        FakeStepContext context = new FakeStepContext("pool", node -> {
            repaired.add(node);
            setCondition(node, "KernelDeadlock", "False");
        });
        RepairNodeStep step = new RepairNodeStep();
        step.setPool("default");
        FaultDetection detect = new FaultDetection();
        detect.setConditions(new ArrayList<>(List.of("KernelDeadlock")));
        step.setDetect(detect);

        step.start(context).start();

        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) context.state().outcome.get(90, TimeUnit.SECONDS);
        assertThat(result).containsEntry("pool", "default").containsEntry("faultyNodes", 2);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> nodes = (List<Map<String, Object>>) result.get("nodes");
        assertThat(nodes).extracting(n -> n.get("node") + " " + n.get("outcome"))
                .containsExactly("node-2 REPAIRED", "node-3 REPAIRED");
        assertThat(repaired).containsExactlyInAnyOrder("node-2", "node-3");
        assertThat(host.results).hasSize(2).allMatch(r -> r.contains(": REPAIRED"));
        assertThat(context.state().log()).contains("pool default: 3 node(s) checked, 2 faulty");
    }

    @Test
    void leavesTheNodeCordonedAndSaysSoWhenTheBuildIsAborted() throws Exception {
        createJobPod("batch-1", "node-3");
        FakeStepContext context = new FakeStepContext("abort", node -> { });
        RepairNodeExecution execution = (RepairNodeExecution) step("node-3").start(context);
        execution.start();
        await(() -> state("node-3").equals("WAITING_FOR_TASKS"), "waiting for tasks");

        InterruptedException abort = new InterruptedException("aborted by user");
        execution.stop(abort);

        assertThatThrownBy(() -> context.state().outcome.get(10, TimeUnit.SECONDS)).cause().isSameAs(abort);
        assertThat(state("node-3")).isEqualTo("ABORTED");
        assertThat(context.state().log()).contains("aborted in WAITING_FOR_TASKS").contains("stays cordoned");
    }

    @Test
    void refusesToStartWithoutARepairOrWithBothNodeAndPool() throws Exception {
        FakeStepContext noBody = new FakeStepContext("nobody", null);
        assertThatThrownBy(() -> step("node-1").start(noBody).start()).isInstanceOf(AbortException.class)
                .hasMessageContaining("give it a body");

        RepairNodeStep both = step("node-1");
        both.setPool("gpu");
        assertThatThrownBy(() -> both.start(new FakeStepContext("both", n -> { })).start())
                .isInstanceOf(AbortException.class).hasMessageContaining("either node");
        assertThat(sim.requests().list()).noneMatch(r -> !r.verb().equals("get") && !r.verb().equals("list"));
    }

    @Test
    void neverRunsAConfiguredCommandOnTheControllerAndSaysWhereToRunIt() throws Exception {
        host.settings = FAST.with(new RepairSettings.Overrides(null, null, null, null, "touch /tmp/repaired"));
        FakeStepContext noBody = new FakeStepContext("command", null);

        assertThatThrownBy(() -> step("node-1").start(noBody).start()).isInstanceOf(AbortException.class)
                .hasMessageContaining("no longer runs on the controller").hasMessageContaining("node('ops')");
        assertThat(sim.requests().list()).noneMatch(r -> !r.verb().equals("get") && !r.verb().equals("list"));
    }

    // ---- helpers

    @Test
    void keepsASmallSerializedStateThatReadsBackEqual() {
        RepairNodeStep step = new RepairNodeStep();
        step.setPool("workers");
        FaultDetection detect = new FaultDetection();
        detect.setConditions(new java.util.ArrayList<>(List.of("KernelDeadlock")));
        detect.setTaints(new java.util.ArrayList<>(List.of("example.com/broken")));
        step.setDetect(detect);
        RepairNodeExecution execution = (RepairNodeExecution) step.start(new FakeStepContext("size", node -> { }));

        RepairNodeExecution back = io.jenkins.plugins.kubeplatform.common.JavaSerialization.roundTrip(execution);

        assertThat(io.jenkins.plugins.kubeplatform.common.JavaSerialization.write(execution).length).isLessThan(4096);
        assertThat(back).usingRecursiveComparison().ignoringFields("context").isEqualTo(execution);
    }

    private static RepairNodeExecution roundTrip(RepairNodeExecution execution) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(execution);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (RepairNodeExecution) in.readObject();
        }
    }

    private void createJobPod(String name, String node) {
        createPod(name, node, Map.of("app", "batch"), "Job");
    }

    private void createAgentPod(String name, String node) {
        createPod(name, node, Map.of("jenkins/label", "k8s"), "");
    }

    private void createPod(String name, String node, Map<String, String> labels, String ownerKind) {
        PodBuilder pod = new PodBuilder().withNewMetadata().withName(name).withNamespace("default")
                .addToLabels(labels).endMetadata()
                .withNewSpec().withNodeName(node).addNewContainer().withName("c").withImage("busybox").endContainer()
                .endSpec().withNewStatus().withPhase("Running").endStatus();
        if (!ownerKind.isEmpty()) {
            pod.editMetadata().addNewOwnerReference().withApiVersion("batch/v1").withKind(ownerKind).withName(name)
                    .withUid(name).endOwnerReference().endMetadata();
        }
        io.jenkins.plugins.kubeplatform.sim.SimPods.createWithStatus(sim.client(), pod.build());
    }

    private void finish(String pod) {
        sim.client().pods().inNamespace("default").withName(pod).editStatus(p -> {
            p.getStatus().setPhase("Succeeded");
            return p;
        });
    }

    private String state(String node) {
        var annotations = sim.client().nodes().withName(node).get().getMetadata().getAnnotations();
        String raw = annotations == null ? null : annotations.get(MaintenanceRecord.ANNOTATION);
        return raw == null ? "" : MaintenanceRecord.parse(raw).map(r -> r.state().name()).orElse("?");
    }

    private void setCondition(String node, String type, String status) {
        sim.client().nodes().withName(node).editStatus(n -> {
            n.getStatus().getConditions().removeIf(c -> c.getType().equals(type));
            io.fabric8.kubernetes.api.model.NodeCondition c = new io.fabric8.kubernetes.api.model.NodeCondition();
            c.setType(type);
            c.setStatus(status);
            c.setReason("Test");
            c.setLastTransitionTime(java.time.Instant.now().toString());
            n.getStatus().getConditions().add(c);
            return n;
        });
    }

    private static void await(BooleanSupplier condition, String what) {
        org.awaitility.Awaitility.await(what).atMost(java.time.Duration.ofSeconds(30))
                .pollInterval(java.time.Duration.ofMillis(20)).until(condition::getAsBoolean);
    }

}
