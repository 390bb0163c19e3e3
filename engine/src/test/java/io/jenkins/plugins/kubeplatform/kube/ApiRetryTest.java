package io.jenkins.plugins.kubeplatform.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.kubeplatform.core.OperationFailedException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ApiRetryTest {

    private final List<Duration> waits = new ArrayList<>();
    private final ApiRetry retry = new ApiRetry(4, Duration.ofMillis(100), Duration.ofMillis(300), waits::add);

    private static KubernetesClientException http(int code, String message) {
        Status status = new StatusBuilder().withCode(code).withMessage(message).build();
        return new KubernetesClientException(status);
    }

    @Test
    void retriesWithGrowingBackoffWhenTheServerFailsTransiently() {
        AtomicInteger calls = new AtomicInteger();

        String result = retry.call("read node", () -> {
            if (calls.incrementAndGet() < 4) {
                throw http(calls.get() == 2 ? 429 : 503, "busy");
            }
            return "ok";
        });

        assertThat(result).isEqualTo("ok");
        assertThat(waits).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(300));
    }

    @Test
    void failsWithTheServerMessageWhenRetriesAreExhausted() {
        assertThatThrownBy(() -> retry.call("list pods", () -> {
            throw http(500, "etcdserver: request timed out");
        })).isInstanceOf(OperationFailedException.class)
                .hasMessage("list pods failed after 4 attempts: HTTP 500 etcdserver: request timed out");
        assertThat(waits).hasSize(3);
    }

    @Test
    void rethrowsAtOnceWhenTheErrorIsPermanent() {
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> retry.call("create pod", () -> {
            calls.incrementAndGet();
            throw http(403, "pods is forbidden");
        })).isInstanceOf(KubernetesClientException.class).hasMessageContaining("forbidden");
        assertThat(calls).hasValue(1);
        assertThat(waits).isEmpty();
    }

    @Test
    void leavesConflictsToTheCaller() {
        assertThat(ApiRetry.isTransient(http(409, "the object has been modified"))).isFalse();
    }

    @Test
    void retriesWhenTheConnectionTimesOut() {
        KubernetesClientException timeout = new KubernetesClientException("timed out", new SocketTimeoutException());
        assertThat(ApiRetry.isTransient(timeout)).isTrue();
    }

    @Test
    void honoursRetryAfterWithinTheCap() {
        Status status = new StatusBuilder().withCode(429).withNewDetails().withRetryAfterSeconds(1).endDetails().build();
        assertThat(retry.backoff(1, new KubernetesClientException(status))).isEqualTo(Duration.ofMillis(300));
    }

    @Test
    void doesNotRetryWhenTheConnectionIsRefusedOrTheHostIsUnknown() {
        assertThat(ApiRetry.isTransient(new KubernetesClientException("refused",
                new java.io.IOException("io", new java.net.ConnectException("Connection refused"))))).isFalse();
        assertThat(ApiRetry.isTransient(new KubernetesClientException("dns",
                new java.net.UnknownHostException("no-such-host.invalid")))).isFalse();
        assertThat(ApiRetry.isTransient(new KubernetesClientException("tls",
                new javax.net.ssl.SSLHandshakeException("PKIX path building failed")))).isFalse();
    }

    @Test
    void tellsTheObserverAboutEveryRetryWithItsCount() {
        java.util.List<String> seen = new java.util.ArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        String value = retry.observed(seen::add).call("list pods", () -> {
            if (calls.incrementAndGet() < 3) {
                throw http(503, "unavailable");
            }
            return "ok";
        });
        assertThat(value).isEqualTo("ok");
        assertThat(seen).hasSize(2);
        assertThat(seen.get(0)).contains("list pods", "503", "retry 1 of 3");
        assertThat(seen.get(1)).contains("retry 2 of 3");
    }
}
