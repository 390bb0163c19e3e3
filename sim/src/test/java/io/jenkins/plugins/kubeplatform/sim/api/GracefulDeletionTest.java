package io.jenkins.plugins.kubeplatform.sim.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * The delete decisions of kube-apiserver v1.32 for pods: {@code rest.BeforeDelete}
 * (staging/src/k8s.io/apiserver/pkg/registry/rest/delete.go), the pod strategy's {@code CheckGracefulDelete}
 * (pkg/registry/core/pod/strategy.go) and {@code Store.updateForGracefulDeletionAndFinalizers} (a grace of 0
 * deletes at once). Expected timestamps are worked out by hand from NOW.
 */
class GracefulDeletionTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    private static ObjectNode pod(String nodeName, Long grace, String phase) {
        ObjectNode pod = JSON.createObjectNode();
        pod.putObject("metadata").put("name", "web").put("namespace", "default").put("uid", "u-1");
        ObjectNode spec = pod.putObject("spec");
        if (nodeName != null) {
            spec.put("nodeName", nodeName);
        }
        if (grace != null) {
            spec.put("terminationGracePeriodSeconds", grace);
        }
        if (phase != null) {
            pod.putObject("status").put("phase", phase);
        }
        return pod;
    }

    private static ObjectNode terminating(String timestamp, long grace) {
        ObjectNode pod = pod("node-1", 30L, "Running");
        pod.with("metadata").put("deletionTimestamp", timestamp).put("deletionGracePeriodSeconds", grace);
        return pod;
    }

    private static JsonNode marked(GracefulDeletion.Decision decision) {
        assertThat(decision).isInstanceOf(GracefulDeletion.Mark.class);
        return ((GracefulDeletion.Mark) decision).updated().path("metadata");
    }

    @Test
    void marksABoundPodWithItsOwnGracePeriod() {
        JsonNode meta = marked(GracefulDeletion.decide(pod("node-1", 45L, "Running"), OptionalLong.empty(), NOW));
        assertThat(meta.path("deletionTimestamp").asText()).isEqualTo("2026-03-01T10:00:45Z");
        assertThat(meta.path("deletionGracePeriodSeconds").asLong()).isEqualTo(45);
    }

    @Test
    void usesTheDefaultThirtySecondsWhenThePodNamesNoGracePeriod() {
        JsonNode meta = marked(GracefulDeletion.decide(pod("node-1", null, "Running"), OptionalLong.empty(), NOW));
        assertThat(meta.path("deletionTimestamp").asText()).isEqualTo("2026-03-01T10:00:30Z");
        assertThat(meta.path("deletionGracePeriodSeconds").asLong()).isEqualTo(30);
    }

    @Test
    void usesTheGracePeriodTheDeleteAsksFor() {
        JsonNode meta = marked(GracefulDeletion.decide(pod("node-1", 45L, "Running"), OptionalLong.of(5), NOW));
        assertThat(meta.path("deletionTimestamp").asText()).isEqualTo("2026-03-01T10:00:05Z");
        assertThat(meta.path("deletionGracePeriodSeconds").asLong()).isEqualTo(5);
    }

    @Test
    void treatsANegativeGracePeriodAsOneSecond() {
        JsonNode meta = marked(GracefulDeletion.decide(pod("node-1", 45L, "Running"), OptionalLong.of(-7), NOW));
        assertThat(meta.path("deletionGracePeriodSeconds").asLong()).isEqualTo(1);
    }

    @Test
    void bumpsTheGenerationWhenMarking() {
        ObjectNode pod = pod("node-1", 30L, "Running");
        pod.with("metadata").put("generation", 3);
        assertThat(marked(GracefulDeletion.decide(pod, OptionalLong.empty(), NOW)).path("generation").asLong())
                .isEqualTo(4);
    }

    @Test
    void removesAPodNotBoundToANodeAtOnce() {
        assertThat(GracefulDeletion.decide(pod(null, 30L, "Pending"), OptionalLong.empty(), NOW))
                .isInstanceOf(GracefulDeletion.RemoveNow.class);
    }

    @Test
    void removesAFinishedPodAtOnce() {
        assertThat(GracefulDeletion.decide(pod("node-1", 30L, "Succeeded"), OptionalLong.empty(), NOW))
                .isInstanceOf(GracefulDeletion.RemoveNow.class);
        assertThat(GracefulDeletion.decide(pod("node-1", 30L, "Failed"), OptionalLong.empty(), NOW))
                .isInstanceOf(GracefulDeletion.RemoveNow.class);
    }

    @Test
    void removesAtOnceWithGraceZero() {
        assertThat(GracefulDeletion.decide(pod("node-1", 30L, "Running"), OptionalLong.of(0), NOW))
                .isInstanceOf(GracefulDeletion.RemoveNow.class);
    }

    @Test
    void shortensAPendingDeletionKeepingItsStartPoint() {
        // marked at 10:00:00 with 30 s (due 10:00:30); a delete asking for 10 s makes it due 10:00:10
        JsonNode meta = marked(GracefulDeletion.decide(terminating("2026-03-01T10:00:30Z", 30), OptionalLong.of(10),
                NOW.plusSeconds(4)));
        assertThat(meta.path("deletionTimestamp").asText()).isEqualTo("2026-03-01T10:00:10Z");
        assertThat(meta.path("deletionGracePeriodSeconds").asLong()).isEqualTo(10);
    }

    @Test
    void neverLengthensAPendingDeletion() {
        assertThat(GracefulDeletion.decide(terminating("2026-03-01T10:00:30Z", 30), OptionalLong.of(60), NOW))
                .isInstanceOf(GracefulDeletion.Pending.class);
        assertThat(GracefulDeletion.decide(terminating("2026-03-01T10:00:30Z", 30), OptionalLong.of(30), NOW))
                .isInstanceOf(GracefulDeletion.Pending.class);
    }

    @Test
    void leavesAPendingDeletionAloneWhenTheDeleteNamesNoGracePeriod() {
        assertThat(GracefulDeletion.decide(terminating("2026-03-01T10:00:30Z", 30), OptionalLong.empty(), NOW))
                .isInstanceOf(GracefulDeletion.Pending.class);
    }

    @Test
    void removesAPendingDeletionShortenedToZero() {
        GracefulDeletion.Decision decision = GracefulDeletion.decide(terminating("2026-03-01T10:00:30Z", 30),
                OptionalLong.of(0), NOW);
        assertThat(decision).isInstanceOf(GracefulDeletion.RemoveNow.class);
        assertThat(((GracefulDeletion.RemoveNow) decision).marked().path("metadata").path("deletionTimestamp")
                .asText()).isEqualTo("2026-03-01T10:00:00Z");
    }

    @Test
    void removesAPodWhoseDeletionGracePeriodIsAlreadyZero() {
        assertThat(GracefulDeletion.decide(terminating("2026-03-01T10:00:00Z", 0), OptionalLong.empty(), NOW))
                .isInstanceOf(GracefulDeletion.RemoveNow.class);
    }

    @Test
    void takesTheGracePeriodFromTheBodyBeforeTheQuery() {
        ObjectNode options = JSON.createObjectNode().put("gracePeriodSeconds", 3);
        assertThat(GracefulDeletion.requestedGrace(options, QueryParams.parse("gracePeriodSeconds=9")))
                .isEqualTo(OptionalLong.of(3));
        assertThat(GracefulDeletion.requestedGrace(JSON.createObjectNode(), QueryParams.parse("gracePeriodSeconds=9")))
                .isEqualTo(OptionalLong.of(9));
        assertThat(GracefulDeletion.requestedGrace(null, QueryParams.parse(""))).isEmpty();
    }

    @Test
    void appliesToPodsOnly() {
        assertThat(GracefulDeletion.applies("", "pods", "")).isTrue();
        assertThat(GracefulDeletion.applies("", "configmaps", "")).isFalse();
        assertThat(GracefulDeletion.applies("apps", "deployments", "")).isFalse();
    }
}
