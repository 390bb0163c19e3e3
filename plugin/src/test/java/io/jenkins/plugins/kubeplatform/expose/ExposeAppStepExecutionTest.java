package io.jenkins.plugins.kubeplatform.expose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.jenkins.plugins.kubeplatform.common.FakeStepContext;
import io.jenkins.plugins.kubeplatform.common.JavaSerialization;
import io.jenkins.plugins.kubeplatform.common.SimStepChecks;
import io.jenkins.plugins.kubeplatform.common.SimStepHost;
import io.jenkins.plugins.kubeplatform.engine.expose.DomainRegistry;
import io.jenkins.plugins.kubeplatform.engine.expose.ExposeSettings;
import io.jenkins.plugins.kubeplatform.engine.store.StateStore;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import io.jenkins.plugins.kubeplatform.sim.ingress.SimIngressController;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * exposeApp driven the way Pipeline drives it. The simulated cluster starts without an ingress controller, so the step
 * is reliably in its admission wait when the controller restarts or the build is aborted; the controller is added when
 * the test wants the route admitted.
 */
class ExposeAppStepExecutionTest {


    @TempDir
    Path stateDir;

    SimulatedCluster sim;
    Host host;

    final class Host extends SimStepHost implements ExposeHost {
        Host() {
            super(ExposeAppStepExecutionTest.this.sim);
        }

        @Override
        public ExposeSettings settings() {
            return ExposeSettings.builder().suffix("apps.example.test").route("ingress").admitTimeout("60s").build();
        }

        @Override
        public StateStore<DomainRegistry> registry() {
            return DomainRegistry.fileStore(stateDir);
        }

        volatile String suffixAllowedJobs = "";

        @Override
        public String suffixAllowedJobs() {
            return suffixAllowedJobs;
        }
    }

    @BeforeEach
    void start() {
        sim = io.jenkins.plugins.kubeplatform.common.SimNamespaces.with(SimulatedCluster.start(SimOptions.builder().builtInControllers(false).build()));
        host = new Host();
        ExposeAppStepExecution.host = host;
    }

    @AfterEach
    void stop() throws InterruptedException {
        ExposeAppStepExecution.host = ExposeHost.JENKINS;
        host.close();
        sim.close();
    }

    private static ExposeAppStep shop() {
        ExposeAppStep step = new ExposeAppStep("shop", 8080);
        step.setNamespace("retail");
        return step;
    }

    private void awaitIngress() throws Exception {
        sim.client().network().v1().ingresses().inNamespace("retail")
                .informOnCondition(list -> !list.isEmpty()).get(60, TimeUnit.SECONDS);
    }

    @Test
    void refusesAJobOutsideTheSuffixsAllowedFoldersBeforeAnyClusterCall() throws Exception {
        host.job = "team-b/shop";
        host.suffixAllowedJobs = "team-a";
        sim.requests().clear();
        FakeStepContext context = new FakeStepContext("expose-refused", null);
        shop().start(context).start();

        SimStepChecks.assertRefusedBeforeAnyClusterCall(sim, context, "Job 'team-b/shop'", "domain suffix 'apps.example.test'",
                "domains.suffixAllowedJobs");
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "suffix allowed jobs ''{0}''")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"team-a", "**/shop", ""})
    void exposesForAJobInAnAllowedFolderOrWhenTheSuffixHasNoList(String allowed) throws Exception {
        host.job = "team-a/retail/shop";
        host.suffixAllowedJobs = allowed;
        sim.addController(new SimIngressController());
        FakeStepContext context = new FakeStepContext("expose-allowed-" + allowed.hashCode(), null);
        shop().start(context).start();

        assertThat(context.state().outcome.get(90, TimeUnit.SECONDS)).isInstanceOf(Map.class);
    }

    @Test
    void resumesTheAdmissionWaitAfterARestartWithoutRepeatingAWrite() throws Exception {
        FakeStepContext context = new FakeStepContext("expose-restart", null);
        ExposeAppStepExecution before = (ExposeAppStepExecution) shop().start(context);
        before.start();
        awaitIngress();
        Map<String, Long> writtenBeforeRestart = SimStepChecks.writes(sim);

        host.restart();
        byte[] programState = JavaSerialization.write(before);
        assertThat(context.state().outcome).as("a restart does not end the step").isNotDone();
        sim.addController(new SimIngressController());
        ExposeAppStepExecution after = JavaSerialization.read(programState);
        after.onResume();

        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) context.state().outcome.get(60, TimeUnit.SECONDS);
        assertThat(result).containsEntry("host", "shop.retail.apps.example.test");
        assertThat(writtenBeforeRestart).containsEntry("create ingresses", 1L).containsEntry("create services", 1L)
                .containsEntry("create configmaps", 1L);
        assertThat(SimStepChecks.writes(sim)).as("the resumed step wrote nothing the first run had written").isEqualTo(writtenBeforeRestart);
        Ingress ingress = sim.client().network().v1().ingresses().inNamespace("retail").withName("shop").get();
        assertThat(ingress.getStatus().getLoadBalancer().getIngress()).isNotEmpty();
        host.assertWorkRanOnStepWorkers();
    }

    @Test
    void failsWithTheAbortAndKeepsTheClaimForTheNextRunWhenStoppedMidWait() throws Exception {
        FakeStepContext context = new FakeStepContext("expose-stop", null);
        ExposeAppStepExecution execution = (ExposeAppStepExecution) shop().start(context);
        execution.start();
        awaitIngress();

        execution.stop(new InterruptedException("aborted by user"));

        assertThatThrownBy(() -> context.state().outcome.get(60, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(InterruptedException.class);
        assertThat(host.actions).singleElement().satisfies(a -> assertThat(a.isFailed()).isTrue());
        Map<String, Long> writtenBeforeAbort = SimStepChecks.writes(sim);
        sim.addController(new SimIngressController());
        FakeStepContext again = new FakeStepContext("expose-after-stop", null);
        shop().start(again).start();
        again.state().outcome.get(60, TimeUnit.SECONDS);
        assertThat(SimStepChecks.writes(sim)).as("the re-run finds claim, Service and Ingress as the aborted run left them")
                .isEqualTo(writtenBeforeAbort);
    }

    @Test
    void failsNamingTheCurrentOwnerWhenAnotherAppHoldsTheHost() throws Exception {
        sim.addController(new SimIngressController());
        shop().start(new FakeStepContext("expose-first", null)).start();
        ExposeAppStep other = new ExposeAppStep("cart", 8080);
        other.setNamespace("retail");
        other.setHost("shop.retail.apps.example.test");
        FakeStepContext context = new FakeStepContext("expose-taken", null);
        awaitIngress();

        other.start(context).start();

        assertThatThrownBy(() -> context.state().outcome.get(60, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(hudson.AbortException.class)
                .hasMessageStartingWith("exposeApp: ").hasMessageContaining("retail/shop");
    }

    @Test
    void keepsASmallSerializedStateWhileRunning() {
        ExposeAppStepExecution execution = (ExposeAppStepExecution) shop().start(new FakeStepContext("x", null));

        assertThat(JavaSerialization.write(execution).length).isLessThan(4096);
        assertThat(JavaSerialization.roundTrip(execution)).usingRecursiveComparison().ignoringFields("context")
                .isEqualTo(execution);
        assertThat(List.of(execution.getStatus())).containsExactly("starting");
    }
}
