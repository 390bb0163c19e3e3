package io.jenkins.plugins.kubeplatform.stickyip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.AbortException;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.jenkins.plugins.kubeplatform.common.FakeStepContext;
import io.jenkins.plugins.kubeplatform.common.JavaSerialization;
import io.jenkins.plugins.kubeplatform.common.SimStepChecks;
import io.jenkins.plugins.kubeplatform.common.SimStepHost;
import io.jenkins.plugins.kubeplatform.engine.stickyip.IpPool;
import io.jenkins.plugins.kubeplatform.engine.stickyip.IpReservationLedger;
import io.jenkins.plugins.kubeplatform.engine.stickyip.JournaledLedgerStore;
import io.jenkins.plugins.kubeplatform.engine.stickyip.Reservation;
import io.jenkins.plugins.kubeplatform.engine.stickyip.StickyIpLabels;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * stickyIpDeploy driven the way Pipeline drives it: started on the plugin's workers, cut off by a controller restart
 * at several points, rebuilt from its serialized form and resumed; stopped mid-wait.
 */
class StickyIpDeployExecutionTest {

    @TempDir
    Path stateDir;

    SimulatedCluster sim;
    Host host;

    /** The ledger is reopened from its files after a restart, as a restarted controller does. */
    final class Host extends SimStepHost implements StickyIpHost {
        private volatile IpReservationLedger ledger = openLedger();

        Host() {
            super(StickyIpDeployExecutionTest.this.sim);
        }

        private IpReservationLedger openLedger() {
            return new IpReservationLedger(new JournaledLedgerStore(stateDir.resolve("ip-ledger")), Clock.systemUTC(),
                    new Random(1));
        }

        @Override
        public Map<String, IpPool> pools() {
            return StickyIpConfigurationPools.of(new PoolConfig("default", "10.42.200.0/24"));
        }

        @Override
        public IpReservationLedger ledger() {
            return ledger;
        }

        /** The pool's Allowed folders and jobs. */
        volatile String poolAllowedJobs = "";

        @Override
        public String poolAllowedJobs(String pool) {
            return poolAllowedJobs;
        }

        @Override
        public void restart() throws InterruptedException {
            super.restart();
            ledger = openLedger();
        }
    }

    @BeforeEach
    void start() {
        sim = io.jenkins.plugins.kubeplatform.common.SimNamespaces.with(SimulatedCluster.start(SimOptions.builder().speed(100).build()));
        host = new Host();
        StickyIpDeployExecution.host = host;
    }

    @AfterEach
    void stop() throws InterruptedException {
        StickyIpDeployExecution.host = StickyIpHost.JENKINS;
        host.close();
        sim.close();
    }

    private static StickyIpDeployStep web(int replicas) {
        StickyIpDeployStep step = new StickyIpDeployStep("web", 8080);
        step.setNamespace("shop");
        step.setImage("registry.example.com/web:1");
        step.setReplicas(replicas);
        step.setTimeout("60s");
        return step;
    }

    private void awaitDeployments(int count) throws Exception {
        sim.client().apps().deployments().inNamespace("shop")
                .informOnCondition(list -> list.size() >= count).get(60, TimeUnit.SECONDS);
    }

    /**
     * Successful creates of a resource in the simulated cluster's request log (a create is a POST to the collection,
     * so the log has no name: together with the names that exist, the count shows one create per object).
     */
    private long creates(String resource) {
        return sim.requests().matching(r -> "create".equals(r.verb()) && resource.equals(r.resource())
                && r.status() < 300).size();
    }

    private List<Deployment> deployments() {
        return sim.client().apps().deployments().inNamespace("shop").list().getItems();
    }

    @Test
    void refusesAJobOutsideThePoolsAllowedFoldersBeforeAnyClusterCall() throws Exception {
        host.job = "team-b/web";
        host.poolAllowedJobs = "team-a\nplatform/*";
        sim.requests().clear();
        FakeStepContext context = new FakeStepContext("sticky-pool-refused", null);
        web(1).start(context).start();

        SimStepChecks.assertRefusedBeforeAnyClusterCall(sim, context, "Job 'team-b/web'", "IP pool 'default'",
                "stickyIp.pools[].allowedJobs", "team-a, platform/*");
    }

