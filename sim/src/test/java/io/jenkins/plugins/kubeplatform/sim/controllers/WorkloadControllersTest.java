package io.jenkins.plugins.kubeplatform.sim.controllers;

import io.jenkins.plugins.kubeplatform.sim.model.Workloads;
import io.jenkins.plugins.kubeplatform.sim.model.PodStates;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.jenkins.plugins.kubeplatform.sim.Pods;
import io.jenkins.plugins.kubeplatform.sim.SimAnnotations;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

class WorkloadControllersTest {

    @AutoClose
    static final SimulatedCluster sim = SimulatedCluster.start(SimOptions.builder().speed(50).build());
    static final KubernetesClient client = sim.client();

    static PodTemplateSpec template(String app, String image) {
        return new PodTemplateSpecBuilder().withNewMetadata().addToLabels("app", app).endMetadata().withNewSpec()
                .addNewContainer().withName("app").withImage(image).endContainer().endSpec().build();
    }

    static Deployment deployment(String name, int replicas, String strategy) {
        return new DeploymentBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", name).endSelector()
                .withTemplate(template(name, "nginx:1")).withNewStrategy().withType(strategy).endStrategy().endSpec()
                .build();
    }

    static Deployment awaitRolledOut(String name, int replicas) {
        return Pods.await(client.apps().deployments().inNamespace("default").withName(name), d -> d != null
                && d.getStatus() != null && Integer.valueOf(replicas).equals(d.getStatus().getUpdatedReplicas())
                && Integer.valueOf(replicas).equals(d.getStatus().getAvailableReplicas())
                && Integer.valueOf(replicas).equals(d.getStatus().getReplicas()));
    }

    static List<Pod> podsOf(String app) {
        return client.pods().inNamespace("default").withLabel("app", app).list().getItems();
    }

