package io.jenkins.plugins.kubeplatform.engine.stickyip;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An identity whose ReplicaSet is refused its pod after the deploy started (an exhausted quota, an admission policy
 * that changed): the wait reports, and the timeout names, the deployment controller's {@code ReplicaFailure}.
 * No simulated controllers run here, so the test writes that condition itself, as the deployment controller copies it
 * from the ReplicaSet (progress.go syncRolloutStatus).
 */
class ReplicaFailureDiagnosisSimTest {

    private static final String REFUSAL = "pods \"web-0-5d8f7c9b4-\" is forbidden: exceeded quota: compute, requested: "
            + "pods=1, used: pods=10, limited: pods=10";

    @TempDir
    Path stateDir;

    @AutoClose
    private final SimulatedCluster sim = TestNamespaces.with(SimulatedCluster.start(SimOptions.builder()
            .builtInControllers(false).build()));

    @Test
    void aTimeoutOfAnIdentityWithoutAPodNamesItsReplicaSetsRefusal() throws Exception {
        StickyIpDeployer deployer = new StickyIpDeployer(sim.client(),
                Map.of("default", Pools.pool("default", "10.42.200.0/24")), new IpReservationLedger(
                        new JournaledLedgerStore(stateDir.resolve("ip-ledger")), Clock.systemUTC(), new Random(1)),
                StickyIpDeployerSimTest.fastRetry());
        DeployRequest request = new DeployRequest("shop", "web", "registry.example.com/web:1", 1, 8080, "default",
                "test", Duration.ofSeconds(12), Map.of());
        List<String> waiting = new CopyOnWriteArrayList<>();
        try (Watch w = sim.client().apps().deployments().inNamespace("shop").watch(new Watcher<Deployment>() {
            @Override
            public void eventReceived(Action action, Deployment d) {
                if (action == Action.ADDED) {
                    sim.client().apps().deployments().inNamespace("shop").resource(d).editStatus(x -> {
                        x.setStatus(new io.fabric8.kubernetes.api.model.apps.DeploymentStatus());
                        x.getStatus().setConditions(List.of(new DeploymentConditionBuilder().withType("ReplicaFailure")
                                .withStatus("True").withReason("FailedCreate").withMessage(REFUSAL).build()));
                        return x;
                    });
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        })) {
            assertThatThrownBy(() -> deployer.deploy(request, Progress.lines(l -> {
                if (l.startsWith("[wait]")) {
                    waiting.add(l);
                }
            }))).isInstanceOf(OperationFailedException.class)
                    .hasMessageContaining("shop/web-0: expected a pod with 10.42.200.")
                    .hasMessageContaining("Likely cause: its ReplicaSet cannot create the pod: FailedCreate: " + REFUSAL);
        }
        org.assertj.core.api.Assertions.assertThat(waiting)
                .anySatisfy(l -> org.assertj.core.api.Assertions.assertThat(l)
                        .contains("no pod yet, its ReplicaSet cannot create one: FailedCreate: " + REFUSAL));
    }
}
