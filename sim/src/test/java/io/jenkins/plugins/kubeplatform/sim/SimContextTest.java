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
}
