package io.jenkins.plugins.kubeplatform.engine.edgevm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.jenkins.plugins.kubeplatform.engine.config.PlatformConfig;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.kube.ApiRetry;
import io.jenkins.plugins.kubeplatform.engine.stickyip.DeployRequest;
import io.jenkins.plugins.kubeplatform.engine.stickyip.DeployResult;
import io.jenkins.plugins.kubeplatform.engine.stickyip.IpReservationLedger;
import io.jenkins.plugins.kubeplatform.engine.stickyip.ManifestParser;
import io.jenkins.plugins.kubeplatform.engine.stickyip.PoolSettings;
import io.jenkins.plugins.kubeplatform.engine.stickyip.StickyIpDeployer;
import io.jenkins.plugins.kubeplatform.engine.stickyip.WorkloadTemplate;
import io.jenkins.plugins.kubeplatform.engine.store.AtomicFileStore;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import io.jenkins.plugins.kubeplatform.sim.kubevirt.SimKubeVirt;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deploying onto an edge VM (docs/examples/edge-sticky-deploy.Jenkinsfile): provisionEdgeVm joins a VM as a node of an
 * edge cluster (a second simulated cluster behind the edge cluster's join server), then stickyIpDeploy, on that edge
 * cluster's connection, with a template whose node selector and toleration target the VM's node.
 */
class EdgeVmStickyDeployTest {

    private static final ApiRetry RETRY = new ApiRetry(4, Duration.ofMillis(20), Duration.ofMillis(100),
            d -> Thread.sleep(d.toMillis()));

    @TempDir
    Path stateDir;

    private SimulatedCluster site;
    private SimulatedCluster edge;

    @AfterEach
    void stop() {
        if (site != null) {
            site.close();
        }
        if (edge != null) {
            edge.close();
        }
    }

    @Test
    void runsTheIdentityOnTheJoinedVmWithItsPinnedAddress() {
        site = SimulatedCluster.start(SimOptions.builder().speed(100).build());
        edge = SimulatedCluster.start(SimOptions.builder().speed(100).nodes(2).build());
        site.controller(SimKubeVirt.class).orElseThrow().joinTarget("https://edge-ams.example.net:6443", edge.client());
        // the edge cluster x-ams has a connection of its own ("edge-ams"); every other name is the site cluster
        EdgeSettings settings = EdgeSettings.from(PlatformConfig.parse("test", EdgeFixtures.YAML.replace("{P}", "x-")
                .replace("{NEW_METHOD}", "k3s").replaceAll("(- name: x-ams\n)( +)", "$1$2cluster: edge-ams\n$2")));
        ClusterClients connections = name -> "edge-ams".equals(name) ? edge.client() : site.client();
        EdgeVmEngine vms = new EdgeVmEngine(settings, connections,
                c -> EdgeFixtures.TOKEN, AtomicFileStore.of(stateDir.resolve(Inventory.FILE), Inventory.KIND,
                        Inventory.class, Inventory::empty), Clock.systemUTC(), RETRY);

        EdgeVmResult vm = vms.create(EdgeVmRequest.of("web", "acme", 2, "2Gi", "10Gi",
                "quay.io/containerdisks/ubuntu:22.04", false, "52.37,4.90", null, null, null, "x-ams"), true,
                Progress.silent());
        // the edge cluster keeps other workloads off its VMs; the template tolerates that
        edge.client().nodes().withName(vm.node()).edit(n -> {
            n.getSpec().setTaints(List.of(new Taint("NoSchedule", "kubeplatform.jenkins.io/edge-only", null, "true")));
            return n;
        });
        WorkloadTemplate template = ManifestParser.parse("template", """
                spec:
                  nodeSelector:
                    kubeplatform.jenkins.io/edge-vm: acme-web
                  tolerations:
                    - {key: kubeplatform.jenkins.io/edge-only, operator: Equal, value: "true", effect: NoSchedule}
                  containers:
                    - name: sensor
                      image: registry.example.com/edge/sensor:7
                      ports: [{name: udp, containerPort: 5683, protocol: UDP}]
                """);
        StickyIpDeployer deployer = new StickyIpDeployer(edge.client(), Map.of("edge", PoolSettings.builder("edge")
                .ranges("10.42.200.0/26").reclaimAfter("1h").build().toPool()),
                IpReservationLedger.open(stateDir, Clock.systemUTC()), RETRY);

        DeployResult result = deployer.deploy(new DeployRequest("default", "sensor", "", 1, 0, "edge", "test",
                Duration.ofSeconds(60), Map.of(), Optional.of(template), Optional.empty()), Progress.silent());

        assertThat(vm.edgeCluster()).isEqualTo("x-ams");
        assertThat(result.identities()).singleElement().satisfies(id -> {
            assertThat(id.node()).isEqualTo(vm.node());
            assertThat(id.ip()).startsWith("10.42.200.");
        });
        Pod pod = edge.client().pods().inNamespace("default").withName(result.identities().get(0).pod()).get();
        assertThat(pod.getSpec().getNodeName()).isEqualTo(vm.node());
        assertThat(pod.getStatus().getPodIP()).isEqualTo(result.identities().get(0).ip());
        assertThat(site.client().pods().inAnyNamespace().withLabel("app.kubernetes.io/name", "sensor").list().getItems())
                .as("nothing deployed on the site cluster").isEmpty();
    }
}
