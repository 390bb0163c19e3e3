package io.jenkins.plugins.kubeplatform.engine.expose;

import static io.jenkins.plugins.kubeplatform.engine.expose.ExposeFixture.engine;
import static io.jenkins.plugins.kubeplatform.engine.expose.ExposeFixture.settings;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostClaimRaceTest {

    @TempDir
    Path controllerA;

    @TempDir
    Path controllerB;

    /** Two controllers (separate registries and API clients) racing for one host: one wins, the other learns who. */
    @Test
    void oneOfTwoRacingOwnersWinsAndTheOtherIsToldWho() throws Exception {
        try (SimulatedCluster sim = SimulatedCluster.start()) {
            ExposeEngine a = engine(sim, settings("ingress"), controllerA);
            ExposeEngine b = new ExposeEngine(sim.newClient(), settings("ingress"), DomainRegistry.fileStore(controllerB),
                    java.time.Clock.systemUTC(), io.jenkins.plugins.kubeplatform.engine.core.Progress.silent(),
                    ExposeFixture.fastRetry());
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                for (int r = 0; r < 3; r++) {
                    String host = "race" + r + ".apps.example.test";
                    int round = r;
                    CyclicBarrier start = new CyclicBarrier(2);
                    List<Future<ExposeResult>> runs = new ArrayList<>();
                    runs.add(pool.submit(() -> {
                        start.await(10, TimeUnit.SECONDS);
                        return a.expose(ExposeRequest.of("default", "alpha", 80, "job/alpha #" + round).toBuilder()
                                .host(host).build());
                    }));
                    runs.add(pool.submit(() -> {
                        start.await(10, TimeUnit.SECONDS);
                        return b.expose(ExposeRequest.of("kube-system", "beta", 80, "job/beta #" + round).toBuilder()
                                .host(host).build());
                    }));
                    List<ExposeResult> won = new ArrayList<>();
                    List<Throwable> lost = new ArrayList<>();
                    for (Future<ExposeResult> run : runs) {
                        try {
                            won.add(run.get(30, TimeUnit.SECONDS));
                        } catch (java.util.concurrent.ExecutionException e) {
                            lost.add(e.getCause());
                        }
                    }
                    assertThat(won).hasSize(1);
                    assertThat(lost).singleElement().isInstanceOf(OperationFailedException.class);
                    assertThat(lost.get(0).getMessage()).contains(won.get(0).owner().toString());
                    assertThat(sim.client().configMaps().inNamespace("kubeplatform-system").withName(host).get()
                            .getData().get("app")).isEqualTo(won.get(0).owner().app());
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
