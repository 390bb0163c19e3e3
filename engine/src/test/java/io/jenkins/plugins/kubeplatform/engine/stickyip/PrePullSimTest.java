package io.jenkins.plugins.kubeplatform.engine.stickyip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIP-4 pre-pull: a redeploy that changes images pulls them on the identities' nodes before replacing any. */
class PrePullSimTest {

    static SimulatedCluster sim;
    private static final Map<String, IpPool> POOLS = Map.of("default", Pools.pool("default", "10.42.200.0/24"));

    @TempDir
    Path stateDir;

    @BeforeAll
    static void start() {
        sim = TestNamespaces.with(SimulatedCluster.start(SimOptions.builder().speed(20).nodes(4).build()));
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    private StickyIpDeployer deployer(KubernetesClient client) {
        return new StickyIpDeployer(client, POOLS, new IpReservationLedger(
                new JournaledLedgerStore(stateDir.resolve("ip-ledger")), Clock.systemUTC(), new Random(1)),
                StickyIpDeployerSimTest.fastRetry());
    }

    private static DeployRequest app(String ns, String name, int replicas, String image) {
        return DeployRequest.of(ns, name, image, replicas, 8080, "default").withTimeout(Duration.ofSeconds(60));
    }

    private static List<Pod> appPods(KubernetesClient client, String ns, String name) {
        return client.pods().inNamespace(ns).withLabel(StickyIpLabels.NAME, name).list().getItems();
    }

    /** Records every pre-pull pod of the app the moment it is created. */
    private static final class PrePullPods implements Watcher<Pod>, AutoCloseable {
        final List<Pod> added = Collections.synchronizedList(new ArrayList<>());
        private final Watch watch;

        PrePullPods(KubernetesClient client, String ns, String app) {
            watch = client.pods().inNamespace(ns).withLabel(PrePull.LABEL, app).watch(this);
        }

        @Override
        public void eventReceived(Action action, Pod pod) {
            if (action == Action.ADDED) {
                added.add(pod);
            }
        }

        @Override
        public void onClose(WatcherException cause) {
        }

        @Override
        public void close() {
            watch.close();
        }
    }

    /** Waits (watch first, then the list) until no pre-pull pod of the app exists. */
    private static void awaitNoPrePullPods(KubernetesClient client, String ns, String app) throws Exception {
        CompletableFuture<Void> gone = new CompletableFuture<>();
        Set<String> left = Collections.synchronizedSet(new TreeSet<>());
        try (Watch ignored = client.pods().inNamespace(ns).withLabel(PrePull.LABEL, app).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                if (action == Action.DELETED) {
                    left.remove(pod.getMetadata().getName());
                    if (left.isEmpty()) {
                        gone.complete(null);
                    }
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        })) {
            client.pods().inNamespace(ns).withLabel(PrePull.LABEL, app).list().getItems()
                    .forEach(p -> left.add(p.getMetadata().getName()));
            if (left.isEmpty()) {
                return;
            }
            gone.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void failsARedeployWithABadImageBeforeReplacingAnyIdentity() throws Exception {
        StickyIpDeployer deployer = deployer(sim.client());
        deployer.deploy(app("shop", "bad", 4, "registry.example.com/bad:1"), Progress.silent());
        Map<String, String> before = appPods(sim.client(), "shop", "bad").stream()
                .collect(Collectors.toMap(p -> p.getMetadata().getUid(), p -> p.getSpec().getNodeName()));
        assertThat(before).hasSize(4);

        assertThatThrownBy(() -> deployer.deploy(app("shop", "bad", 4, "registry.example.com/fail-pull:2"),
                Progress.silent()))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("containers[bad].image: the image registry.example.com/fail-pull:2 cannot be "
                        + "pulled on node node-")
                .hasMessageContaining("ErrImagePull")
                .hasMessageContaining("failed to resolve reference")
                .hasMessageContaining("Nothing was replaced");

        List<Pod> after = appPods(sim.client(), "shop", "bad");
        assertThat(after).allSatisfy(p -> {
            assertThat(p.getStatus().getPhase()).isEqualTo("Running");
            assertThat(p.getMetadata().getDeletionTimestamp()).isNull();
            assertThat(p.getSpec().getContainers().get(0).getImage()).isEqualTo("registry.example.com/bad:1");
        });
        assertThat(after).extracting(p -> p.getMetadata().getUid()).containsExactlyInAnyOrderElementsOf(before.keySet());
        assertThat(sim.client().apps().deployments().inNamespace("shop").withLabel(StickyIpLabels.NAME, "bad").list()
                .getItems()).allSatisfy(d -> assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0)
                        .getImage()).isEqualTo("registry.example.com/bad:1"));
        awaitNoPrePullPods(sim.client(), "shop", "bad");
    }

