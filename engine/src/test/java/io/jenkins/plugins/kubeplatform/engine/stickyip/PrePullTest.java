package io.jenkins.plugins.kubeplatform.engine.stickyip;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What {@link PrePull} pulls where, and how it reads the states a real kubelet reports for its pods. */
class PrePullTest {

    private static final PrePull.NodePull PULL = new PrePull.NodePull("node-2",
            List.of(new PrePull.Image("registry.example.com/web:2", "containers[web].image", null)));

    private static Deployment template(String image) {
        return new DeploymentBuilder().withNewSpec().withNewTemplate().withNewSpec().addNewContainer().withName("web")
                .withImage(image).endContainer().endSpec().endTemplate().endSpec().build();
    }

    private static DeployPlan.Replace replace(int ordinal, String image) {
        ReplicaIdentity identity = new ReplicaIdentity("shop", "web", ordinal);
        Reservation reservation = new Reservation(identity.key(), "default", "10.42.200." + (ordinal + 1),
                Reservation.Kind.MANAGED, Reservation.State.ACTIVE, null, null, "test", Instant.EPOCH, 1);
        return new DeployPlan.Replace(identity, reservation, reservation.ip(), template(image), "h2", Optional.empty(),
                "workload changed");
    }

    private static Pod running(String name, String node, String image, boolean ready) {
        return new PodBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().withNodeName(node)
                .addNewContainer().withName("web").withImage(image).endContainer().endSpec()
                .withNewStatus().withPhase("Running").addNewCondition().withType("Ready")
                .withStatus(ready ? "True" : "False").endCondition().endStatus().build();
    }

