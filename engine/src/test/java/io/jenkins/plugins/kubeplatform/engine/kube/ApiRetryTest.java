package io.jenkins.plugins.kubeplatform.engine.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException;
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

    private static KubernetesClientException alreadyExists() {
        return new KubernetesClientException(new StatusBuilder().withCode(409).withReason("AlreadyExists")
                .withMessage("leases \"slot-0\" already exists").build());
    }

    @Test
    void acceptsAnAlreadyExistsAfterALostAnswerWhenTheObjectIsOurs() {
        AtomicInteger calls = new AtomicInteger();
        String created = retry.create("create lease slot-0", () -> {
            if (calls.incrementAndGet() == 1) {
                // the server applied the create but the answer was lost
                throw new KubernetesClientException("reset", new java.net.SocketException("Connection reset"));
            }
            throw alreadyExists();
        }, () -> "holder=me", live -> live.equals("holder=me"));
        assertThat(created).isEqualTo("holder=me");
        assertThat(calls).hasValue(2);
        assertThat(retry.retries()).isEqualTo(1);
    }

    @Test
    void rethrowsAnAlreadyExistsWhenTheObjectIsSomeoneElses() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> retry.create("create lease slot-0", () -> {
            if (calls.incrementAndGet() == 1) {
                throw http(503, "unavailable");
            }
            throw alreadyExists();
        }, () -> "holder=other", live -> live.equals("holder=me")))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    }

    @Test
    void rethrowsAnAlreadyExistsOnTheFirstAttemptWithoutReadingBack() {
        AtomicInteger reads = new AtomicInteger();
        assertThatThrownBy(() -> retry.create("create lease slot-0", () -> {
            throw alreadyExists();
        }, () -> {
            reads.incrementAndGet();
            return "holder=me";
        }, live -> true)).isInstanceOf(KubernetesClientException.class);
        assertThat(reads).hasValue(0);
    }

    @Test
    void retriesWhenTheAnswerCouldNotBeRead() {
        assertThat(ApiRetry.isTransient(new KubernetesClientException("closed",
                new IllegalStateException("Connection was closed")))).isTrue();
        assertThat(ApiRetry.isTransient(new KubernetesClientException("no cause"))).isFalse();
    }

    @Test
    void drawsJitteredWaitsBetweenHalfAndAllOfTheBackoff() {
        ApiRetry jittered = retry.jittered(new java.util.Random(3));
        for (int attempt = 1; attempt <= 3; attempt++) {
            Duration full = Duration.ofMillis(Math.min(300, 100L << (attempt - 1)));
            Duration wait = jittered.backoff(attempt, http(503, "busy"));
            assertThat(wait).isBetween(full.dividedBy(2), full);
        }
    }
}
