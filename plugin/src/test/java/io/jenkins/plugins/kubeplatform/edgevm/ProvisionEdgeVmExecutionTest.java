package io.jenkins.plugins.kubeplatform.edgevm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.jenkins.plugins.kubeplatform.common.FakeStepContext;
import io.jenkins.plugins.kubeplatform.common.JavaSerialization;
import io.jenkins.plugins.kubeplatform.common.SimStepChecks;
import io.jenkins.plugins.kubeplatform.common.SimStepHost;
import io.jenkins.plugins.kubeplatform.engine.config.PlatformConfig;
import io.jenkins.plugins.kubeplatform.engine.edgevm.ClusterClients;
import io.jenkins.plugins.kubeplatform.engine.edgevm.EdgeSettings;
import io.jenkins.plugins.kubeplatform.engine.edgevm.EdgeVmEngine;
import io.jenkins.plugins.kubeplatform.engine.edgevm.Inventory;
import io.jenkins.plugins.kubeplatform.engine.edgevm.JoinTokens;
import io.jenkins.plugins.kubeplatform.engine.edgevm.KubeVirt;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * provisionEdgeVm driven the way Pipeline drives it: a VM boot takes two seconds in the simulated cluster, so the step
 * is waiting for the VM to boot and join when the controller restarts or the build is aborted.
 */
class ProvisionEdgeVmExecutionTest {

    private static final String YAML = """
            edge:
              startTimeout: 10m
              joinTimeout: 5m
              waitTimeout: 60s
              maxAttempts: 2
              sites:
                - name: frankfurt
                  namespace: edge-frankfurt
                  location: "50.1109,8.6821"
                  capacity: {cpu: 8, memory: 16Gi, vms: 4}
              edgeClusters:
                - name: fra
                  location: "50.11,8.68"
                  maxNodes: 4
                  joinMethod: k3s
                  server: https://edge-fra.example.net:6443
              quotas:
                - tenant: acme
                  cpu: 8
                  memory: 16Gi
                  vms: 4
            """;

    @TempDir
    Path stateDir;

    SimulatedCluster sim;
    Host host;

    final class Host extends SimStepHost implements EdgeVmHost {
        Host() {
            super(ProvisionEdgeVmExecutionTest.this.sim);
        }

        @Override
        public EdgeSettings settings() {
            return EdgeSettings.from(PlatformConfig.parse("test", YAML));
        }

        @Override
        public ClusterClients clients(StepContext context, io.jenkins.plugins.kubeplatform.engine.core.Progress log) {
            return name -> {
                try {
                    return client(connection(name, context), log);
                } catch (hudson.AbortException e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            };
        }

        @Override
        public JoinTokens tokens(StepContext context) {
            return cluster -> "K10test::server:join-token";
        }

        @Override
        public io.jenkins.plugins.kubeplatform.engine.store.StateStore<Inventory> inventory() {
            return EdgeVmEngine.inventoryStore(stateDir);
        }

        volatile String tenantAllowedJobs = "";

        @Override
        public String tenantAllowedJobs(String tenant) {
            return tenantAllowedJobs;
        }
    }

    @BeforeEach
    void start() {
        sim = io.jenkins.plugins.kubeplatform.common.SimNamespaces.with(SimulatedCluster.start(SimOptions.builder().speed(10).build()));
        host = new Host();
        ProvisionEdgeVmExecution.host = host;
    }

    @AfterEach
    void stop() throws InterruptedException {
        ProvisionEdgeVmExecution.host = EdgeVmHost.JENKINS;
        host.close();
        sim.close();
    }

    private static ProvisionEdgeVmStep vm() {
        ProvisionEdgeVmStep step = new ProvisionEdgeVmStep("web", "acme");
        step.setCpu(1);
        step.setMemory("1Gi");
        step.setDisk("5Gi");
        step.setImage("quay.io/containerdisks/ubuntu:22.04");
        step.setLocation("50.0,8.2");
        return step;
    }

    private void awaitVirtualMachine() throws Exception {
        sim.client().genericKubernetesResources(KubeVirt.VIRTUAL_MACHINE).inNamespace("edge-frankfurt")
                .informOnCondition(list -> !list.isEmpty()).get(60, TimeUnit.SECONDS);
    }

