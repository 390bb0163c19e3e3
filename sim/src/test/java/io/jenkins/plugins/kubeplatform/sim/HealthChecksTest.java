package io.jenkins.plugins.kubeplatform.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.mockwebserver.http.MockResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class HealthChecksTest {

    private static String body(MockResponse r) {
        return r.getBody().readUtf8();
    }

    @Test
    void readyzFailsNamingTheSeedCheckUntilTheClusterIsSeededWhileLivezPassesOnlyOnceSeededToo() {
        AtomicBoolean seeded = new AtomicBoolean(false);
        HealthChecks health = new HealthChecks(seeded::get);

        MockResponse starting = health.answer("/readyz", "").orElseThrow();
        assertThat(starting.code()).isEqualTo(500);
        assertThat(body(starting)).contains("[+]etcd ok\n",
                "[-]poststarthook/sim-seed failed: reason withheld\n").endsWith("readyz check failed\n");
        assertThat(health.answer("/readyz/poststarthook/sim-seed", "").orElseThrow().code()).isEqualTo(500);
        assertThat(health.answer("/readyz/ping", "").orElseThrow().code()).isEqualTo(200);

        seeded.set(true);
        MockResponse ready = health.answer("/readyz", "").orElseThrow();
        assertThat(ready.code()).isEqualTo(200);
        assertThat(body(ready)).isEqualTo("ok");
        assertThat(ready.getHeaders().get("Content-Type")).isEqualTo("text/plain; charset=utf-8");
    }

    @Test
    void verboseListsEveryCheckAndExcludedChecksAreMarked() {
        HealthChecks health = new HealthChecks(() -> false);
        MockResponse r = health.answer("/readyz", "verbose&exclude=poststarthook%2Fsim-seed").orElseThrow();
        assertThat(r.code()).isEqualTo(200);
        assertThat(body(r)).isEqualTo("""
                [+]ping ok
                [+]log ok
                [+]etcd ok
                [+]etcd-readiness ok
                [+]informer-sync ok
                [+]poststarthook/sim-seed excluded: ok
                [+]shutdown ok
                readyz check passed
                """);
    }

    @Test
    void unknownCheckIs404AndOtherPathsAreNotHealthPaths() {
        HealthChecks health = new HealthChecks(() -> true);
        assertThat(health.answer("/livez/shutdown", "").orElseThrow().code()).isEqualTo(404);
        assertThat(health.answer("/readyz/nope", "").orElseThrow().code()).isEqualTo(404);
        assertThat(health.answer("/healthzz", "")).isEmpty();
        assertThat(health.answer("/api/v1/pods", "")).isEmpty();
    }
}