    @Test
    void rollsADeploymentOutThroughAReplicaSetToReadyPods() {
        client.apps().deployments().inNamespace("default").resource(deployment("web", 3, "RollingUpdate")).create();
        Deployment d = awaitRolledOut("web", 3);
        assertThat(d.getStatus().getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("Available");
            assertThat(c.getStatus()).isEqualTo("True");
        });
        List<ReplicaSet> sets = client.apps().replicaSets().inNamespace("default").list().getItems().stream()
                .filter(r -> Workloads.ownedBy(r, d)).toList();
        assertThat(sets).singleElement().satisfies(r -> assertThat(r.getMetadata().getName())
                .startsWith("web-"));
        assertThat(podsOf("web")).hasSize(3).allSatisfy(p -> assertThat(PodStates.isReady(p)).isTrue());
    }

    @Test
    void replacesEveryPodOnARollingUpdateWithoutDroppingBelowMinimumAvailability() throws InterruptedException {
        client.apps().deployments().inNamespace("default").resource(deployment("roll", 4, "RollingUpdate")).create();
        awaitRolledOut("roll", 4);
        int[] minReady = {Integer.MAX_VALUE};
        Map<String, Boolean> ready = new ConcurrentHashMap<>();
        podsOf("roll").forEach(p -> ready.put(p.getMetadata().getName(), PodStates.isReady(p)));
        Set<String> original = Set.copyOf(ready.keySet());
        CountDownLatch originalsDeleted = new CountDownLatch(original.size());
        try (Watch w = client.pods().inNamespace("default").withLabel("app", "roll").watch(new Watcher<Pod>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                if (action == Action.DELETED) {
                    ready.remove(pod.getMetadata().getName());
                    if (original.contains(pod.getMetadata().getName())) {
                        originalsDeleted.countDown();
                    }
                } else {
                    ready.put(pod.getMetadata().getName(), PodStates.isReady(pod) && !PodStates.isTerminating(pod));
                }
                synchronized (minReady) {
                    minReady[0] = Math.min(minReady[0], (int) ready.values().stream().filter(b -> b).count());
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        })) {
            client.apps().deployments().inNamespace("default").withName("roll").edit(d -> {
                d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("nginx:2");
                return d;
            });
            Pods.await(client.apps().deployments().inNamespace("default").withName("roll"), d -> d != null
                    && d.getMetadata().getGeneration().equals(d.getStatus().getObservedGeneration())
                    && d.getStatus().getUpdatedReplicas() != null && d.getStatus().getUpdatedReplicas() == 4
                    && d.getStatus().getReplicas() == 4 && d.getStatus().getAvailableReplicas() == 4);
            // The minimum is only meaningful once the watch has seen every old pod go.
            assertThat(originalsDeleted.await(30, TimeUnit.SECONDS)).as("watch saw all 4 old pods deleted").isTrue();
        }
        assertThat(podsOf("roll")).hasSize(4).allSatisfy(p -> assertThat(p.getSpec().getContainers().get(0).getImage())
                .isEqualTo("nginx:2"));
        assertThat(minReady[0]).isGreaterThanOrEqualTo(3);
    }

    @Test
    void stopsAllOldPodsBeforeStartingNewOnesOnARecreateUpdate() throws InterruptedException {
        client.apps().deployments().inNamespace("default").resource(deployment("recreate", 2, "Recreate")).create();
        awaitRolledOut("recreate", 2);
        Set<String> old = ConcurrentHashMap.newKeySet();
        podsOf("recreate").forEach(p -> old.add(p.getMetadata().getName()));
        Set<String> original = Set.copyOf(old);
        List<String> violations = new CopyOnWriteArrayList<>();
        CountDownLatch replacementsAdded = new CountDownLatch(2);
        try (Watch w = client.pods().inNamespace("default").withLabel("app", "recreate").watch(new Watcher<Pod>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                String name = pod.getMetadata().getName();
                // oldPodsRunning (recreate.go): a pod gone or in a terminal phase has stopped running
                if (action == Action.DELETED || PodStates.isFinished(pod)) {
                    old.remove(name);
                } else if (action == Action.ADDED && !original.contains(name)) {
                    if (!old.isEmpty()) {
                        violations.add(name + " created while " + old + " still ran");
                    }
                    replacementsAdded.countDown();
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        })) {
            client.apps().deployments().inNamespace("default").withName("recreate").edit(d -> {
                d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("nginx:2");
                return d;
            });
            Pods.await(client.apps().deployments().inNamespace("default").withName("recreate"), d -> d != null
                    && d.getMetadata().getGeneration().equals(d.getStatus().getObservedGeneration())
                    && d.getStatus().getUpdatedReplicas() != null && d.getStatus().getUpdatedReplicas() == 2
                    && d.getStatus().getAvailableReplicas() == 2 && d.getStatus().getReplicas() == 2);
            assertThat(replacementsAdded.await(30, TimeUnit.SECONDS)).as("watch saw both replacement pods").isTrue();
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void createsStatefulSetPodsInOrdinalOrder() {
        List<String> created = new CopyOnWriteArrayList<>();
        try (Watch w = client.pods().inNamespace("default").withLabel("app", "db").watch(new Watcher<Pod>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                if (action == Action.ADDED) {
                    created.add(pod.getMetadata().getName());
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        })) {
            client.apps().statefulSets().inNamespace("default").resource(new StatefulSetBuilder().withNewMetadata()
                    .withName("db").withNamespace("default").endMetadata().withNewSpec().withReplicas(3)
                    .withServiceName("db").withNewSelector().addToMatchLabels("app", "db").endSelector()
                    .withTemplate(template("db", "postgres:16")).endSpec().build()).create();
            Pods.await(client.apps().statefulSets().inNamespace("default").withName("db"), s -> s != null
                    && s.getStatus() != null && Integer.valueOf(3).equals(s.getStatus().getReadyReplicas()));
        }
        assertThat(created).containsExactly("db-0", "db-1", "db-2");
        Pod first = client.pods().inNamespace("default").withName("db-0").get();
        assertThat(first.getSpec().getHostname()).isEqualTo("db-0");
        assertThat(first.getSpec().getSubdomain()).isEqualTo("db");
    }

    @Test
    void completesAJobAfterItsPodsRanForTheGivenTime() {
        client.batch().v1().jobs().inNamespace("default").resource(new JobBuilder().withNewMetadata().withName("once")
                .withNamespace("default").addToAnnotations(SimAnnotations.RUN_FOR, "3s").endMetadata().withNewSpec()
                .withCompletions(2).withParallelism(1).withTemplate(template("once", "busybox")).endSpec().build())
                .create();
        Job done = Pods.await(client.batch().v1().jobs().inNamespace("default").withName("once"), j -> j != null
                && j.getStatus() != null && j.getStatus().getConditions() != null && j.getStatus().getConditions()
                .stream().anyMatch(c -> c.getType().equals("Complete") && c.getStatus().equals("True")));
        assertThat(done.getStatus().getSucceeded()).isEqualTo(2);
        assertThat(done.getStatus().getCompletionTime()).isNotNull();
    }

    @Test
    void failsAJobWhosePodsFailMoreOftenThanItsBackoffLimit() {
        PodTemplateSpec failing = new PodTemplateSpecBuilder(template("bad", "busybox")).editMetadata()
                .addToAnnotations(SimAnnotations.EXIT_CODE, "1").endMetadata().build();
        client.batch().v1().jobs().inNamespace("default").resource(new JobBuilder().withNewMetadata().withName("bad")
                .withNamespace("default").endMetadata().withNewSpec().withBackoffLimit(1).withTemplate(failing)
                .endSpec().build()).create();
        Job failed = Pods.await(client.batch().v1().jobs().inNamespace("default").withName("bad"), j -> j != null
                && j.getStatus() != null && j.getStatus().getConditions() != null && j.getStatus().getConditions()
                .stream().anyMatch(c -> c.getType().equals("Failed") && c.getStatus().equals("True")));
        assertThat(failed.getStatus().getFailed()).isEqualTo(2);
    }

    @Test
    void keepsADaemonPodOnANodeThatGetsANoScheduleTaintButRemovesItForNoExecute() {
        client.apps().daemonSets().inNamespace("default").resource(daemonSet("logger")).create();
        Pods.await(client.apps().daemonSets().inNamespace("default").withName("logger"),
                d -> d != null && d.getStatus() != null && Integer.valueOf(3).equals(d.getStatus().getNumberReady()));
        try {
            taint("node-2", "NoSchedule");
            client.pods().inNamespace("default").resource(Pods.pod("marker").build()).create();
            Pods.awaitReady(client, "default", "marker");
            assertThat(podsOf("logger")).extracting(p -> p.getSpec().getNodeName()).contains("node-2");

            taint("node-2", "NoExecute");
            Pods.await(client.apps().daemonSets().inNamespace("default").withName("logger"), d -> d != null
                    && Integer.valueOf(2).equals(d.getStatus().getCurrentNumberScheduled()));
            // the pod there is deleted gracefully: Terminating until its kubelet has stopped it
            for (Pod p : podsOf("logger")) {
                if ("node-2".equals(p.getSpec().getNodeName())) {
                    Pods.awaitGone(client, "default", p.getMetadata().getName());
                }
            }
            assertThat(podsOf("logger")).noneMatch(p -> "node-2".equals(p.getSpec().getNodeName()));
        } finally {
            client.nodes().withName("node-2").edit(n -> {
                n.getSpec().setTaints(List.of());
                return n;
            });
        }
    }

    private static void taint(String node, String effect) {
        client.nodes().withName(node).edit(n -> {
            n.getSpec().setTaints(List.of(new io.fabric8.kubernetes.api.model.TaintBuilder().withKey("maintenance")
                    .withValue("yes").withEffect(effect).build()));
            return n;
        });
    }

    static DaemonSet daemonSet(String name) {
        return new DaemonSetBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .withNewSpec().withNewSelector().addToMatchLabels("app", name).endSelector()
                .withTemplate(template(name, "fluent-bit:3")).endSpec().build();
    }
}