    @Test
    void refusesAJobOutsideTheTenantsAllowedFoldersBeforeAnyClusterCall() throws Exception {
        host.job = "team-b/web";
        host.tenantAllowedJobs = "acme-team";
        sim.requests().clear();
        FakeStepContext context = new FakeStepContext("edge-refused", null);
        vm().start(context).start();

        SimStepChecks.assertRefusedBeforeAnyClusterCall(sim, context, "Job 'team-b/web'", "edge tenant 'acme'",
                "edgeVms.quotas[].allowedJobs");
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "tenant allowed jobs ''{0}''")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"acme-team", ""})
    void provisionsForAJobInAnAllowedFolderOrWhenTheTenantHasNoList(String allowed) throws Exception {
        host.job = "acme-team/web";
        host.tenantAllowedJobs = allowed;
        FakeStepContext context = new FakeStepContext("edge-allowed-" + allowed.hashCode(), null);
        ProvisionEdgeVmExecution execution = (ProvisionEdgeVmExecution) vm().start(context);
        execution.start();

        awaitVirtualMachine();
        execution.stop(new InterruptedException("test done"));
        assertThatThrownBy(() -> context.state().outcome.get(60, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(InterruptedException.class);
    }

    @Test
    void resumesTheJoinWaitAfterARestartWithoutCreatingTheVmAgain() throws Exception {
        FakeStepContext context = new FakeStepContext("edge-restart", null);
        ProvisionEdgeVmExecution before = (ProvisionEdgeVmExecution) vm().start(context);
        before.start();
        awaitVirtualMachine();

        host.restart();
        byte[] programState = JavaSerialization.write(before);
        assertThat(context.state().outcome).as("a restart does not end the step").isNotDone();
        Map<String, Long> writtenBeforeRestart = SimStepChecks.writes(sim);
        ProvisionEdgeVmExecution after = JavaSerialization.read(programState);
        after.onResume();

        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) context.state().outcome.get(60, TimeUnit.SECONDS);
        assertThat(result).containsEntry("vm", "acme-web").containsEntry("state", "RUNNING");
        assertThat(writtenBeforeRestart).containsEntry("create virtualmachines", 1L).containsEntry("create secrets", 1L);
        assertThat(SimStepChecks.writes(sim)).as("the resumed step created nothing twice").isEqualTo(writtenBeforeRestart);
        assertThat(sim.client().nodes().withName("acme-web").get()).as("joined").isNotNull();
        host.assertWorkRanOnStepWorkers();
    }

    @Test
    void failsWithTheAbortAndKeepsTheVmRecordedWhenStoppedMidBoot() throws Exception {
        FakeStepContext context = new FakeStepContext("edge-stop", null);
        ProvisionEdgeVmExecution execution = (ProvisionEdgeVmExecution) vm().start(context);
        execution.start();
        awaitVirtualMachine();

        execution.stop(new InterruptedException("aborted by user"));

        assertThatThrownBy(() -> context.state().outcome.get(60, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(InterruptedException.class);
        Inventory inventory = EdgeVmEngine.inventoryStore(stateDir).read();
        assertThat(inventory.live()).singleElement().satisfies(r -> assertThat(r.vm()).isEqualTo("acme-web"));
        GenericKubernetesResource machine = sim.client().genericKubernetesResources(KubeVirt.VIRTUAL_MACHINE)
                .inNamespace("edge-frankfurt").withName("acme-web").get();
        assertThat(machine).as("the VM the inventory records exists").isNotNull();
    }

    @Test
    void failsWithTheFieldAndRuleWhenTheActionIsUnknown() throws Exception {
        ProvisionEdgeVmStep step = vm();
        step.setAction("resize");
        FakeStepContext context = new FakeStepContext("edge-invalid", null);

        step.start(context).start();

        assertThatThrownBy(() -> context.state().outcome.get(60, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(hudson.AbortException.class)
                .hasMessageStartingWith("provisionEdgeVm: invalid input, nothing in the cluster was changed: action");
        assertThat(SimStepChecks.writes(sim)).isEmpty();
    }

    @Test
    void keepsASmallSerializedStateWhileRunning() {
        ProvisionEdgeVmExecution execution = (ProvisionEdgeVmExecution) vm().start(new FakeStepContext("y", null));

        assertThat(JavaSerialization.write(execution).length).isLessThan(4096);
        assertThat(JavaSerialization.roundTrip(execution)).usingRecursiveComparison().ignoringFields("context")
                .isEqualTo(execution);
    }
}
