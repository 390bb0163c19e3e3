package io.jenkins.plugins.kubeplatform.stickyip;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.jenkins.plugins.kubeplatform.common.ResultAction;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.stickyip.IpReservationLedger;
import io.jenkins.plugins.kubeplatform.engine.stickyip.StickyIpLabels;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The freestyle "Deploy with sticky pod IPs" build step against the simulated cluster. */
class StickyIpDeployBuilderTest {

    @TempDir
    Path stateDir;
    SimulatedCluster sim;

    @BeforeEach
    void start() {
        sim = io.jenkins.plugins.kubeplatform.common.SimNamespaces.with(SimulatedCluster.start());
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void deploysTwoReplicasWithPoolAddressesAndRecordsTheResultAction() {
        StickyIpDeployStep settings = new StickyIpDeployStep("web", 8080);
        settings.setImage("registry.example.com/web:1");
        settings.setReplicas(2);
        settings.setPool("default");
        settings.setTimeout("60s");
        StickyIpDeployBuilder builder = new StickyIpDeployBuilder(settings);

        ResultAction action = builder.deployWith(sim.client(), "default", "freestyle/web#3",
                StickyIpConfigurationPools.of(new PoolConfig("default", "10.42.200.0/24")),
                IpReservationLedger.open(stateDir, Clock.systemUTC()), Progress.silent());

        List<Pod> pods = sim.client().pods().inNamespace("default").withLabel(StickyIpLabels.NAME, "web").list()
                .getItems();
        List<String> podIps = pods.stream().map(p -> p.getStatus().getPodIP()).toList();
        assertThat(action.getStep()).isEqualTo("stickyIpDeploy default/web");
        assertThat(action.getLines()).hasSize(3);
        assertThat(podIps).hasSize(2).allMatch(ip -> ip.startsWith("10.42.200."));
        for (String ip : podIps) {
            assertThat(action.getLines()).anyMatch(l -> l.contains(": " + ip + " on node-"));
        }
    }

    @Test
    void refusesAJobOutsideThePoolsAllowedFoldersNamingTheSetting() {
        StickyIpDeployStep settings = new StickyIpDeployStep("web", 8080);
        settings.setPool("shop-pool");
        StickyIpDeployBuilder builder = new StickyIpDeployBuilder(settings);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> builder.checkAccess("team-b/web", "team-a"))
                .isInstanceOf(hudson.AbortException.class)
                .hasMessageContaining("Job 'team-b/web'").hasMessageContaining("IP pool 'shop-pool'")
                .hasMessageContaining("stickyIp.pools[].allowedJobs");
    }

    @Test
    void letsAJobInAnAllowedFolderOrAnyJobForAPoolWithoutAListDeploy() throws Exception {
        StickyIpDeployBuilder builder = new StickyIpDeployBuilder(new StickyIpDeployStep("web", 8080));

        builder.checkAccess("team-a/web", "team-a");
        builder.checkAccess("team-b/web", "");
    }
}