    @Test
    void refusesAJobOutsideTheClustersAllowedFoldersBeforeAnyClusterCall() throws Exception {
        host.job = "team-b/web";
        host.cluster = new io.jenkins.plugins.kubeplatform.kube.ClusterConnectionConfig("prod");
        host.cluster.setAllowedJobs("team-a");
        sim.requests().clear();
        FakeStepContext context = new FakeStepContext("sticky-cluster-refused", null);
        web(1).start(context).start();

        SimStepChecks.assertRefusedBeforeAnyClusterCall(sim, context, "Job 'team-b/web'", "cluster 'prod'",
                "kubePlatform.clusters[].allowedJobs");
    }

    @ParameterizedTest(name = "pool allowed jobs ''{0}''")
    @ValueSource(strings = {"team-a", "team-*/web", ""})
    void deploysForAJobInAnAllowedFolderOrWhenThePoolHasNoList(String allowed) throws Exception {
        host.job = "team-a/web";
        host.poolAllowedJobs = allowed;
        host.cluster = new io.jenkins.plugins.kubeplatform.kube.ClusterConnectionConfig("prod");
        host.cluster.setAllowedJobs(allowed);
        FakeStepContext context = new FakeStepContext("sticky-allowed-" + allowed.hashCode(), null);
        web(1).start(context).start();

        assertThat(context.state().outcome.get(90, TimeUnit.SECONDS)).isInstanceOf(Map.class);
    }

