package io.jenkins.plugins.kubeplatform.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The simulated controllers' client-side request limit, as client-go's token bucket applies it. */
class ClientRateLimitTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void letsABurstThroughThenSpacesRequestsOneOverQpsApart() {
        AtomicLong now = new AtomicLong(1_000 * SECOND);
        ClientRateLimit.Bucket bucket = new ClientRateLimit(20, 3).bucket(now::get);

        assertThat(List.of(bucket.reserveNanos(), bucket.reserveNanos(), bucket.reserveNanos()))
                .containsOnly(0L);
        assertThat(bucket.reserveNanos()).isEqualTo(SECOND / 20);
        assertThat(bucket.reserveNanos()).as("owed tokens add up").isEqualTo(2 * SECOND / 20);
    }

    @Test
    void refillsAtQpsUpToTheBurstWhileQuiet() {
        AtomicLong now = new AtomicLong(0);
        ClientRateLimit.Bucket bucket = new ClientRateLimit(10, 2).bucket(now::get);
        bucket.reserveNanos();
        bucket.reserveNanos();

        now.addAndGet(SECOND / 10);
        assertThat(bucket.reserveNanos()).as("one token back after 1/qps").isZero();
        assertThat(bucket.reserveNanos()).isEqualTo(SECOND / 10);

        now.addAndGet(60 * SECOND);
        assertThat(List.of(bucket.reserveNanos(), bucket.reserveNanos())).as("never more than the burst")
                .containsOnly(0L);
        assertThat(bucket.reserveNanos()).isPositive();
    }

    @Test
    void refusesALimitThatCouldNeverSendAnything() {
        assertThatThrownBy(() -> new ClientRateLimit(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClientRateLimit(5, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void spacesTheReplicaSetControllersPodCreatesAsItsLimitSays() throws Exception {
        try (SimulatedCluster sim = SimulatedCluster.start(SimOptions.builder().speed(50).nodes(2)
                .controllerRateLimit(new ClientRateLimit(5, 1)).build())) {
            sim.requests().clear();
            sim.client().apps().deployments().inNamespace("default").resource(new DeploymentBuilder()
                    .withNewMetadata().withName("limited").endMetadata().withNewSpec().withReplicas(8)
                    .withNewSelector().addToMatchLabels("app", "limited").endSelector().withNewTemplate()
                    .withNewMetadata().addToLabels("app", "limited").endMetadata().withNewSpec().addNewContainer()
                    .withName("c").withImage("img:1").endContainer().endSpec().endTemplate().endSpec().build())
                    .create();
            sim.client().pods().inNamespace("default").withLabel("app", "limited")
                    .informOnCondition(pods -> pods.size() == 8).get(30, TimeUnit.SECONDS);

            List<ApiRequest> creates = sim.requests().matching(r -> r.internal() && r.resource().equals("pods")
                    && r.subresource().isEmpty()
                    && r.verb().equals("create"));
            assertThat(creates).hasSize(8);
            Duration spread = Duration.between(creates.get(0).at(), creates.get(7).at());
            // the replicaset controller's client also sends status writes between the creates: at 5/s with a
            // burst of 1, seven more creates leave the client over at least 1.4 s. The server stamps arrivals, and an
            // arrival can only be later than its departure (the first one most, on a loaded machine), so the bound
            // leaves 0.4 s for that; unlimited, the eight creates arrived within 0.25-0.38 s on the loaded machine
            assertThat(spread).isGreaterThanOrEqualTo(Duration.ofMillis(1000));
        }
    }
}
