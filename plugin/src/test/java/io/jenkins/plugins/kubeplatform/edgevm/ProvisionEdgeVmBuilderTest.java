package io.jenkins.plugins.kubeplatform.edgevm;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kubeplatform.common.ResultAction;
import io.jenkins.plugins.kubeplatform.engine.config.PlatformConfig;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.edgevm.ClusterClients;
import io.jenkins.plugins.kubeplatform.engine.edgevm.EdgeSettings;
import io.jenkins.plugins.kubeplatform.engine.edgevm.EdgeVmEngine;
import io.jenkins.plugins.kubeplatform.engine.edgevm.JoinTokens;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The freestyle "Provision an edge VM" build step against the simulated cluster (KubeVirt and node join). */
class ProvisionEdgeVmBuilderTest {

    @TempDir
    Path stateDir;
    SimulatedCluster sim;

    @BeforeEach
    void start() {
        sim = io.jenkins.plugins.kubeplatform.common.SimNamespaces.with(SimulatedCluster.start(SimOptions.builder().speed(100).build()));
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void createsAVmThatJoinsAsANodeAndRecordsTheResultAction() {
        // the documented example configuration: sites frankfurt and paris on the simulated cluster
        EdgeSettings settings = EdgeSettings.from(PlatformConfig.load(Path.of("../docs/examples/kubeplatform.yaml")));
        EdgeVmEngine engine = EdgeVmEngine.withFileInventory(settings, ClusterClients.single(sim.client()),
                JoinTokens.fixed("K10test::server:join"), stateDir, Clock.systemUTC(),
                io.jenkins.plugins.kubeplatform.engine.kube.ApiRetry.defaults());
        ProvisionEdgeVmStep vm = new ProvisionEdgeVmStep("ci", "demo");
        vm.setCpu(1);
        vm.setMemory("1Gi");
        vm.setDisk("5Gi");
        vm.setImage("quay.io/containerdisks/ubuntu:22.04");
        vm.setLocation("48.85,2.35");

        ResultAction action = new ProvisionEdgeVmBuilder(vm).runWith(engine, Progress.silent());

        assertThat(action.getStep()).isEqualTo("provisionEdgeVm");
        assertThat(action.getLines().get(0)).startsWith("created: edge VM demo-ci (tenant demo) on site paris");
        assertThat(action.getLines().get(1)).startsWith("node demo-ci,");
        assertThat(sim.client().nodes().withName("demo-ci").get()).isNotNull();
    }

    @Test
    void refusesAJobOutsideTheTenantsAllowedFoldersNamingTheSetting() {
        ProvisionEdgeVmBuilder builder = new ProvisionEdgeVmBuilder(new ProvisionEdgeVmStep("web", "acme"));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> builder.checkAccess("team-b/web", "acme-team"))
                .isInstanceOf(hudson.AbortException.class)
                .hasMessageContaining("Job 'team-b/web'").hasMessageContaining("edge tenant 'acme'")
                .hasMessageContaining("edgeVms.quotas[].allowedJobs");
    }

    @Test
    void letsAJobInAnAllowedFolderOrAnyJobForATenantWithoutAListProvision() throws Exception {
        ProvisionEdgeVmBuilder builder = new ProvisionEdgeVmBuilder(new ProvisionEdgeVmStep("web", "acme"));

        builder.checkAccess("acme-team/web", "acme-team");
        builder.checkAccess("other/web", "");
    }
}
