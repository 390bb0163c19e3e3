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

    /**
     * End to end with the simulated controllers: a deployer that may not create pods cannot ask about admission (it
     * warns), so the identities' ReplicaSets meet the refusal of a missing service account; the deploy's timeout
     * quotes it as the deployment controller reports it.
     */
    @Test
    void withoutTheAdmissionDryRunTheTimeoutQuotesTheRefusalTheReplicaSetMet() {
        try (SimulatedCluster secured = SimulatedCluster.start(SimOptions.builder().speed(20).nodes(2).rbac(true)
                .build())) {
            io.fabric8.kubernetes.client.KubernetesClient admin = secured.newClient(
                    secured.tokens().user("admin", "system:masters"));
            admin.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
                    .withName("shop").endMetadata().build()).create();
            admin.rbac().clusterRoles().resource(new io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder()
                    .withNewMetadata().withName("no-pod-create").endMetadata()
                    .addNewRule().withApiGroups("").withResources("nodes", "services", "events").withVerbs("*")
                    .endRule()
                    .addNewRule().withApiGroups("").withResources("pods").withVerbs("get", "list", "watch").endRule()
                    .addNewRule().withApiGroups("apps", "crd.projectcalico.org", "authorization.k8s.io")
                    .withResources("*").withVerbs("*").endRule().build()).create();
            admin.rbac().clusterRoleBindings().resource(new io.fabric8.kubernetes.api.model.rbac
                    .ClusterRoleBindingBuilder().withNewMetadata().withName("deployer").endMetadata().withNewRoleRef()
                    .withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName("no-pod-create")
                    .endRoleRef().addNewSubject().withKind("User").withApiGroup("rbac.authorization.k8s.io")
                    .withName("deployer").endSubject().build()).create();
            WorkloadTemplate t = ManifestParser.parse("template", """
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata: {name: web}
                    spec:
                      template:
                        spec:
                          serviceAccountName: deployer
                          containers:
                            - {name: web, image: "registry.example.com/web:1", ports: [{containerPort: 8080}]}
                    """);
            DeployRequest request = new DeployRequest("shop", "web", "", 1, 0, "default", "test",
                    Duration.ofSeconds(12), Map.of()).withTemplate(t);
            List<String> warnings = new CopyOnWriteArrayList<>();
            try (io.fabric8.kubernetes.client.KubernetesClient client = secured.newClient(
                    secured.tokens().user("deployer"))) {
                StickyIpDeployer deployer = new StickyIpDeployer(client,
                        Map.of("default", Pools.pool("default", "10.42.200.0/24")), new IpReservationLedger(
                                new JournaledLedgerStore(stateDir.resolve("secured-ledger")), Clock.systemUTC(),
                                new Random(1)), StickyIpDeployerSimTest.fastRetry());

                assertThatThrownBy(() -> deployer.deploy(request, Warnings.into(warnings)))
                        .isInstanceOf(OperationFailedException.class)
                        .hasMessageContaining("Likely cause: its ReplicaSet cannot create the pod: FailedCreate: pods "
                                + "\"web-0-")
                        .hasMessageContaining("is forbidden: error looking up service account shop/deployer: "
                                + "serviceaccount \"deployer\" not found");
            }
            org.assertj.core.api.Assertions.assertThat(warnings)
                    .anySatisfy(l -> org.assertj.core.api.Assertions.assertThat(l)
                            .contains("did not say whether it admits the pods of shop/web"));
            admin.close();
        }
    }
}
