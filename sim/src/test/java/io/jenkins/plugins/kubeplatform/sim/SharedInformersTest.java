package io.jenkins.plugins.kubeplatform.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class SharedInformersTest {

    /** Internal watch requests per resource, as the API server saw them. */
    private static Map<String, Long> internalWatches(SimulatedCluster sim) {
        return sim.requests().allIncludingInternal().stream().filter(r -> r.internal() && r.verb().equals("watch"))
                .collect(Collectors.groupingBy(ApiRequest::resource, Collectors.counting()));
    }

    @Test
    void kubeControllerManagersControllersListAndWatchEachResourceOnce() {
        long started = System.nanoTime();
        try (SimulatedCluster sim = SimulatedCluster.start()) {
            long resyncs = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started) / 5; // each relists every 5 s
            Map<String, Long> watches = internalWatches(sim);
            // pods: the kubelets, the scheduler and kube-controller-manager (deployment, replicaset, endpoints,
            // statefulset, daemonset, job, disruption, node lifecycle and garbage collector) are three processes
            assertThat(watches.get("pods")).isEqualTo(3L);
            // nodes: the kubelets, the scheduler, kube-controller-manager
            assertThat(watches.get("nodes")).isEqualTo(3L);
            // only kube-controller-manager's controllers follow these
            assertThat(watches.get("replicasets")).isEqualTo(1L);
            assertThat(watches.get("deployments")).isEqualTo(1L);
            assertThat(watches.get("secrets")).isEqualTo(1L);
            long podLists = sim.requests().allIncludingInternal().stream()
                    .filter(r -> r.internal() && r.verb().equals("list") && r.resource().equals("pods")).count();
            assertThat(podLists).as("pod listings: one per process, and one per process per resync")
                    .isLessThanOrEqualTo(3L * (1 + resyncs));
        }
    }

    @Test
    void eachControllerHearsEveryChangeOnItsOwnThreadFromOneWatch() throws Exception {
        SimOptions options = SimOptions.builder().builtInControllers(false).build();
        try (SimulatedCluster sim = SimulatedCluster.start(options);
             SharedInformers process = new SharedInformers("test-process", sim.client());
             SimContext a = new SimContext("a", sim.client(), options, Clock.systemUTC(), Optional.of(process));
             SimContext b = new SimContext("b", sim.client(), options, Clock.systemUTC(), Optional.of(process))) {
            Map<String, List<String>> heard = new ConcurrentHashMap<>();
            Observed<ConfigMap> cacheA = subscribe(a, heard);
            Observed<ConfigMap> cacheB = subscribe(b, heard);

            sim.client().configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata()
                    .withName("one").endMetadata().addToData("k", "v").build()).create();
            Awaitility.await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> {
                assertThat(heard.get("sim-a")).contains("changed one");
                assertThat(heard.get("sim-b")).contains("changed one");
            });
            assertThat(cacheA.get("default", "one")).isPresent();
            assertThat(cacheB.get("default", "one")).isPresent();

            // a controller that comes later gets what exists through a listing of its own, then the same watch
            try (SimContext c = new SimContext("c", sim.client(), options, Clock.systemUTC(), Optional.of(process))) {
                Observed<ConfigMap> cacheC = subscribe(c, heard);
                Awaitility.await().atMost(10, TimeUnit.SECONDS)
                        .untilAsserted(() -> assertThat(heard.get("sim-c")).contains("changed one"));
                sim.client().configMaps().inNamespace("default").withName("one").delete();
                Awaitility.await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> {
                    for (String thread : List.of("sim-a", "sim-b", "sim-c")) {
                        assertThat(heard.get(thread)).as(thread).contains("deleted one");
                    }
                });
                assertThat(cacheC.get("default", "one")).isEmpty();
            }
            assertThat(sim.requests().list().stream()
                    .filter(r -> r.verb().equals("watch") && r.resource().equals("configmaps")).count())
                    .as("one watch for three controllers").isEqualTo(1L);
            assertThat(process.feeds()).isEqualTo(1);
        }
    }

    @Test
    void everyControllerCatchesUpWhenTheInformersWatchIsDroppedAgainAndAgain() throws Exception {
        SimOptions options = SimOptions.builder().builtInControllers(false).build();
        try (SimulatedCluster sim = SimulatedCluster.start(options);
             SharedInformers process = new SharedInformers("test-process", sim.client());
             SimContext a = new SimContext("a", sim.client(), options, Clock.systemUTC(), Optional.of(process));
             SimContext b = new SimContext("b", sim.client(), options, Clock.systemUTC(), Optional.of(process))) {
            // every watch (these contexts use the test's client, so faults apply) is closed as it opens: what the
            // informer learns comes from watches reopened (by fabric8, or by the informer after a 410) and listings
            sim.faults().dropEveryWatch(Duration.ZERO);
            Map<String, List<String>> heard = new ConcurrentHashMap<>();
            Observed<ConfigMap> cacheA = subscribe(a, heard);
            Observed<ConfigMap> cacheB = subscribe(b, heard);
            var maps = sim.client().configMaps().inNamespace("default");
            for (int i = 1; i <= 6; i++) {
                maps.resource(new ConfigMapBuilder().withNewMetadata().withName("m" + i).endMetadata().build())
                        .create();
                Thread.sleep(60); // spread the writes over several watches' lives
            }
            maps.withName("m1").delete();
            maps.withName("m2").delete();
            List<String> expected = List.of("m3", "m4", "m5", "m6");
            Awaitility.await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> {
                for (Observed<ConfigMap> cache : List.of(cacheA, cacheB)) {
                    assertThat(cache.list()).extracting(c -> c.getMetadata().getName())
                            .containsExactlyInAnyOrderElementsOf(expected);
                }
            });
            sim.faults().clear();
            assertThat(sim.requests().list().stream()
                    .filter(r -> r.verb().equals("watch") && r.resource().equals("configmaps")).count())
                    .as("the informer reconnected").isGreaterThan(1L);
            assertThat(process.feeds()).isEqualTo(1);
        }
    }

    /**
     * The controllers share the objects they observe, so none may change one: after workloads of every kind have been
     * created, rolled, scaled and deleted (the garbage collector following), every object the shared informers hold
     * at the server's current version is equal to the server's copy.
     */
    @Test
    void noControllerChangesTheObjectsItShares() {
        try (SimulatedCluster sim = SimulatedCluster.start(SimOptions.builder().speed(50).build())) {
            KubernetesClient client = sim.client();
            client.apps().deployments().inNamespace("default").resource(new DeploymentBuilder().withNewMetadata()
                    .withName("web").endMetadata().withNewSpec().withReplicas(3).withNewSelector()
                    .addToMatchLabels("app", "web").endSelector().withTemplate(template("web", "nginx:1")).endSpec()
                    .build()).create();
            client.apps().statefulSets().inNamespace("default").resource(new StatefulSetBuilder().withNewMetadata()
                    .withName("db").endMetadata().withNewSpec().withReplicas(2).withServiceName("db")
                    .withNewSelector().addToMatchLabels("app", "db").endSelector()
                    .withTemplate(template("db", "postgres:16")).endSpec().build()).create();
            client.apps().daemonSets().inNamespace("default").resource(new DaemonSetBuilder().withNewMetadata()
                    .withName("logs").endMetadata().withNewSpec().withNewSelector().addToMatchLabels("app", "logs")
                    .endSelector().withTemplate(template("logs", "fluent-bit:3")).endSpec().build()).create();
            client.batch().v1().jobs().inNamespace("default").resource(new JobBuilder().withNewMetadata()
                    .withName("once").addToAnnotations(SimAnnotations.RUN_FOR, "1s").endMetadata().withNewSpec()
                    .withCompletions(1).withTemplate(template("once", "busybox")).endSpec().build()).create();
            client.policy().v1().podDisruptionBudget().inNamespace("default").resource(
                    new PodDisruptionBudgetBuilder().withNewMetadata().withName("web").endMetadata().withNewSpec()
                            .withMinAvailable(new IntOrString(1)).withNewSelector().addToMatchLabels("app", "web")
                            .endSelector().endSpec().build()).create();
            client.services().inNamespace("default").resource(new ServiceBuilder().withNewMetadata().withName("web")
                    .endMetadata().withNewSpec().addToSelector("app", "web").addNewPort().withPort(80).endPort()
                    .endSpec().build()).create();
            // a rollout whose pod creates are refused: its ReplicaSet and Deployment carry the ReplicaFailure condition
            PodTemplateSpec refused = template("stuck", "nginx:1");
            refused.getSpec().setServiceAccountName("missing");
            client.apps().deployments().inNamespace("default").resource(new DeploymentBuilder().withNewMetadata()
                    .withName("stuck").endMetadata().withNewSpec().withReplicas(2).withNewSelector()
                    .addToMatchLabels("app", "stuck").endSelector().withTemplate(refused).endSpec().build()).create();
            Pods.await(client.apps().deployments().inNamespace("default").withName("web"), d -> d != null
                    && d.getStatus() != null && Integer.valueOf(3).equals(d.getStatus().getAvailableReplicas()));
            client.apps().deployments().inNamespace("default").withName("web").edit(d -> {
                d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("nginx:2");
                return d;
            });
            Pods.await(client.apps().deployments().inNamespace("default").withName("web"), d -> d != null
                    && d.getStatus() != null && Integer.valueOf(3).equals(d.getStatus().getUpdatedReplicas())
                    && Integer.valueOf(3).equals(d.getStatus().getAvailableReplicas())
                    && Integer.valueOf(3).equals(d.getStatus().getReplicas()));
            Pods.await(client.apps().statefulSets().inNamespace("default").withName("db"), st -> st != null
                    && st.getStatus() != null && Integer.valueOf(2).equals(st.getStatus().getReadyReplicas()));
            Pods.await(client.apps().deployments().inNamespace("default").withName("stuck"), d -> d != null
                    && d.getStatus() != null && d.getStatus().getConditions() != null && d.getStatus().getConditions()
                    .stream().anyMatch(c -> "ReplicaFailure".equals(c.getType())));
            client.apps().statefulSets().inNamespace("default").withName("db").delete();
            Pods.await(client.pods().inNamespace("default").withName("db-0"), p -> p == null);

            // the informers catch up with the last status writes; every object compared must be the server's copy
            Awaitility.await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(
                    comparedAtServerVersion(client, sim.controllerManager().held())).as("kinds compared")
                    .contains("Pod", "ReplicaSet", "Deployment", "DaemonSet", "Job", "Node", "Service",
                            "PodDisruptionBudget"));

        }
    }

    /**
     * The kinds of the held objects that are at the server's current version, each found equal to the server's copy;
     * an unequal one fails at once (not an assertion error, so the wait does not retry it).
     */
    private static java.util.Set<String> comparedAtServerVersion(KubernetesClient client, List<HasMetadata> held) {
        java.util.Set<String> compared = new java.util.TreeSet<>();
        for (HasMetadata object : held) {
            if (object instanceof GenericKubernetesResource) {
                continue;
            }
            HasMetadata live = client.resource(object).get();
            if (live != null && live.getMetadata().getResourceVersion()
                    .equals(object.getMetadata().getResourceVersion())) {
                if (!object.equals(live)) {
                    throw new IllegalStateException("a controller changed the shared " + object.getKind() + " "
                            + object.getMetadata().getName() + ":\n held: " + object + "\n server: " + live);
                }
                compared.add(object.getKind());
            }
        }
        return compared;
    }

    private static PodTemplateSpec template(String app, String image) {
        return new PodTemplateSpecBuilder().withNewMetadata().addToLabels("app", app).endMetadata().withNewSpec()
                .addNewContainer().withName("app").withImage(image).endContainer().endSpec().build();
    }

    private static Observed<ConfigMap> subscribe(SimContext context, Map<String, List<String>> heard)
            throws Exception {
        return context.executor().submit(() -> context.observe(context.client().configMaps().inNamespace("default"),
                new ChangeHandler<ConfigMap>() {
                    @Override
                    public void changed(ConfigMap object) {
                        record("changed " + object.getMetadata().getName());
                    }

                    @Override
                    public void deleted(ConfigMap object) {
                        record("deleted " + object.getMetadata().getName());
                    }

                    private void record(String what) {
                        heard.computeIfAbsent(Thread.currentThread().getName(), t -> new CopyOnWriteArrayList<>())
                                .add(what);
                    }
                }, Duration.ofSeconds(30))).get(10, TimeUnit.SECONDS);
    }
}
