package io.jenkins.plugins.kubeplatform.sim.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.OptionalLong;

/**
 * What a DELETE does to a pod, decided as kube-apiserver v1.32 decides it: {@code rest.BeforeDelete}
 * (k8s.io/apiserver pkg/registry/rest/delete.go) with the pod strategy's {@code CheckGracefulDelete}
 * (pkg/registry/core/pod/strategy.go), then {@code Store.updateForGracefulDeletionAndFinalizers}
 * (pkg/registry/generic/registry/store.go). A pod bound to a node and not finished is marked (deletionTimestamp =
 * now + grace, deletionGracePeriodSeconds = grace) and stays until its kubelet deletes it with grace 0; an unbound or
 * finished pod, or a grace of 0, is removed at once. A second delete may only shorten a pending grace period.
 * Other resources are not graceful: their deletes go to the store unchanged.
 */
public final class GracefulDeletion {

    /** {@code v1.DefaultTerminationGracePeriodSeconds}, which the API server's defaulting writes into every pod. */
    static final long DEFAULT_GRACE_SECONDS = 30;

    private GracefulDeletion() {
    }

    /** What the delete path does with the object. */
    public sealed interface Decision {
    }

    /** Remove the object now (the store still keeps it while it has finalizers). */
    public record RemoveNow(ObjectNode marked) implements Decision {
    }

    /** Write {@code updated} (the object marked for deletion or its deletion shortened) and keep it. */
    public record Mark(ObjectNode updated) implements Decision {
    }

    /** A graceful deletion is already pending and this delete does not shorten it: answer with the object as is. */
    public record Pending() implements Decision {
    }

    /** Whether deletes of this resource are graceful (only pods, of the built-in kinds the simulation serves). */
    public static boolean applies(String group, String resource, String subresource) {
        return group.isEmpty() && resource.equals("pods") && subresource.isEmpty();
    }

    /**
     * The decision for deleting {@code current} with the grace period the request asks for ({@code DeleteOptions
     * .gracePeriodSeconds} of the body, else the {@code gracePeriodSeconds} query parameter; empty when neither).
     */
    public static Decision decide(JsonNode current, OptionalLong requested, Instant now) {
        ObjectNode pod = current.deepCopy();
        ObjectNode meta = pod.with("metadata");
        // BeforeDelete: negative values are treated as 1s on the delete path
        OptionalLong asked = requested.isPresent() && requested.getAsLong() < 0 ? OptionalLong.of(1) : requested;
        if (meta.hasNonNull("deletionTimestamp")) {
            long pending = meta.path("deletionGracePeriodSeconds").asLong(0);
            if (pending == 0) {
                return new RemoveNow(pod); // graceful deletion already exhausted: delete now
            }
            if (asked.isEmpty() || asked.getAsLong() >= pending) {
                return new Pending(); // only a shorter grace period may be provided
            }
            Instant timestamp = parse(meta.get("deletionTimestamp").asText(), now);
            long shorter = asked.getAsLong();
            meta.put("deletionTimestamp", format(timestamp.minusSeconds(pending).plusSeconds(shorter)));
            meta.put("deletionGracePeriodSeconds", shorter);
            return shorter == 0 ? new RemoveNow(pod) : new Mark(pod);
        }
        long period = asked.isPresent() ? asked.getAsLong()
                : pod.path("spec").path("terminationGracePeriodSeconds").asLong(DEFAULT_GRACE_SECONDS);
        if (pod.path("spec").path("nodeName").asText("").isEmpty()) {
            period = 0; // not scheduled: delete immediately
        }
        String phase = pod.path("status").path("phase").asText("");
        if (phase.equals("Succeeded") || phase.equals("Failed")) {
            period = 0; // already terminated: delete immediately
        }
        if (period < 0) {
            period = 1;
        }
        meta.put("deletionTimestamp", format(now.plusSeconds(period)));
        meta.put("deletionGracePeriodSeconds", period);
        if (meta.path("generation").asLong(0) > 0) {
            meta.put("generation", meta.get("generation").asLong() + 1);
        }
        return period == 0 ? new RemoveNow(pod) : new Mark(pod);
    }

    /** The grace period a delete asks for: the body's {@code gracePeriodSeconds}, else the query parameter's. */
    public static OptionalLong requestedGrace(JsonNode deleteOptions, QueryParams query) {
        if (deleteOptions != null && deleteOptions.path("gracePeriodSeconds").isIntegralNumber()) {
            return OptionalLong.of(deleteOptions.get("gracePeriodSeconds").asLong());
        }
        String fromQuery = query.getOrEmpty("gracePeriodSeconds");
        if (!fromQuery.isEmpty()) {
            try {
                return OptionalLong.of(Long.parseLong(fromQuery));
            } catch (NumberFormatException e) {
                return OptionalLong.empty();
            }
        }
        return OptionalLong.empty();
    }

    private static Instant parse(String text, Instant fallback) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return fallback;
        }
    }

    /** RFC 3339 with whole seconds, as {@code metav1.Time} serializes. */
    private static String format(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