    @Test
    void prePullsANewImageOnExactlyTheNodesHostingIdentitiesAndDeletesItsPods() throws Exception {
        StickyIpDeployer deployer = deployer(sim.client());
        deployer.deploy(app("keep", "good", 2, "registry.example.com/good:1"), Progress.silent());
        Set<String> hosting = appPods(sim.client(), "keep", "good").stream().map(p -> p.getSpec().getNodeName())
                .collect(Collectors.toCollection(TreeSet::new));
        List<String> lines = Collections.synchronizedList(new ArrayList<>());

        try (PrePullPods prePull = new PrePullPods(sim.client(), "keep", "good")) {
            DeployResult result = deployer.deploy(app("keep", "good", 2, "registry.example.com/good:2"),
                    Progress.lines(lines::add));

            assertThat(result.identities()).hasSize(2);
            assertThat(prePull.added).extracting(p -> p.getSpec().getNodeName())
                    .containsExactlyInAnyOrderElementsOf(hosting);
            assertThat(prePull.added).allSatisfy(p -> {
                assertThat(p.getSpec().getContainers()).singleElement().satisfies(c -> {
                    assertThat(c.getImage()).isEqualTo("registry.example.com/good:2");
                    assertThat(c.getCommand()).containsExactly(PrePull.COMMAND);
                    assertThat(c.getResources().getRequests()).isEqualTo(c.getResources().getLimits());
                });
                assertThat(p.getSpec().getRestartPolicy()).isEqualTo("Never");
                assertThat(p.getSpec().getTolerations()).singleElement()
                        .satisfies(t -> assertThat(t.getOperator()).isEqualTo("Exists"));
                assertThat(p.getMetadata().getOwnerReferences()).isNullOrEmpty();
                assertThat(p.getMetadata().getLabels()).containsEntry(StickyIpLabels.MANAGED_BY, StickyIpLabels.MANAGER)
                        .doesNotContainKey(StickyIpLabels.NAME);
            });
        }
        assertThat(appPods(sim.client(), "keep", "good")).allSatisfy(p -> assertThat(p.getSpec().getContainers()
                .get(0).getImage()).isEqualTo("registry.example.com/good:2"));
        int prePulled = indexOf(lines, "pre-pull: the new image(s) are on");
        assertThat(prePulled).isGreaterThanOrEqualTo(0).isLessThan(indexOf(lines, ": updating in place"));
        awaitNoPrePullPods(sim.client(), "keep", "good");

        List<String> rerun = Collections.synchronizedList(new ArrayList<>());
        deployer.deploy(app("keep", "good", 2, "registry.example.com/good:2"), Progress.lines(rerun::add));
        assertThat(rerun).noneMatch(l -> l.contains("pre-pull"));
    }

