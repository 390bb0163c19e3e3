package io.jenkins.plugins.kubeplatform.sim.controllers;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.jenkins.plugins.kubeplatform.sim.Pods;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The simulated garbage collector against the rules of kube-controller-manager's (pkg/controller/garbagecollector):
 * dependents whose owners are all gone are deleted, transitively; references to gone owners are dropped from an
 * object that keeps a live owner; Foreground keeps the owner until its blocking dependents are gone; Orphan leaves
 * the dependents without the reference. ConfigMaps stand in for any kind: no controller but the collector acts on
 * them.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GarbageCollectorTest {

    private static final String HOLD = "example.com/hold";

    @AutoClose
    static final SimulatedCluster sim = SimulatedCluster.start(SimOptions.builder().speed(50).build());
    static final KubernetesClient client = sim.client();

    private static Resource<ConfigMap> map(String name) {
        return client.configMaps().inNamespace("default").withName(name);
    }

    private static ConfigMap create(String name, OwnerReference... owners) {
        return client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata()
                .withName(name).withOwnerReferences(owners).endMetadata().addToData("k", "v").build()).create();
    }

    private static OwnerReference ref(ConfigMap owner, boolean block) {
        return new OwnerReferenceBuilder().withApiVersion("v1").withKind("ConfigMap")
                .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid())
                .withBlockOwnerDeletion(block).build();
    }

    private static void awaitRolledOut(String name, int replicas) {
        Pods.await(client.apps().deployments().inNamespace("default").withName(name), d -> d != null
                && d.getStatus() != null && Integer.valueOf(replicas).equals(d.getStatus().getAvailableReplicas()));
    }

    private static List<Pod> podsOf(String app) {
        return client.pods().inNamespace("default").withLabel("app", app).list().getItems();
    }

    private static <T extends io.fabric8.kubernetes.api.model.HasMetadata> void awaitGone(Resource<T> resource) {
        Pods.await(resource, o -> o == null);
    }

    @Test
    void everyKindItFollowsIsServedByTheApiServer() {
        // its lists and watches started with the cluster; a kind the API server does not serve answers 404
        assertThat(sim.requests().allIncludingInternal()).filteredOn(r -> r.internal() && r.name().isEmpty()
                && (r.verb().equals("list") || r.verb().equals("watch"))).isNotEmpty()
                .noneMatch(r -> r.status() == 404);
    }

    @Test
    void deletesADependentOnceItsOnlyOwnerIsDeleted() {
        ConfigMap owner = create("bg-owner");
        create("bg-dependent", ref(owner, false));
        map("bg-owner").delete();
        awaitGone(map("bg-dependent"));
    }

    @Test
    void deletesADeploymentsReplicaSetsAndTheirPodsTransitively() {
        client.apps().deployments().inNamespace("default")
                .resource(WorkloadControllersTest.deployment("gc-web", 2, "RollingUpdate")).create();
        awaitRolledOut("gc-web", 2);
        List<ReplicaSet> sets = client.apps().replicaSets().inNamespace("default").withLabel("app", "gc-web").list()
                .getItems();
        List<Pod> pods = podsOf("gc-web");
        assertThat(sets).hasSize(1);
        assertThat(pods).hasSize(2);

        client.apps().deployments().inNamespace("default").withName("gc-web").delete();

        for (ReplicaSet rs : sets) {
            awaitGone(client.apps().replicaSets().inNamespace("default").withName(rs.getMetadata().getName()));
        }
        for (Pod p : pods) {
            awaitGone(client.pods().inNamespace("default").withName(p.getMetadata().getName()));
        }
        assertThat(podsOf("gc-web")).isEmpty();
    }

    @Test
    void keepsADependentWhileOneOfItsTwoOwnersRemainsAndDropsTheGoneOnesReference() {
        ConfigMap first = create("two-first");
        ConfigMap second = create("two-second");
        create("two-dependent", ref(first, false), ref(second, false));

        map("two-first").delete();

        ConfigMap dependent = Pods.await(map("two-dependent"), m -> m != null
                && m.getMetadata().getOwnerReferences().size() == 1);
        assertThat(dependent.getMetadata().getOwnerReferences()).extracting(OwnerReference::getUid)
                .containsExactly(second.getMetadata().getUid());

        map("two-second").delete();
        awaitGone(map("two-dependent"));
    }

    @Test
    void deletesADependentWhoseOwnerOfThatNameHasAnotherUid() {
        ConfigMap owner = create("uid-owner");
        OwnerReference stale = new OwnerReferenceBuilder(ref(owner, false))
                .withUid("00000000-0000-0000-0000-000000000000").build();
        create("uid-dependent", stale);
        awaitGone(map("uid-dependent"));
        assertThat(map("uid-owner").get()).as("the owner itself is untouched").isNotNull();
    }

    @Test
    void foregroundDeletionKeepsTheOwnerUntilItsBlockingDependentIsGone() {
        ConfigMap owner = create("fg-owner");
        ConfigMap held = client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata()
                .withName("fg-held").withOwnerReferences(ref(owner, true)).withFinalizers(HOLD).endMetadata()
                .build()).create();
        assertThat(held.getMetadata().getFinalizers()).containsExactly(HOLD);

        map("fg-owner").withPropagationPolicy(DeletionPropagation.FOREGROUND).delete();

        // the collector deletes the dependent (in the foreground too); its own finalizer keeps it for now
        Pods.await(map("fg-held"), m -> m != null && m.getMetadata().getDeletionTimestamp() != null);
        ConfigMap waiting = map("fg-owner").get();
        assertThat(waiting).as("the owner waits for its blocking dependent").isNotNull();
        assertThat(waiting.getMetadata().getDeletionTimestamp()).isNotNull();
        assertThat(waiting.getMetadata().getFinalizers()).containsExactly("foregroundDeletion");

        map("fg-held").edit(m -> {
            m.getMetadata().setFinalizers(new ArrayList<>(m.getMetadata().getFinalizers().stream()
                    .filter(f -> !f.equals(HOLD)).toList()));
            return m;
        });

        awaitGone(map("fg-held"));
        awaitGone(map("fg-owner"));
    }

    @Test
    void foregroundDeletionOfADeploymentKeepsItAndItsReplicaSetUntilThePodIsGone() {
        client.apps().deployments().inNamespace("default")
                .resource(WorkloadControllersTest.deployment("gc-fg", 1, "RollingUpdate")).create();
        awaitRolledOut("gc-fg", 1);
        String pod = podsOf("gc-fg").get(0).getMetadata().getName();
        String rs = client.apps().replicaSets().inNamespace("default").withLabel("app", "gc-fg").list().getItems()
                .get(0).getMetadata().getName();
        client.pods().inNamespace("default").withName(pod).edit(p -> {
            p.getMetadata().setFinalizers(new ArrayList<>(List.of(HOLD)));
            return p;
        });

        client.apps().deployments().inNamespace("default").withName("gc-fg")
                .withPropagationPolicy(DeletionPropagation.FOREGROUND).delete();

        Pods.await(client.pods().inNamespace("default").withName(pod),
                p -> p != null && p.getMetadata().getDeletionTimestamp() != null);
        Deployment deployment = client.apps().deployments().inNamespace("default").withName("gc-fg").get();
        ReplicaSet set = client.apps().replicaSets().inNamespace("default").withName(rs).get();
        assertThat(deployment).as("the deployment waits for its replica set").isNotNull();
        assertThat(deployment.getMetadata().getFinalizers()).containsExactly("foregroundDeletion");
        assertThat(set).as("the replica set waits for its pod").isNotNull();
        assertThat(set.getMetadata().getFinalizers()).containsExactly("foregroundDeletion");

        client.pods().inNamespace("default").withName(pod).edit(p -> {
            p.getMetadata().setFinalizers(new ArrayList<>());
            return p;
        });

        awaitGone(client.pods().inNamespace("default").withName(pod));
        awaitGone(client.apps().replicaSets().inNamespace("default").withName(rs));
        awaitGone(client.apps().deployments().inNamespace("default").withName("gc-fg"));
    }

    @Test
    void orphanDeletionRemovesTheOwnerAndLeavesTheDependentWithoutItsReference() {
        ConfigMap owner = create("orphan-owner");
        create("orphan-dependent", ref(owner, true));

        map("orphan-owner").withPropagationPolicy(DeletionPropagation.ORPHAN).delete();

        awaitGone(map("orphan-owner"));
        ConfigMap dependent = map("orphan-dependent").get();
        assertThat(dependent).isNotNull();
        assertThat(dependent.getMetadata().getOwnerReferences()).isEmpty();
        assertThat(dependent.getMetadata().getDeletionTimestamp()).isNull();
    }

    private static ConfigMap createLabelled(String name, String set, OwnerReference... owners) {
        return client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata()
                .withName(name).addToLabels("set", set).withOwnerReferences(owners).endMetadata().build()).create();
    }

    @Test
    void orphanDeletionOfALabelledCollectionLeavesEachDependentWithoutItsReference() {
        ConfigMap first = createLabelled("coll-owner-1", "coll-orphan");
        ConfigMap second = createLabelled("coll-owner-2", "coll-orphan");
        create("coll-dependent-1", ref(first, true));
        create("coll-dependent-2", ref(second, true));

        client.configMaps().inNamespace("default").withLabel("set", "coll-orphan")
                .withPropagationPolicy(DeletionPropagation.ORPHAN).delete();

        assertThat(sim.requests().list()).as("one deletecollection request")
                .anyMatch(r -> r.verb().equals("deletecollection") && r.resource().equals("configmaps"));
        awaitGone(map("coll-owner-1"));
        awaitGone(map("coll-owner-2"));
        for (String name : List.of("coll-dependent-1", "coll-dependent-2")) {
            ConfigMap dependent = map(name).get();
            assertThat(dependent).as(name).isNotNull();
            assertThat(dependent.getMetadata().getOwnerReferences()).isEmpty();
            assertThat(dependent.getMetadata().getDeletionTimestamp()).isNull();
        }
    }

    @Test
    void deletesAConfigMapOwnedByAClusterRoleOnceTheClusterRoleIsDeleted() {
        ClusterRole role = client.rbac().clusterRoles().resource(new ClusterRoleBuilder().withNewMetadata()
                .withName("gc-owner-role").endMetadata().build()).create();
        create("role-dependent", new OwnerReferenceBuilder().withApiVersion("rbac.authorization.k8s.io/v1")
                .withKind("ClusterRole").withName("gc-owner-role").withUid(role.getMetadata().getUid()).build());

        client.rbac().clusterRoles().withName("gc-owner-role").delete();

        awaitGone(map("role-dependent"));
    }

    @Test
    void deletesAConfigMapOwnedByAPersistentVolumeOnceThePersistentVolumeIsDeleted() {
        PersistentVolume volume = client.persistentVolumes().resource(new PersistentVolumeBuilder().withNewMetadata()
                .withName("gc-owner-pv").endMetadata().withNewSpec().addToCapacity("storage", new Quantity("1Gi"))
                .withAccessModes("ReadWriteOnce").withNewHostPath().withPath("/tmp/gc").endHostPath().endSpec()
                .build()).create();
        create("pv-dependent", new OwnerReferenceBuilder().withApiVersion("v1").withKind("PersistentVolume")
                .withName("gc-owner-pv").withUid(volume.getMetadata().getUid()).build());

        client.persistentVolumes().withName("gc-owner-pv").delete();

        awaitGone(map("pv-dependent"));
    }

    @Test
    void leavesAClusterScopedObjectWithANamespacedOwnerAlone() {
        ConfigMap owner = create("invalid-owner");
        ConfigMap sibling = create("invalid-owner-sibling", ref(owner, false));
        client.rbac().clusterRoles().resource(new ClusterRoleBuilder().withNewMetadata()
                .withName("gc-namespaced-owner").withOwnerReferences(ref(owner, false)).endMetadata().build())
                .create();

        map("invalid-owner").delete();

        // the namespaced dependent shows the collector acted on the owner's deletion
        awaitGone(map(sibling.getMetadata().getName()));
        // the same attempt for the cluster role happens on the collector's one thread: drain it with a later one
        ConfigMap marker = create("invalid-owner-marker");
        create("invalid-owner-marker-dependent", ref(marker, false));
        map("invalid-owner-marker").delete();
        awaitGone(map("invalid-owner-marker-dependent"));
        assertThat(client.rbac().clusterRoles().withName("gc-namespaced-owner").get()).isNotNull();
    }
}