    @Test
    void returnsTheIdentitiesWithoutBlockingTheCallerAndRunsOnTheStepWorkers() throws Exception {
        FakeStepContext context = new FakeStepContext("sticky-plain", null);
        StickyIpDeployExecution execution = (StickyIpDeployExecution) web(2).start(context);

        assertThat(execution.start()).as("asynchronous").isFalse();

        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) context.state().outcome.get(90, TimeUnit.SECONDS);
        assertThat(result).containsEntry("service", "web");
        assertThat(host.actions).singleElement().satisfies(a -> {
            assertThat(a.getStep()).isEqualTo("stickyIpDeploy shop/web");
            assertThat(a.isFailed()).isFalse();
        });
        host.assertWorkRanOnStepWorkers();
    }

    @Test
    void showsEachWarningOfTheApiServerOnceInTheBuildLog() throws Exception {
        sim.client().namespaces().withName("shop").edit(n -> {
            n.getMetadata().getLabels().put("pod-security.kubernetes.io/warn", "baseline");
            return n;
        });
        StickyIpDeployStep step = web(2);
        step.setImage("");
        step.setTemplate("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  template:
                    metadata:
                      annotations: {seccomp.security.alpha.kubernetes.io/pod: runtime/default}
                    spec:
                      hostPID: true
                      containers:
                        - {name: web, image: registry.example.com/web:1, ports: [{containerPort: 8080}]}
                """);
        FakeStepContext context = new FakeStepContext("sticky-warned", null);

        step.start(context).start();
        assertThat(context.state().outcome.get(90, TimeUnit.SECONDS)).isInstanceOf(Map.class);

        List<String> warnings = context.state().log().lines().filter(l -> l.startsWith("[warn]")).toList();
        String seccomp = "[seccomp.security.alpha.kubernetes.io/pod]: non-functional in v1.27+; use the "
                + "\"seccompProfile\" field instead";
        // the pod dry run and the two Deployment creates each carry the PodSecurity text and their annotation text
        assertThat(warnings).containsExactlyInAnyOrder(
                "[warn] the API server warns: metadata.annotations" + seccomp,
                "[warn] the API server warns: spec.template.metadata.annotations" + seccomp,
                "[warn] the API server warns: would violate PodSecurity \"baseline:latest\": host namespaces "
                        + "(hostPID=true)");
    }

    @ParameterizedTest(name = "restart after {0} workload(s) were created")
    @ValueSource(ints = {1, 2})
    void reachesTheSameEndStateWithNoDuplicateOrLostWriteWhenTheControllerRestartsMidRollout(int createdBeforeRestart)
            throws Exception {
        FakeStepContext context = new FakeStepContext("sticky-restart-" + createdBeforeRestart, null);
        StickyIpDeployExecution before = (StickyIpDeployExecution) web(3).start(context);
        before.start();
        awaitDeployments(createdBeforeRestart);

        host.restart();
        byte[] programState = JavaSerialization.write(before);
        assertThat(context.state().outcome).as("a restart does not end the step").isNotDone();
        StickyIpDeployExecution after = JavaSerialization.read(programState);
        after.onResume();

        context.state().outcome.get(90, TimeUnit.SECONDS);
        assertThat(deployments()).extracting(d -> d.getMetadata().getName())
                .containsExactlyInAnyOrder("web-0", "web-1", "web-2");
        assertThat(creates("deployments")).as("one create per identity: none repeated, none lost").isEqualTo(3);
        assertThat(creates("services")).isEqualTo(1);
        List<Reservation> reservations = host.ledger().list();
        assertThat(reservations).extracting(Reservation::identity)
                .containsExactlyInAnyOrder("shop/web-0", "shop/web-1", "shop/web-2");
        Map<String, String> ipByIdentity = reservations.stream()
                .collect(Collectors.toMap(Reservation::identity, Reservation::ip));
        assertThat(ipByIdentity.values()).doesNotHaveDuplicates();
        for (Pod pod : sim.client().pods().inNamespace("shop").list().getItems()) {
            if (pod.getMetadata().getDeletionTimestamp() == null) {
                String identity = "shop/" + pod.getMetadata().getLabels().get(StickyIpLabels.IDENTITY);
                assertThat(pod.getStatus().getPodIP()).as(identity).isEqualTo(ipByIdentity.get(identity));
            }
        }
        assertThat(after.getStatus()).contains("resumed after 1 restart");
        host.assertWorkRanOnStepWorkers();
    }

    @Test
    void failsWithTheAbortAndLeavesEveryWorkloadBackedByItsReservationWhenStoppedMidWait() throws Exception {
        FakeStepContext context = new FakeStepContext("sticky-stop", null);
        StickyIpDeployExecution execution = (StickyIpDeployExecution) web(3).start(context);
        execution.start();
        awaitDeployments(1);

        execution.stop(new InterruptedException("aborted by user"));

        assertThatThrownBy(() -> context.state().outcome.get(60, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(InterruptedException.class);
        Map<String, String> reserved = host.ledger().list().stream()
                .collect(Collectors.toMap(Reservation::identity, Reservation::ip));
        for (Deployment d : deployments()) {
            String identity = "shop/" + d.getMetadata().getName();
            assertThat(reserved).as("workload %s has its reservation", identity).containsKey(identity);
        }
        assertThat(reserved.values()).doesNotHaveDuplicates();
        assertThat(host.actions).anySatisfy(a -> assertThat(a.isFailed()).isTrue());

        FakeStepContext again = new FakeStepContext("sticky-after-stop", null);
        web(3).start(again).start();
        again.state().outcome.get(90, TimeUnit.SECONDS);
        assertThat(deployments()).hasSize(3);
        assertThat(creates("deployments")).as("a re-run completes what the aborted one left, repeating nothing")
                .isEqualTo(3);
    }

    @Test
    void failsWithTheFieldAndRuleBeforeAnyWriteWhenTheInputIsInvalid() throws Exception {
        StickyIpDeployStep step = web(2);
        step.setPool("missing");
        FakeStepContext context = new FakeStepContext("sticky-invalid", null);
        step.start(context).start();

        assertThatThrownBy(() -> context.state().outcome.get(60, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(AbortException.class)
                .hasMessageStartingWith("stickyIpDeploy: invalid input, nothing in the cluster was changed: pool: ");
        assertThat(sim.requests().matching(r -> !"get".equals(r.verb()) && !"list".equals(r.verb())
                && !"watch".equals(r.verb()) && !r.internal())).isEmpty();
    }

    @Test
    void checksTheDeployInputsBeforeTheImageIsBuilt() throws Exception {
        StickyIpDeployStep step = new StickyIpDeployStep("web_1", 8080);
        step.setNamespace("shop");
        step.setBuild(new io.jenkins.plugins.kubeplatform.image.ImageBuild("target/web.jar",
                "registry.example.com/base:1", "registry.example.com/web:1"));
        // no workspace: a build that started would fail saying so, not with the name's rule
        FakeStepContext context = new FakeStepContext("sticky-build-invalid", null);
        step.start(context).start();

        assertThatThrownBy(() -> context.state().outcome.get(60, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(AbortException.class)
                .hasMessageStartingWith("stickyIpDeploy: invalid input, nothing in the cluster was changed: name: ");
    }

    @Test
    void keepsASmallSerializedStateWhileRunning() {
        FakeStepContext context = new FakeStepContext("sticky-size", null);
        StickyIpDeployExecution execution = (StickyIpDeployExecution) web(3).start(context);

        StickyIpDeployExecution back = JavaSerialization.roundTrip(execution);

        assertThat(JavaSerialization.write(execution).length).isLessThan(4096);
        assertThat(back).usingRecursiveComparison().ignoringFields("context").isEqualTo(execution);
    }
}
