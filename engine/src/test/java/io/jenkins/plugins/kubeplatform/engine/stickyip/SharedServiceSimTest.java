package io.jenkins.plugins.kubeplatform.engine.stickyip;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.expose.DomainRegistry;
import io.jenkins.plugins.kubeplatform.engine.expose.ExposeEngine;
import io.jenkins.plugins.kubeplatform.engine.expose.ExposeRequest;
import io.jenkins.plugins.kubeplatform.engine.expose.ExposeSettings;
import io.jenkins.plugins.kubeplatform.engine.kube.SharedObjects;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * stickyIpDeploy and exposeApp on one Service, as both example Jenkinsfiles use them: deploy on 8080, expose 80 to
 * 8080. Neither step undoes the other: the deploy owns its port and selector, exposeApp's port is recorded as added.
 */
class SharedServiceSimTest {

    @TempDir
    Path stateDir;

    SimulatedCluster sim;

    @BeforeEach
    void start() {
        sim = TestNamespaces.with(SimulatedCluster.start(SimOptions.builder().speed(100).build()), "shop");
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    private DeployResult deploy() {
        IpReservationLedger ledger = new IpReservationLedger(new JournaledLedgerStore(stateDir.resolve("ip-ledger")),
                Clock.systemUTC(), new Random(1));
        return new StickyIpDeployer(sim.client(), Map.of("shop-pool", Pools.pool("shop-pool", "10.42.200.0/24")),
                ledger, StickyIpDeployerSimTest.fastRetry())
                .deploy(DeployRequest.of("shop", "web", "registry.example.com/shop/web:1", 2, 8080, "shop-pool")
                        .withTimeout(Duration.ofSeconds(60)), Progress.silent());
    }

    private void expose() {
        ExposeSettings settings = ExposeSettings.builder().suffix("apps.example.test").route("ingress")
                .admitTimeout("10s").build();
        new ExposeEngine(sim.client(), settings, DomainRegistry.fileStore(stateDir.resolve("expose")),
                Clock.systemUTC(), Progress.silent(), StickyIpDeployerSimTest.fastRetry())
                .expose(ExposeRequest.of("shop", "web", 80, "shop/web#1").toBuilder().targetPort(8080).build());
    }

    private Service service() {
        return sim.client().services().inNamespace("shop").withName("web").get();
    }

    private static List<String> ports(Service s) {
        return s.getSpec().getPorts().stream().map(p -> p.getPort() + "->" + target(p)).sorted().toList();
    }

    private static String target(ServicePort p) {
        IntOrString t = p.getTargetPort();
        return t.getIntVal() != null ? String.valueOf(t.getIntVal()) : t.getStrVal();
    }

    @Test
    void keepsPort8080ServingWhenExposeAppAddsPort80ToTheDeploysService() throws Exception {
        deploy();
        expose();

        Service after = service();
        assertThat(ports(after)).containsExactly("80->8080", "8080->8080");
        assertThat(after.getMetadata().getAnnotations()).containsEntry(SharedObjects.OWNER_STEP, "stickyIpDeploy")
                .containsEntry(SharedObjects.ADDED_PORTS, "80=exposeApp");
        // the Service's endpoints still list both replicas (its selector was not touched)
        EndpointSlice slice = sim.client().discovery().v1().endpointSlices().inNamespace("shop")
                .withLabel("kubernetes.io/service-name", "web")
                .informOnCondition(slices -> slices.stream().anyMatch(s -> s.getEndpoints() != null
                        && s.getEndpoints().size() == 2))
                .get(30, TimeUnit.SECONDS).get(0);
        assertThat(slice.getEndpoints()).hasSize(2);
    }

    @Test
    void keepsExposeAppsPortWhenTheDeployRunsAgain() {
        deploy();
        expose();
        sim.requests().clear();

        deploy();

        assertThat(ports(service())).containsExactly("80->8080", "8080->8080");
        assertThat(sim.requests().matching(r -> !r.internal() && "update".equals(r.verb())
                && "services".equals(r.resource()))).as("the Service already matched: nothing to write").isEmpty();
    }

    @Test
    void restoresItsOwnPortWithoutRemovingTheAddedOne() {
        deploy();
        expose();
        Service drifted = service();
        drifted.getSpec().getPorts().stream().filter(p -> p.getPort() == 8080)
                .forEach(p -> p.setTargetPort(new IntOrString(9999)));
        sim.client().services().inNamespace("shop").resource(drifted).update();

        deploy();

        assertThat(ports(service())).containsExactly("80->8080", "8080->8080");
    }

    @Test
    void givesPodsAndServiceTheTrafficLabelRepairNodeRemoves() {
        deploy();

        assertThat(service().getSpec().getSelector()).containsEntry(SharedObjects.TRAFFIC_LABEL,
                SharedObjects.TRAFFIC_SERVING);
        assertThat(sim.client().pods().inNamespace("shop").withLabel(StickyIpLabels.NAME, "web").list().getItems())
                .hasSize(2).allSatisfy(p -> assertThat(p.getMetadata().getLabels())
                        .containsEntry(SharedObjects.TRAFFIC_LABEL, SharedObjects.TRAFFIC_SERVING));
        assertThat(sim.client().apps().deployments().inNamespace("shop").list().getItems())
                .allSatisfy(d -> assertThat(d.getSpec().getSelector().getMatchLabels())
                        .doesNotContainKey(SharedObjects.TRAFFIC_LABEL));
    }
}
