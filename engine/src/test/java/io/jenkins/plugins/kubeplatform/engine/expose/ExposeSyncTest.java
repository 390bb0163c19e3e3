package io.jenkins.plugins.kubeplatform.engine.expose;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** EXP-7: hosts of labelled routes made outside Jenkins are claimed, recorded and served by nginx; gone ones cleaned. */
class ExposeSyncTest {

    @TempDir
    static Path prefix;

    @TempDir
    Path state;

    private static NginxTestbed testbed;
    private static SimulatedCluster sim;
    private static PrivateNginx nginx;

    @BeforeAll
    static void start() throws Exception {
        testbed = NginxTestbed.start(prefix, "legacy shop");
        sim = testbed.sim;
        nginx = testbed.nginx;
    }

    @AfterAll
    static void stop() throws Exception {
        if (testbed != null) {
            testbed.close();
        }
    }

    private ExposeSync sync(Clock clock, Progress progress) {
        ExposeSettings settings = ExposeSettings.builder().suffix("apps.example.test").route("ingress")
                .admitTimeout("10s").nginx(nginx.settings()).build();
        return new ExposeSync(sim.client(), settings, DomainRegistry.fileStore(state), clock, progress,
                ExposeFixture.fastRetry());
    }

    private Ingress handMade(String name, String host) {
        return sim.client().network().v1().ingresses().inNamespace("default").resource(new IngressBuilder()
                .withNewMetadata().withName(name).withNamespace("default")
                .addToLabels(ExposeLabels.EXPOSE, "true")
                .addToAnnotations(ExposeLabels.UPSTREAM_ANNOTATION, testbed.upstream())
                .endMetadata()
                .withNewSpec().withIngressClassName("nginx").addNewRule().withHost(host).withNewHttp().addNewPath()
                .withPath("/").withPathType("Prefix").withNewBackend().withNewService().withName(name)
                .withNewPort().withNumber(80).endPort().endService().endBackend().endPath().endHttp().endRule()
                .endSpec().build()).create();
    }

    @Test
    void servesAndRecordsALabelledIngressMadeOutsideJenkinsAndWritesNothingOnTheNextPass() {
        String host = "legacy-shop.default.apps.example.test";
        handMade("legacy-shop", host);

        ExposeSync.Report report = sync(Clock.systemUTC(), Progress.silent()).runOnce();

        assertThat(report.changes()).contains("claimed " + host + " for app 'legacy-shop' in namespace 'default'",
                "recorded " + host, "nginx block for " + host + " written (upstream "
                        + testbed.upstream() + ")");
        assertThat(DomainRegistry.fileStore(state).read().hosts().get(host).source()).isEqualTo("sync");
        assertThat(nginx.await(host, a -> a.status() == 200))
                .hasValueSatisfying(a -> assertThat(a.body()).contains("legacy shop"));

        sim.requests().clear();
        assertThat(sync(Clock.systemUTC(), Progress.silent()).runOnce().changes()).isEmpty();
        assertThat(ExposeFixture.writes(sim)).isEmpty();
        ExposeFixture.assertAllowedByRole(sim);
    }

    @Test
    void cleansUpAfterTheRouteIsDeletedAndReleasesTheClaimAfterTheGracePeriod() {
        String host = "shortlived-shop.default.apps.example.test";
        handMade("shortlived-shop", host);
        sync(Clock.systemUTC(), Progress.silent()).runOnce();
        sim.client().network().v1().ingresses().inNamespace("default").withName("shortlived-shop").delete();

        ExposeSync.Report soon = sync(Clock.systemUTC(), Progress.silent()).runOnce();
        assertThat(soon.changes()).contains("forgot " + host, "nginx block for " + host + " removed");
        assertThat(nginx.sites.resolve(host + ".conf")).doesNotExist();
        assertThat(sim.client().configMaps().inNamespace("kubeplatform-system").withName(host).get()).isNotNull();

        Clock later = Clock.fixed(Instant.now().plus(ExposeSync.CLAIM_GRACE).plusSeconds(60), ZoneOffset.UTC);
        ExposeSync.Report after = sync(later, Progress.silent()).runOnce();
        assertThat(after.changes()).contains("released " + host + " (no route serves it)");
        assertThat(sim.client().configMaps().inNamespace("kubeplatform-system").withName(host).get()).isNull();
    }

    @Test
    void watchModePicksUpANewIngressWithoutWaitingForAPeriod() throws Exception {
        String host = "watched.default.apps.example.test";
        CountDownLatch recorded = new CountDownLatch(1);
        Progress progress = Progress.lines(line -> {
            if (line.contains("recorded " + host)) {
                recorded.countDown();
            }
        });
        try (AutoCloseable watching = sync(Clock.systemUTC(), progress).watch(Duration.ofMillis(100))) {
            handMade("watched", host);
            assertThat(recorded.await(20, TimeUnit.SECONDS)).as("sync saw the new Ingress").isTrue();
        }
        assertThat(DomainRegistry.fileStore(state).read().hosts()).containsKey(host);
    }
}
