package io.jenkins.plugins.kubeplatform.engine.stickyip;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.expose.DomainRegistry;
import io.jenkins.plugins.kubeplatform.engine.expose.ExposeEngine;
import io.jenkins.plugins.kubeplatform.engine.expose.ExposeRequest;
import io.jenkins.plugins.kubeplatform.engine.expose.ExposeResult;
import io.jenkins.plugins.kubeplatform.engine.expose.ExposeSettings;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import java.io.IOException;
import java.nio.file.Files;
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
 * The deploy-then-expose examples run as written: the parameters of docs/examples/build-and-deploy.Jenkinsfile,
 * build-with-docker.Jenkinsfile and the docs/expose.md example (checked to still be in those files) through the
 * engines of stickyIpDeploy and exposeApp against the simulated cluster; the exposed Service serves the deployed pods.
 */
class ExampleJenkinsfilesSimTest {

    @TempDir
    Path stateDir;

    SimulatedCluster sim;

    @BeforeEach
    void start() {
        sim = TestNamespaces.with(SimulatedCluster.start(SimOptions.builder().speed(100).build()), "shop", "payments");
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void runsTheBuildAndDeployExamplesDeployThenExpose() throws Exception {
        for (String example : List.of("build-and-deploy.Jenkinsfile", "build-with-docker.Jenkinsfile")) {
            assertThat(docs("examples/" + example)).as(example)
                    .contains("APP = 'web'", "NAMESPACE = 'shop'",
                            "stickyIpDeploy(name: env.APP, namespace: env.NAMESPACE, replicas: 3, port: 8080",
                            "pool: 'shop-pool'",
                            "exposeApp(app: env.APP, namespace: env.NAMESPACE, port: 80, targetPort: 8080)");
        }

        deploy("shop", "web", 3, 8080, "shop-pool");
        ExposeResult exposed = expose(ExposeRequest.of("shop", "web", 80, "shop/web#1").toBuilder()
                .targetPort(8080).build());

        assertThat(exposed.service()).isEqualTo("web");
        Service service = sim.client().services().inNamespace("shop").withName("web").get();
        assertThat(service.getSpec().getPorts()).extracting(p -> p.getPort() + "->" + p.getTargetPort().getIntVal())
                .containsExactlyInAnyOrder("8080->8080", "80->8080");
        assertThat(endpoints("shop", "web", 3)).hasSize(3);
    }

    @Test
    void runsTheExposeDocExampleInTheNamespaceItDeploysTo() throws Exception {
        assertThat(docs("expose.md")).contains("stickyIpDeploy name: 'wacai', namespace: 'payments'",
                "replicas: 2, port: 8080", "exposeApp app: '挖财', port: 8080, namespace: 'payments'");

        deploy("payments", "wacai", 2, 8080, "default");
        ExposeResult exposed = expose(ExposeRequest.of("payments", "挖财", 8080, "pay/wacai#1"));

        assertThat(exposed.service()).isEqualTo("wacai");
        assertThat(sim.client().services().inNamespace("payments").list().getItems()).hasSize(1);
        assertThat(endpoints("payments", "wacai", 2)).hasSize(2);
    }

    private void deploy(String namespace, String name, int replicas, int port, String pool) {
        IpReservationLedger ledger = new IpReservationLedger(new JournaledLedgerStore(stateDir.resolve("ip-ledger")),
                Clock.systemUTC(), new Random(1));
        new StickyIpDeployer(sim.client(), Map.of(pool, Pools.pool(pool, "10.42.200.0/24")), ledger,
                StickyIpDeployerSimTest.fastRetry())
                .deploy(DeployRequest.of(namespace, name, "registry.example.com/" + namespace + "/" + name + ":1",
                        replicas, port, pool).withTimeout(Duration.ofSeconds(60)), Progress.silent());
    }

    private ExposeResult expose(ExposeRequest request) {
        ExposeSettings settings = ExposeSettings.builder().suffix("apps.example.test").route("ingress")
                .admitTimeout("10s").build();
        return new ExposeEngine(sim.client(), settings, DomainRegistry.fileStore(stateDir.resolve("expose")),
                Clock.systemUTC(), Progress.silent(), StickyIpDeployerSimTest.fastRetry()).expose(request);
    }

    private List<?> endpoints(String namespace, String service, int count) throws Exception {
        List<EndpointSlice> slices = sim.client().discovery().v1().endpointSlices().inNamespace(namespace)
                .withLabel("kubernetes.io/service-name", service)
                .informOnCondition(s -> s.stream().mapToInt(e -> e.getEndpoints() == null ? 0 : e.getEndpoints().size())
                        .sum() == count)
                .get(30, TimeUnit.SECONDS);
        return slices.stream().flatMap(s -> s.getEndpoints().stream()).toList();
    }

    private static String docs(String file) throws IOException {
        Path dir = Path.of("").toAbsolutePath();
        while (!Files.exists(dir.resolve("docs/" + file))) {
            dir = dir.getParent();
        }
        return Files.readString(dir.resolve("docs/" + file));
    }
}
