package io.jenkins.plugins.kubeplatform.engine.stickyip;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.sim.ApiRequest;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import io.jenkins.plugins.kubeplatform.sim.rbac.RbacPolicy;
import io.jenkins.plugins.kubeplatform.sim.rbac.ResourceRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A redeploy that changes only images updates each identity's pod in place (SIP-4): same pod, node and address, the
 * changed container restarted from the new image, no new ReplicaSet, the Deployment resumed with the new template.
 */
class StickyIpInPlaceSimTest {

    private static final String OLD = "registry.example.com/web:1";
    private static final String NEW = "registry.example.com/web:2";
    /**
     * Images no other test here pulls: a node whose status already lists the new image gets no pre-pull pod, and the
     * first test counts one per node.
     */
    private static final String FIRST = "registry.example.com/in-place:1";
    private static final String SECOND = "registry.example.com/in-place:2";

    private static SimulatedCluster sim;

    @TempDir
    Path stateDir;

    @BeforeAll
    static void start() {
        sim = TestNamespaces.with(SimulatedCluster.start(SimOptions.builder().speed(20).nodes(3).build()));
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    private StickyIpDeployer deployer() {
        return StickyIpDeployerSimTest.onDefaultPool(sim.client(), stateDir);
    }

    private static DeployRequest app(String ns, String name, String image) {
        return DeployRequest.of(ns, name, image, 3, 8080, "default").withTimeout(Duration.ofSeconds(60));
    }

    private static Map<String, Pod> pods(String ns, String name) {
        return sim.client().pods().inNamespace(ns).withLabel(StickyIpLabels.NAME, name).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .collect(Collectors.toMap(p -> p.getMetadata().getName(), Function.identity(), (a, b) -> a,
                        TreeMap::new));
    }

    private static String summary(Pod p) {
        return p.getMetadata().getUid() + " " + p.getStatus().getPodIP() + " " + p.getSpec().getNodeName();
    }

    private static ContainerStatus status(Pod p) {
        return p.getStatus().getContainerStatuses().get(0);
    }

    @Test
    void keepsEachPodNodeAndAddressAndRestartsItsContainerFromTheNewImage() {
        StickyIpDeployer deployer = deployer();
        deployer.deploy(app("shop", "web", FIRST), Progress.silent());
        Map<String, String> before = new TreeMap<>();
        pods("shop", "web").forEach((name, p) -> before.put(name, summary(p)));
        sim.requests().clear();
        List<String> lines = Collections.synchronizedList(new ArrayList<>());

        DeployResult result = deployer.deploy(app("shop", "web", SECOND), Progress.lines(lines::add));
        List<ApiRequest> sent = sim.requests().matching(r -> !r.internal());

        Map<String, Pod> after = pods("shop", "web");
        Map<String, String> summaries = new TreeMap<>();
        after.forEach((name, p) -> summaries.put(name, summary(p)));
        assertThat(summaries).as("the same pods (uid, address, node)").isEqualTo(before);
        assertThat(after.values()).allSatisfy(p -> {
            assertThat(p.getSpec().getContainers().get(0).getImage()).isEqualTo(SECOND);
            assertThat(status(p).getImage()).isEqualTo(SECOND);
            assertThat(status(p).getRestartCount()).isEqualTo(1);
            assertThat(status(p).getReady()).isTrue();
        });
        assertThat(result.identities()).extracting(DeployResult.IdentityResult::pod)
                .containsExactlyInAnyOrderElementsOf(before.keySet());
        assertThat(lines).filteredOn(l -> l.contains(": updating in place")).hasSize(3);
        for (int i = 0; i < 3; i++) {
            Deployment d = sim.client().apps().deployments().inNamespace("shop").withName("web-" + i).get();
            assertThat(d.getSpec().getPaused()).as("resumed").isNotEqualTo(Boolean.TRUE);
            assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo(SECOND);
            List<ReplicaSet> sets = sim.client().apps().replicaSets().inNamespace("shop")
                    .withLabel(StickyIpLabels.IDENTITY, "web-" + i).list().getItems();
            assertThat(sets).as("no new ReplicaSet for web-" + i).singleElement().satisfies(rs -> {
                assertThat(rs.getSpec().getReplicas()).isEqualTo(1);
                assertThat(rs.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo(SECOND);
            });
        }
        List<ApiRequest> writes = sent.stream().filter(ApiRequest::persisted).toList();
        assertThat(writes).as("no pod of the app deleted by the deploy (only the pre-pull pods)")
                .noneMatch(r -> r.resource().equals("pods") && r.verb().equals("delete")
                        && !r.name().startsWith("web-pre-pull-"));
        assertThat(writes).as("pods created: one pre-pull pod per node, none for the app")
                .filteredOn(r -> r.resource().equals("pods") && r.verb().equals("create")).hasSize(3);
        assertThat(writes).as("four writes per identity, all patches")
                .filteredOn(r -> !r.resource().equals("pods") || r.verb().equals("patch"))
                .extracting(r -> r.verb() + " " + r.resource()).containsExactlyInAnyOrder(
                        "patch deployments", "patch replicasets", "patch pods", "patch deployments",
                        "patch deployments", "patch replicasets", "patch pods", "patch deployments",
                        "patch deployments", "patch replicasets", "patch pods", "patch deployments");
        List<ResourceRequest> requests = sent.stream().map(r -> ResourceRequest.fromHttp(r.method(), r.pathAndQuery())).flatMap(Optional::stream).toList();
        assertThat(RbacPolicy.ofProject().denied("kubeplatform-stickyIpDeploy", requests))
                .as("requests outside docs/rbac.yaml").isEmpty();
    }

    @Test
    void resumesADeploymentAnInterruptedInPlaceUpdateLeftPausedOnTheNextDeploy() {
        StickyIpDeployer deployer = deployer();
        deployer.deploy(app("team", "cache", OLD), Progress.silent());
        sim.client().apps().deployments().inNamespace("team").withName("cache-1")
                .edit(d -> {
                    d.getSpec().setPaused(true);
                    return d;
                });

        DeployResult again = deployer.deploy(app("team", "cache", OLD), Progress.silent());

        assertThat(again.identities()).hasSize(3);
        assertThat(sim.client().apps().deployments().inNamespace("team").withName("cache-1").get().getSpec()
                .getPaused()).isNotEqualTo(Boolean.TRUE);
    }

    @Test
    void replacesThePodsWhenInPlaceUpdatesAreOff() {
        StickyIpDeployer deployer = deployer();
        deployer.deploy(app("keep", "api", OLD), Progress.silent());
        Map<String, Pod> before = pods("keep", "api");

        deployer.deploy(app("keep", "api", NEW), RolloutPolicy.defaults().withInPlace(false), Progress.silent());

        Map<String, Pod> after = pods("keep", "api");
        assertThat(after.values()).extracting(p -> p.getMetadata().getUid())
                .doesNotContainAnyElementsOf(before.values().stream().map(p -> p.getMetadata().getUid()).toList());
        assertThat(after.values()).extracting(p -> p.getStatus().getPodIP()).containsExactlyInAnyOrderElementsOf(
                before.values().stream().map(p -> p.getStatus().getPodIP()).toList());
        assertThat(after.values()).allSatisfy(p -> assertThat(status(p).getRestartCount()).isZero());
    }

    @Test
    void replacesThePodsWhenMoreThanTheImageChanges() {
        StickyIpDeployer deployer = deployer();
        deployer.deploy(app("other", "db", OLD), Progress.silent());
        Map<String, Pod> before = pods("other", "db");

        deployer.deploy(app("other", "db", NEW).withEnv(Map.of("MODE", "blue")), Progress.silent());

        Map<String, Pod> after = pods("other", "db");
        assertThat(after.values()).extracting(p -> p.getMetadata().getUid())
                .doesNotContainAnyElementsOf(before.values().stream().map(p -> p.getMetadata().getUid()).toList());
        assertThat(after.values()).allSatisfy(p -> assertThat(p.getSpec().getContainers().get(0).getEnv())
                .anySatisfy(e -> assertThat(e.getName()).isEqualTo("MODE")));
    }

    @Test
    void replacesThePodsWithAWarningWhenTheCredentialMayNotPatchReplicaSets() {
        try (SimulatedCluster secured = SimulatedCluster.start(SimOptions.builder().speed(20).nodes(2).rbac(true)
                .build());
             KubernetesClient admin = secured.newClient(secured.tokens().user("admin", "system:masters"))) {
            admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata()
                    .build()).create();
            // everything a deploy needs, and patch on Deployments and pods, but not on ReplicaSets
            admin.rbac().clusterRoles().resource(new ClusterRoleBuilder().withNewMetadata()
                    .withName("no-replicaset-patch").endMetadata()
                    .addNewRule().withApiGroups("").withResources("*").withVerbs("*").endRule()
                    .addNewRule().withApiGroups("apps").withResources("deployments").withVerbs("*").endRule()
                    .addNewRule().withApiGroups("apps").withResources("replicasets")
                    .withVerbs("get", "list", "watch").endRule()
                    .addNewRule().withApiGroups("crd.projectcalico.org", "authorization.k8s.io").withResources("*")
                    .withVerbs("*").endRule()
                    .build()).create();
            admin.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder().withNewMetadata()
                    .withName("deployer").endMetadata().withNewRoleRef().withApiGroup("rbac.authorization.k8s.io")
                    .withKind("ClusterRole").withName("no-replicaset-patch").endRoleRef().addNewSubject()
                    .withKind("User").withApiGroup("rbac.authorization.k8s.io").withName("deployer").endSubject()
                    .build()).create();
            try (KubernetesClient client = secured.newClient(secured.tokens().user("deployer"))) {
                StickyIpDeployer deployer = new StickyIpDeployer(client, Map.of("default", Pools.pool("default",
                        "10.42.200.0/24")), new IpReservationLedger(new JournaledLedgerStore(
                        stateDir.resolve("secured-ledger")), Clock.systemUTC(), new Random(1)),
                        StickyIpDeployerSimTest.fastRetry());
                DeployRequest first = DeployRequest.of("shop", "web", OLD, 2, 8080, "default")
                        .withTimeout(Duration.ofSeconds(60));
                deployer.deploy(first, Progress.silent());
                List<Pod> before = client.pods().inNamespace("shop").withLabel(StickyIpLabels.NAME, "web").list()
                        .getItems();
                List<String> lines = Collections.synchronizedList(new ArrayList<>());

                deployer.deploy(DeployRequest.of("shop", "web", NEW, 2, 8080, "default")
                        .withTimeout(Duration.ofSeconds(60)), Progress.lines(lines::add));

                assertThat(lines).filteredOn(l -> l.startsWith("[warn] in-place updates off")).singleElement()
                        .satisfies(l -> assertThat(l).contains("patch").contains("replicasets"));
                assertThat(lines).noneMatch(l -> l.contains(": updating in place"));
                List<Pod> after = admin.pods().inNamespace("shop").withLabel(StickyIpLabels.NAME, "web").list()
                        .getItems().stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
                assertThat(after).extracting(p -> p.getMetadata().getUid()).as("new pods")
                        .doesNotContainAnyElementsOf(before.stream().map(p -> p.getMetadata().getUid()).toList());
                assertThat(after).extracting(p -> p.getStatus().getPodIP()).as("with the same addresses")
                        .containsExactlyInAnyOrderElementsOf(before.stream().map(p -> p.getStatus().getPodIP())
                                .toList());
                assertThat(after).allSatisfy(p -> assertThat(p.getSpec().getContainers().get(0).getImage())
                        .isEqualTo(NEW));
            }
        }
    }
}