    /** Waits (watch first, then the list) until each of {@code nodes} reports {@code image} in its status. */
    private static void awaitNodesReport(KubernetesClient client, Set<String> nodes, String image) throws Exception {
        Set<String> waiting = Collections.synchronizedSet(new TreeSet<>(nodes));
        CompletableFuture<Void> reported = new CompletableFuture<>();
        java.util.function.Consumer<io.fabric8.kubernetes.api.model.Node> seen = n -> {
            if (n.getStatus().getImages() != null && n.getStatus().getImages().stream()
                    .anyMatch(i -> i.getNames().contains(image))) {
                waiting.remove(n.getMetadata().getName());
            }
            if (waiting.isEmpty()) {
                reported.complete(null);
            }
        };
        try (Watch ignored = client.nodes().watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, io.fabric8.kubernetes.api.model.Node node) {
                seen.accept(node);
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        })) {
            client.nodes().list().getItems().forEach(seen);
            reported.get(30, TimeUnit.SECONDS);
        }
    }

    /** The pods the deployer itself created in {@code ns} (not dry runs): its pre-pull pods. */
    private static long podCreatesByTheDeployer(String ns) {
        return sim.requests().list().stream().filter(r -> !r.internal() && !r.dryRun() && r.verb().equals("create")
                && r.resource().equals("pods") && r.subresource().isEmpty() && ns.equals(r.namespace())
                && r.status() < 300).count();
    }

    @Test
    void skipsThePrePullOnARollbackToTheImageTheNodesHoldButNotOnARedeployToANewImage() throws Exception {
        StickyIpDeployer deployer = deployer(sim.client());
        deployer.deploy(app("team", "back", 3, "registry.example.com/back:1"), Progress.silent());
        Set<String> hosting = appPods(sim.client(), "team", "back").stream().map(p -> p.getSpec().getNodeName())
                .collect(Collectors.toCollection(TreeSet::new));
        // the kubelet reports the image some time after its pull (default 20 s simulated)
        awaitNodesReport(sim.client(), hosting, "registry.example.com/back:1");

        long beforeNewImage = podCreatesByTheDeployer("team");
        deployer.deploy(app("team", "back", 3, "registry.example.com/back:2"), Progress.silent());
        long newImageCreates = podCreatesByTheDeployer("team") - beforeNewImage;
        awaitNoPrePullPods(sim.client(), "team", "back");

        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        long beforeRollback = podCreatesByTheDeployer("team");
        deployer.deploy(app("team", "back", 3, "registry.example.com/back:1"), Progress.lines(lines::add));
        long rollbackCreates = podCreatesByTheDeployer("team") - beforeRollback;

        assertThat(newImageCreates).as("pre-pull pods for back:2, one per hosting node").isEqualTo(hosting.size());
        assertThat(rollbackCreates).as("pre-pull pods for the rollback to back:1").isZero();
        assertThat(lines).contains("[step] pre-pull: " + hosting.size() + " of " + hosting.size() + " node(s) "
                + "already have the new image(s) and their pull policy (IfNotPresent or Never) lets the kubelet use "
                + "that copy, so no pre-pull pod runs there: " + String.join(", ", hosting));
        assertThat(appPods(sim.client(), "team", "back")).hasSize(3).allSatisfy(p -> assertThat(p.getSpec()
                .getContainers().get(0).getImage()).isEqualTo("registry.example.com/back:1"));
    }

    private static int indexOf(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void warnsAndRollsWithoutPrePullOrTheAdmissionDryRunWhenCreatingPodsIsForbidden() {
        try (SimulatedCluster secured = SimulatedCluster.start(SimOptions.builder().speed(20).nodes(2).rbac(true)
                .build())) {
            KubernetesClient admin = secured.newClient(secured.tokens().user("admin", "system:masters"));
            admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata()
                    .build()).create();
            admin.rbac().clusterRoles().resource(new ClusterRoleBuilder().withNewMetadata().withName("no-pod-create")
                    .endMetadata()
                    .addNewRule().withApiGroups("").withResources("nodes", "services", "events", "secrets")
                    .withVerbs("*").endRule()
                    .addNewRule().withApiGroups("").withResources("pods").withVerbs("get", "list", "watch", "delete")
                    .endRule()
                    .addNewRule().withApiGroups("apps", "crd.projectcalico.org", "authorization.k8s.io")
                    .withResources("*").withVerbs("*").endRule()
                    .build()).create();
            admin.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder().withNewMetadata()
                    .withName("deployer").endMetadata().withNewRoleRef().withApiGroup("rbac.authorization.k8s.io")
                    .withKind("ClusterRole").withName("no-pod-create").endRoleRef().addNewSubject().withKind("User")
                    .withApiGroup("rbac.authorization.k8s.io").withName("deployer").endSubject().build()).create();
            KubernetesClient client = secured.newClient(secured.tokens().user("deployer"));
            StickyIpDeployer deployer = new StickyIpDeployer(client, POOLS, new IpReservationLedger(
                    new JournaledLedgerStore(stateDir.resolve("secured-ledger")), Clock.systemUTC(), new Random(1)),
                    StickyIpDeployerSimTest.fastRetry());
            deployer.deploy(app("shop", "web", 2, "registry.example.com/web:1"), Progress.silent());
            List<String> lines = Collections.synchronizedList(new ArrayList<>());

            deployer.deploy(app("shop", "web", 2, "registry.example.com/web:2"), Progress.lines(lines::add));

            assertThat(lines).filteredOn(l -> l.startsWith("[warn] pre-pull skipped")).singleElement()
                    .satisfies(l -> assertThat(l).contains("403"));
            assertThat(lines).filteredOn(l -> l.startsWith("[warn] the API server did not say whether it admits"))
                    .singleElement().satisfies(l -> assertThat(l).contains("HTTP 403").contains("cannot create resource"));
            assertThat(appPods(admin, "shop", "web")).hasSize(2).allSatisfy(p -> assertThat(p.getSpec()
                    .getContainers().get(0).getImage()).isEqualTo("registry.example.com/web:2"));
            admin.close();
            client.close();
        }
    }

    @Test
    void deletesThePrePullPodsAKilledDeployLeftOnceTheyAreOlderThanAnHour() throws Exception {
        deployer(sim.client()).deploy(app("shop", "left", 2, "registry.example.com/left:1"), Progress.silent());
        // what a deploy killed during its pre-pull leaves: a pre-pull pod of the app, of another image
        Pod leftover = PrePull.render("shop", "left", new io.fabric8.kubernetes.api.model.PodSpec(),
                new PrePull.NodePull("node-1", List.of(new PrePull.Image("registry.example.com/left:0",
                        "containers[left].image", null))));
        String name = sim.client().pods().inNamespace("shop").resource(leftover).create().getMetadata().getName();

        deployer(sim.client()).deploy(app("shop", "left", 2, "registry.example.com/left:2"), Progress.silent());
        Pod kept = sim.client().pods().inNamespace("shop").withName(name).get();
        assertThat(kept).as("a recent one may be another deploy's: kept").isNotNull();
        assertThat(kept.getMetadata().getDeletionTimestamp()).isNull();

        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        StickyIpDeployer twoHoursLater = new StickyIpDeployer(sim.client(), POOLS, new IpReservationLedger(
                new JournaledLedgerStore(stateDir.resolve("ip-ledger")),
                Clock.offset(Clock.systemUTC(), Duration.ofHours(2)), new Random(1)),
                StickyIpDeployerSimTest.fastRetry());
        twoHoursLater.deploy(app("shop", "left", 2, "registry.example.com/left:3"), Progress.lines(lines::add));

        assertThat(lines).contains("[step] pre-pull: deleting 1 pod(s) an earlier deploy left: " + name);
        awaitNoPrePullPods(sim.client(), "shop", "left");
    }
}
