package io.jenkins.plugins.kubeplatform.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SimContextTest {

    @Test
    void observeLosesNoObjectCreatedWhileTheControllerStarts() throws Exception {
        try (SimulatedCluster sim = SimulatedCluster.start(SimOptions.builder().builtInControllers(false)
                .seedDefaults(false).nodes(0).build())) {
            int total = 300;
            Set<String> seen = ConcurrentHashMap.newKeySet();
            CountDownLatch all = new CountDownLatch(total);
            CountDownLatch halfway = new CountDownLatch(1);
            Thread creator = new Thread(() -> {
                for (int i = 0; i < total; i++) {
                    sim.client().configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata()
                            .withName("cm-" + i).endMetadata().build()).create();
                    if (i == total / 3) {
                        halfway.countDown();
                    }
                }
            });
            creator.start();
            halfway.await(30, TimeUnit.SECONDS);
            sim.addController(new SimController() {
                @Override
                public void start(SimContext context) {
                    context.observe(context.client().configMaps().inAnyNamespace(), new ChangeHandler<ConfigMap>() {
                        @Override
                        public void changed(ConfigMap cm) {
                            if (seen.add(cm.getMetadata().getName())) {
                                all.countDown();
                            }
                        }
                    });
                }
            });
            creator.join();
            assertThat(all.await(60, TimeUnit.SECONDS)).as("seen %d of %d", seen.size(), total).isTrue();
        }
    }

    @Test
    void scalesSimulatedDelaysBySpeed() {
        SimOptions options = SimOptions.builder().speed(20).build();
        assertThat(options.scaled(Duration.ofSeconds(10))).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void runsDelayedActionsOnTheControllersThread() throws Exception {
        try (SimulatedCluster sim = SimulatedCluster.start(SimOptions.builder().builtInControllers(false)
                .seedDefaults(false).nodes(0).speed(100).build())) {
            CountDownLatch ran = new CountDownLatch(1);
            String[] thread = new String[1];
            sim.addController(new SimController() {
                @Override
                public String name() {
                    return "probe";
                }

                @Override
                public void start(SimContext context) {
                    context.after(Duration.ofSeconds(1), () -> {
                        thread[0] = Thread.currentThread().getName();
                        ran.countDown();
                    });
                }
            });
            assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(thread[0]).isEqualTo("sim-probe");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void observeListsAndKeepsRunningWhenItsWatchNeverOpensAndCloseEndsTheWait() throws Exception {
        CountDownLatch watchCalled = new CountDownLatch(1);
        CountDownLatch watchInterrupted = new CountDownLatch(1);
        io.fabric8.kubernetes.api.model.ConfigMapList listed = new io.fabric8.kubernetes.api.model.ConfigMapListBuilder()
                .withNewMetadata().withResourceVersion("7").endMetadata()
                .addToItems(new ConfigMapBuilder().withNewMetadata().withName("seen").withNamespace("default")
                        .withResourceVersion("7").endMetadata().build()).build();
        // a source whose watch() never returns (as fabric8's can when the server closes the stream as it opens it)
        var source = (io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable<ConfigMap,
                io.fabric8.kubernetes.api.model.ConfigMapList, ?>) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "list" -> listed;
                    case "watch" -> {
                        watchCalled.countDown();
                        try {
                            new CountDownLatch(1).await();
                        } catch (InterruptedException e) {
                            watchInterrupted.countDown();
                        }
                        throw new io.fabric8.kubernetes.client.KubernetesClientException("interrupted");
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        SimContext context = new SimContext("probe", null, SimOptions.builder().build(), java.time.Clock.systemUTC());
        CountDownLatch changed = new CountDownLatch(1);
        CountDownLatch later = new CountDownLatch(1);
        try {
            context.observe(source, new ChangeHandler<ConfigMap>() {
                @Override
                public void changed(ConfigMap cm) {
                    changed.countDown();
                }
            });
            assertThat(changed.await(30, TimeUnit.SECONDS)).as("the listed object reported").isTrue();
            assertThat(watchCalled.getCount()).isZero();
            context.run(later::countDown);
            assertThat(later.await(30, TimeUnit.SECONDS)).as("the controller's thread still runs").isTrue();
        } finally {
            context.close();
        }
        assertThat(watchInterrupted.await(30, TimeUnit.SECONDS)).as("close ends the open still waiting").isTrue();
    }
}
