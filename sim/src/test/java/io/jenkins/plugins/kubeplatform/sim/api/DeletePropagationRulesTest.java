package io.jenkins.plugins.kubeplatform.sim.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The finalizers a delete leaves on an object, case by case as store.go {@code shouldOrphanDependents} and
 * {@code shouldDeleteDependents} decide them (expected values from those functions and the strategies'
 * {@code DefaultGarbageCollectionPolicy}), and the mark {@code markAsDeleting} leaves (generation, timestamp, grace).
 */
class DeletePropagationRulesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05.678Z");
    private static final QueryParams NO_QUERY = QueryParams.parse("");

    private record Case(String group, String version, String resource, List<String> existing, String options,
            List<String> expected) {
    }

    private static JsonNode object(List<String> finalizers) {
        var o = JSON.createObjectNode();
        var list = o.putObject("metadata").put("name", "x").putArray("finalizers");
        finalizers.forEach(list::add);
        return o;
    }

    private static List<String> outcome(Case c) throws Exception {
        DeletePropagation.Decision d = DeletePropagation.decide(c.group(), c.version(), c.resource(),
                object(c.existing()), c.options() == null ? null : JSON.readTree(c.options()), NO_QUERY, NOW);
        if (d instanceof DeletePropagation.RemoveNow) {
            return List.of();
        }
        return DeletePropagation.finalizers(((DeletePropagation.MarkDeleting) d).updated());
    }

    @Test
    void addsTheFinalizersEachPolicyAndDefaultCallsFor() throws Exception {
        List<Case> cases = List.of(
                new Case("apps", "v1", "deployments", List.of(), null, List.of()),
                new Case("apps", "v1", "deployments", List.of(), "{\"propagationPolicy\":\"Orphan\"}",
                        List.of("orphan")),
                new Case("apps", "v1", "deployments", List.of(), "{\"propagationPolicy\":\"Foreground\"}",
                        List.of("foregroundDeletion")),
                new Case("batch", "v1", "jobs", List.of(), null, List.of("orphan")),
                new Case("batch", "v1", "jobs", List.of(), "{\"propagationPolicy\":\"Background\"}", List.of()),
                new Case("", "v1", "replicationcontrollers", List.of(), "{}", List.of("orphan")),
                new Case("", "v1", "configmaps", List.of(), "{\"orphanDependents\":true}", List.of("orphan")),
                new Case("", "v1", "configmaps", List.of(), "{\"orphanDependents\":false}", List.of()),
                // a finalizer already on the object decides when the request names no policy
                new Case("", "v1", "configmaps", List.of("foregroundDeletion"), null, List.of("foregroundDeletion")),
                new Case("batch", "v1", "jobs", List.of("foregroundDeletion"), null, List.of("foregroundDeletion")),
                // an explicit policy replaces the other garbage-collection finalizer and keeps the rest
                new Case("", "v1", "configmaps", List.of("a/b", "orphan"), "{\"propagationPolicy\":\"Foreground\"}",
                        List.of("a/b", "foregroundDeletion")),
                new Case("", "v1", "configmaps", List.of("orphan"), "{\"propagationPolicy\":\"Background\"}",
                        List.of()),
                new Case("", "v1", "configmaps", List.of("a/b"), null, List.of("a/b")));
        for (Case c : cases) {
            assertThat(outcome(c)).as(c.toString()).isEqualTo(c.expected());
        }
    }

    @Test
    void marksTheObjectAsBeingDeletedAtTheSecondAndKeepsAnEarlierMark() throws Exception {
        var fresh = (DeletePropagation.MarkDeleting) DeletePropagation.decide("", "v1", "configmaps",
                object(List.of()), JSON.readTree("{\"propagationPolicy\":\"Orphan\"}"), NO_QUERY, NOW);
        assertThat(fresh.updated().path("metadata").path("deletionTimestamp").asText())
                .isEqualTo("2026-01-02T03:04:05Z");
        assertThat(fresh.accepted()).isFalse();

        var again = (DeletePropagation.MarkDeleting) DeletePropagation.decide("", "v1", "configmaps",
                fresh.updated(), JSON.readTree("{\"propagationPolicy\":\"Foreground\"}"), NO_QUERY,
                NOW.plusSeconds(60));
        assertThat(again.updated().path("metadata").path("deletionTimestamp").asText())
                .isEqualTo("2026-01-02T03:04:05Z");
        assertThat(DeletePropagation.finalizers(again.updated())).containsExactly("foregroundDeletion");
    }

    @Test
    void readsThePolicyFromTheQueryOnlyWithoutABody() throws Exception {
        QueryParams orphan = QueryParams.parse("propagationPolicy=Orphan");
        assertThat(DeletePropagation.decide("", "v1", "configmaps", object(List.of()), null, orphan, NOW))
                .isInstanceOf(DeletePropagation.MarkDeleting.class);
        assertThat(DeletePropagation.decide("", "v1", "configmaps", object(List.of()),
                JSON.readTree("{\"propagationPolicy\":\"Background\"}"), orphan, NOW))
                .isInstanceOf(DeletePropagation.RemoveNow.class);
    }

    @Test
    void rejectsAnUnknownPolicyAndAPolicyWithOrphanDependents() throws Exception {
        assertThat(DeletePropagation.validate(JSON.readTree("{\"propagationPolicy\":\"background\"}"), NO_QUERY))
                .hasValueSatisfying(i -> assertThat(i.reason()).isEqualTo("FieldValueNotSupported"));
        assertThat(DeletePropagation.validate(JSON.readTree("{\"propagationPolicy\":\"Orphan\","
                + "\"orphanDependents\":false}"), NO_QUERY))
                .hasValueSatisfying(i -> assertThat(i.reason()).isEqualTo("FieldValueInvalid"));
        assertThat(DeletePropagation.validate(null, QueryParams.parse("propagationPolicy=Nope"))).isPresent();
        assertThat(DeletePropagation.validate(JSON.readTree("{\"propagationPolicy\":\"Orphan\"}"), NO_QUERY))
                .isEmpty();
    }

    @Test
    void anUpdateKeepsTheStoredDeletionMarkAndCannotStartOne() throws Exception {
        JsonNode stored = JSON.readTree("{\"metadata\":{\"deletionTimestamp\":\"2026-01-02T03:04:05Z\","
                + "\"deletionGracePeriodSeconds\":0}}");
        JsonNode kept = DeletePropagation.keepDeletion(stored, JSON.readTree("{\"metadata\":{\"name\":\"x\"}}"));
        assertThat(kept.path("metadata").path("deletionTimestamp").asText()).isEqualTo("2026-01-02T03:04:05Z");

        JsonNode live = JSON.readTree("{\"metadata\":{}}");
        JsonNode notStarted = DeletePropagation.keepDeletion(live,
                JSON.readTree("{\"metadata\":{\"deletionTimestamp\":\"2026-01-02T03:04:05Z\"}}"));
        assertThat(notStarted.path("metadata").has("deletionTimestamp")).isFalse();
    }

    private static JsonNode marked(String deletionTimestamp, long generation) {
        var o = JSON.createObjectNode();
        var meta = o.putObject("metadata").put("name", "x").put("generation", generation);
        meta.putArray("finalizers").add("example.com/keep");
        if (deletionTimestamp != null) {
            meta.put("deletionTimestamp", deletionTimestamp).put("deletionGracePeriodSeconds", 30);
        }
        return o;
    }

    private static JsonNode markedMeta(JsonNode current) {
        DeletePropagation.Decision d = DeletePropagation.decide("apps", "v1", "deployments", current, null, NO_QUERY,
                NOW);
        return ((DeletePropagation.MarkDeleting) d).updated().path("metadata");
    }

    @Test
    void theFirstMarkRaisesTheGenerationAndStampsNowToTheSecond() {
        JsonNode meta = markedMeta(marked(null, 3));

        assertThat(meta.path("generation").asLong()).isEqualTo(4);
        assertThat(meta.path("deletionTimestamp").asText()).isEqualTo("2026-01-02T03:04:05Z");
        assertThat(meta.path("deletionGracePeriodSeconds").asLong(-1)).isZero();
    }

    @Test
    void aLaterMarkKeepsTheGenerationAndAnEarlierTimestamp() {
        JsonNode meta = markedMeta(marked("2026-01-02T03:00:00Z", 4));

        assertThat(meta.path("generation").asLong()).isEqualTo(4);
        assertThat(meta.path("deletionTimestamp").asText()).isEqualTo("2026-01-02T03:00:00Z");
        assertThat(meta.path("deletionGracePeriodSeconds").asLong(-1)).isZero();
    }

    @Test
    void aMarkBringsADeletionTimestampInTheFutureBackToNow() {
        JsonNode meta = markedMeta(marked("2026-01-02T03:05:00Z", 4));

        assertThat(meta.path("deletionTimestamp").asText()).isEqualTo("2026-01-02T03:04:05Z");
        assertThat(meta.path("generation").asLong()).isEqualTo(4);
    }
}