    private static Pod prePullPod(String phase, ContainerState state) {
        Pod pod = PrePull.render("shop", "web", template("x").getSpec().getTemplate().getSpec(), PULL);
        pod.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase(phase)
                .withContainerStatuses(new ContainerStatusBuilder().withName("pull-0")
                        .withImage("registry.example.com/web:2").withState(state).build()).build());
        return pod;
    }

    private static ContainerState waiting(String reason, String message) {
        return new ContainerStateBuilder().withNewWaiting().withReason(reason).withMessage(message).endWaiting().build();
    }

    @Test
    void plansOnePullPerNodeOfAReadyPodWhoseImageChanges() {
        Map<String, List<Pod>> pods = Map.of(
                "web-0", List.of(running("web-0-a", "node-1", "registry.example.com/web:1", true)),
                "web-1", List.of(running("web-1-a", "node-1", "registry.example.com/web:1", true)),
                "web-2", List.of(running("web-2-a", "node-2", "registry.example.com/web:1", true)),
                "web-3", List.of(running("web-3-a", "node-3", "registry.example.com/web:1", false)),
                "web-4", List.of(running("web-4-a", "node-4", "registry.example.com/web:2", true)));

        List<PrePull.NodePull> plan = PrePull.plan(List.of(replace(0, "registry.example.com/web:2"),
                replace(1, "registry.example.com/web:2"), replace(2, "registry.example.com/web:2"),
                replace(3, "registry.example.com/web:2"), replace(4, "registry.example.com/web:2")), pods, Map.of())
                .pulls();

        assertThat(plan).extracting(PrePull.NodePull::node).containsExactly("node-1", "node-2");
        assertThat(plan).allSatisfy(p -> assertThat(p.images()).extracting(PrePull.Image::image, PrePull.Image::field)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("registry.example.com/web:2",
                        "containers[web].image")));
    }

    private static Deployment template(String image, String pullPolicy) {
        Deployment d = template(image);
        d.getSpec().getTemplate().getSpec().getContainers().get(0).setImagePullPolicy(pullPolicy);
        return d;
    }

    private static DeployPlan.Replace replace(int ordinal, Deployment desired) {
        DeployPlan.Replace r = replace(ordinal, "unused");
        return new DeployPlan.Replace(r.identity(), r.reservation(), r.addresses(), desired, r.templateHash(),
                r.pinnedNode(), r.reason());
    }

    private static ClusterView.NodeState node(String name, String... images) {
        return new ClusterView.NodeState(name, true, true, name, java.util.Set.of(images));
    }

    /** web-0 on node-1, web-1 on node-2, web-2 on node-3, each running {@code registry.example.com/web:1}. */
    private static Map<String, List<Pod>> threeNodes() {
        return Map.of("web-0", List.of(running("web-0-a", "node-1", "registry.example.com/web:1", true)),
                "web-1", List.of(running("web-1-a", "node-2", "registry.example.com/web:1", true)),
                "web-2", List.of(running("web-2-a", "node-3", "registry.example.com/web:1", true)));
    }

    @Test
    void skipsNodesThatListTheTaggedImageWhenThePolicyIsIfNotPresentByDefault() {
        // a tag other than latest defaults to IfNotPresent; node-1 and node-3 list the image, node-2 does not
        Map<String, ClusterView.NodeState> nodes = Map.of(
                "node-1", node("node-1", "registry.example.com/web:2", "registry.example.com/web:1"),
                "node-2", node("node-2", "registry.example.com/web:1"),
                "node-3", node("node-3", "registry.example.com/web:2"));
        Deployment desired = template("registry.example.com/web:2");

        PrePull.Plan plan = PrePull.plan(List.of(replace(0, desired), replace(1, desired), replace(2, desired)),
                threeNodes(), nodes);

        assertThat(plan.pulls()).extracting(PrePull.NodePull::node).containsExactly("node-2");
        assertThat(plan.present()).containsExactly("node-1", "node-3");
    }

    @Test
    void matchesAShortDockerHubNameAgainstTheFullyQualifiedNameTheNodeReports() {
        Map<String, List<Pod>> pods = Map.of("web-0", List.of(running("web-0-a", "node-1", "nginx:1.26", true)));
        Map<String, ClusterView.NodeState> nodes = Map.of("node-1", node("node-1",
                "docker.io/library/nginx@sha256:" + "a".repeat(64), "docker.io/library/nginx:1.27"));

        PrePull.Plan plan = PrePull.plan(List.of(replace(0, template("nginx:1.27"))), pods, nodes);

        assertThat(plan.pulls()).isEmpty();
        assertThat(plan.present()).containsExactly("node-1");
    }

    @Test
    void matchesADigestReferenceAgainstTheRepoDigestTheNodeReports() {
        String digest = "sha256:" + "0123456789abcdef".repeat(4);
        Map<String, List<Pod>> pods = Map.of("web-0", List.of(running("web-0-a", "node-1", "shop/web:1", true)));
        Map<String, ClusterView.NodeState> nodes = Map.of("node-1", node("node-1", "docker.io/shop/web@" + digest));

        PrePull.Plan plan = PrePull.plan(List.of(replace(0, template("shop/web@" + digest))), pods, nodes);

        assertThat(plan.pulls()).isEmpty();
        assertThat(plan.present()).containsExactly("node-1");
    }

    @Test
    void keepsThePrePullWhereThePolicyIsAlwaysEvenIfTheNodeListsTheImage() {
        Map<String, ClusterView.NodeState> nodes = Map.of(
                "node-1", node("node-1", "registry.example.com/web:2"),
                "node-2", node("node-2", "registry.example.com/web:latest"),
                "node-3", node("node-3", "registry.example.com/web:2"));
        Deployment explicitAlways = template("registry.example.com/web:2", "Always");
        // no tag means :latest, whose default policy is Always
        Deployment untagged = template("registry.example.com/web");

        PrePull.Plan plan = PrePull.plan(List.of(replace(0, explicitAlways), replace(1, untagged),
                replace(2, template("registry.example.com/web:2", "Never"))), threeNodes(), nodes);

        assertThat(plan.pulls()).extracting(PrePull.NodePull::node).containsExactly("node-1", "node-2");
        assertThat(plan.present()).containsExactly("node-3");
    }

    @Test
    void pullsOnlyTheImagesANodeLacksWhenItHoldsSomeOfThem() {
        Deployment desired = template("registry.example.com/web:2");
        desired.getSpec().getTemplate().getSpec().getContainers().add(new io.fabric8.kubernetes.api.model
                .ContainerBuilder().withName("proxy").withImage("registry.example.com/proxy:7").build());
        Map<String, ClusterView.NodeState> nodes = Map.of("node-1", node("node-1", "registry.example.com/web:2"),
                "node-2", node("node-2"), "node-3", node("node-3", "registry.example.com/proxy:7",
                        "registry.example.com/web:2"));

        PrePull.Plan plan = PrePull.plan(List.of(replace(0, desired), replace(1, desired), replace(2, desired)),
                threeNodes(), nodes);

        assertThat(plan.pulls()).extracting(PrePull.NodePull::node).containsExactly("node-1", "node-2");
        assertThat(plan.pulls().get(0).images()).extracting(PrePull.Image::image)
                .containsExactly("registry.example.com/proxy:7");
        assertThat(plan.pulls().get(1).images()).extracting(PrePull.Image::image)
                .containsExactly("registry.example.com/web:2", "registry.example.com/proxy:7");
        assertThat(plan.present()).containsExactly("node-3");
    }

    @Test
    void readsTheNodeImagesUnderTheNamesContainerdReports() {
        io.fabric8.kubernetes.api.model.Node listed = new io.fabric8.kubernetes.api.model.NodeBuilder()
                .withNewMetadata().withName("node-1").endMetadata().withNewStatus()
                .addNewImage().withNames("docker.io/library/nginx@sha256:" + "b".repeat(64),
                        "docker.io/library/nginx:1.27").withSizeBytes(67_000_000L).endImage()
                .addNewImage().withNames("registry.example.com/web@sha256:" + "c".repeat(64)).withSizeBytes(9_000L)
                .endImage().endStatus().build();

        ClusterView.NodeState node = ClusterObserver.nodeState(listed);

        assertThat(node.images()).containsExactlyInAnyOrder("docker.io/library/nginx@sha256:" + "b".repeat(64),
                "docker.io/library/nginx:1.27", "registry.example.com/web@sha256:" + "c".repeat(64));
        assertThat(PrePull.usesCopyOnNode(new PrePull.Image("nginx:1.27", "containers[web].image", null), node))
                .isTrue();
        assertThat(PrePull.usesCopyOnNode(new PrePull.Image("registry.example.com/web:3@sha256:" + "c".repeat(64),
                "containers[web].image", null), node)).isTrue();
        assertThat(PrePull.usesCopyOnNode(new PrePull.Image("registry.example.com/web:3", "containers[web].image",
                null), node)).isFalse();
    }

    @Test
    void countsAContainerThatCannotStartItsCommandAsPulled() {
        Map<String, PrePull.NodePull> created = Map.of(PrePull.name("web", PULL), PULL);
        ContainerState startError = new ContainerStateBuilder().withNewTerminated().withReason("StartError")
                .withExitCode(128).endTerminated().build();

        assertThat(PrePull.state(List.of(prePullPod("Failed", startError)), created))
                .isInstanceOf(PrePull.State.Done.class);
        assertThat(PrePull.state(List.of(prePullPod("Pending", waiting("RunContainerError", "exec: not found"))),
                created)).isInstanceOf(PrePull.State.Done.class);
        assertThat(PrePull.state(List.of(prePullPod("Pending", waiting("ContainerCreating", null))), created))
                .isInstanceOf(PrePull.State.Pulling.class);
        assertThat(PrePull.state(List.of(), created)).isInstanceOf(PrePull.State.Pulling.class);
    }

    @Test
    void failsNamingFieldImageNodeAndTheKubeletsMessage() {
        Map<String, PrePull.NodePull> created = Map.of(PrePull.name("web", PULL), PULL);

        PrePull.State state = PrePull.state(List.of(prePullPod("Pending", waiting("ErrImageNeverPull",
                "Container image \"registry.example.com/web:2\" is not present with pull policy of Never"))), created);

        assertThat(state).isInstanceOfSatisfying(PrePull.State.Failed.class, f -> assertThat(f.message()).isEqualTo(
                "containers[web].image: the image registry.example.com/web:2 cannot be pulled on node node-2 "
                        + "(ErrImageNeverPull: Container image \"registry.example.com/web:2\" is not present with pull "
                        + "policy of Never). Nothing was replaced: every identity still runs its old pod. Check the "
                        + "image name and tag, imagePullPolicy, and the registry credentials (imagePullSecrets or the "
                        + "service account's)."));
    }
}
