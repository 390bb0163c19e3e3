package io.jenkins.plugins.kubeplatform.sim.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.kubeplatform.sim.model.GcFinalizers;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/**
 * What a delete does about the object's dependents, as kube-apiserver's generic registry decides it
 * (staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go {@code Delete},
 * {@code deletionFinalizersForGarbageCollection}, {@code shouldOrphanDependents}, {@code shouldDeleteDependents},
 * {@code markAsDeleting}): {@code Orphan} adds the {@code orphan} finalizer, {@code Foreground} the
 * {@code foregroundDeletion} one, {@code Background} neither; an object left with any finalizer is kept with a
 * {@code deletionTimestamp} for the garbage collector (or whoever owns the finalizer) to finish, one with none is
 * removed at once. Also what an update keeps of a deletion in progress ({@code rest.BeforeUpdate}).
 */
public final class DeletePropagation {

    private static final List<String> POLICIES = List.of("Foreground", "Background", "Orphan");

    private DeletePropagation() {
    }

    /** The outcome of a delete request for one object. */
    public sealed interface Decision {
    }

    /** Invalid {@code DeleteOptions}: 422, with the field, the cause's reason and message. */
    public record Invalid(String message, String field, String reason, String cause) implements Decision {
    }

    /** No finalizer remains: the object is removed now. */
    public record RemoveNow() implements Decision {
    }

    /**
     * The object stays, marked as being deleted ({@code updated}); {@code accepted} when the client asked
     * {@code orphanDependents: false}, which the real server answers with 202 rather than 200.
     */
    public record MarkDeleting(ObjectNode updated, boolean accepted) implements Decision {
    }

    /**
     * Decides a delete of {@code current}.
     *
     * @param options the request's {@code DeleteOptions} body, or null when it had none (then the query's
     *                {@code propagationPolicy} and {@code orphanDependents} parameters count, as the real handler
     *                decodes them only without a body)
     */
    public static Decision decide(String group, String version, String resource, JsonNode current, JsonNode options,
            QueryParams query, Instant now) {
        Optional<Invalid> invalid = validate(options, query);
        if (invalid.isPresent()) {
            return invalid.get();
        }
        Optional<String> policy = policy(options, query);
        Optional<Boolean> orphanDependents = orphanDependents(options, query);
        List<String> existing = finalizers(current);
        boolean orphan = shouldOrphan(group, version, resource, existing, policy, orphanDependents);
        boolean foreground = shouldDeleteInForeground(existing, policy, orphanDependents);
        List<String> wanted = new ArrayList<>();
        for (String f : existing) {
            if (!f.equals(GcFinalizers.ORPHAN) && !f.equals(GcFinalizers.FOREGROUND)) {
                wanted.add(f);
            }
        }
        if (orphan) {
            wanted.add(GcFinalizers.ORPHAN);
        }
        if (foreground) {
            wanted.add(GcFinalizers.FOREGROUND);
        }
        if (wanted.isEmpty()) {
            return new RemoveNow();
        }
        ObjectNode updated = current.deepCopy();
        ObjectNode meta = updated.with("metadata");
        if (!new HashSet<>(wanted).equals(new HashSet<>(existing))) {
            ArrayNode list = meta.putArray("finalizers");
            wanted.forEach(list::add);
        }
        markAsDeleting(meta, now);
        return new MarkDeleting(updated, orphanDependents.isPresent() && !orphanDependents.get());
    }

    /**
     * {@code markAsDeleting} (registry/store.go): the first mark raises a {@code metadata.generation} the object has
     * (a resource without graceful deletion has no {@code rest.BeforeDelete} to do it, and its controllers must see a
     * change they have not observed); the {@code deletionTimestamp} becomes now unless an earlier one is set; the grace
     * period becomes 0.
     */
    private static void markAsDeleting(ObjectNode meta, Instant now) {
        Instant second = now.truncatedTo(ChronoUnit.SECONDS);
        if (!meta.hasNonNull("deletionTimestamp")) {
            if (meta.path("generation").asLong(0) > 0) {
                meta.put("generation", meta.get("generation").asLong() + 1);
            }
            meta.put("deletionTimestamp", second.toString());
        } else if (timestamp(meta.get("deletionTimestamp").asText()).map(t -> t.isAfter(second)).orElse(false)) {
            meta.put("deletionTimestamp", second.toString());
        }
        meta.put("deletionGracePeriodSeconds", 0);
    }

    private static Optional<Instant> timestamp(String text) {
        try {
            return Optional.of(Instant.parse(text));
        } catch (java.time.format.DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /**
     * {@code ValidateDeleteOptions} (apimachinery pkg/apis/meta/v1/validation): a policy other than the three, or a
     * policy together with the deprecated {@code orphanDependents}, is invalid. The handler checks this before it
     * looks the object up.
     */
    public static Optional<Invalid> validate(JsonNode options, QueryParams query) {
        Optional<String> policy = policy(options, query);
        if (orphanDependents(options, query).isPresent() && policy.isPresent()) {
            return Optional.of(invalid("propagationPolicy", "FieldValueInvalid", "Invalid value: \""
                    + policy.get() + "\": orphanDependents and deletionPropagation cannot be both set"));
        }
        if (policy.isPresent() && !POLICIES.contains(policy.get())) {
            return Optional.of(invalid("propagationPolicy", "FieldValueNotSupported", "Unsupported value: \""
                    + policy.get() + "\": supported values: \"Foreground\", \"Background\", \"Orphan\", \"nil\""));
        }
        return Optional.empty();
    }

    private static Optional<String> policy(JsonNode options, QueryParams query) {
        return options != null && options.isObject() ? text(options.get("propagationPolicy"))
                : query.get("propagationPolicy");
    }

    private static Optional<Boolean> orphanDependents(JsonNode options, QueryParams query) {
        return options != null && options.isObject() ? bool(options.get("orphanDependents"))
                : query.get("orphanDependents").map(Boolean::parseBoolean);
    }

    /**
     * The default of a delete without a policy ({@code DefaultGarbageCollectionPolicy} of each registry strategy):
     * batch/v1 Jobs and core/v1 ReplicationControllers orphan their dependents for backwards compatibility, as do the
     * pre-apps/v1 workload versions; everything else deletes them in the background.
     */
    static boolean orphansByDefault(String group, String version, String resource) {
        return switch (group) {
            case "batch" -> resource.equals("jobs") && version.equals("v1");
            case "" -> resource.equals("replicationcontrollers") && version.equals("v1");
            case "apps" -> !version.equals("v1");
            case "extensions" -> true;
            default -> false;
        };
    }

    private static boolean shouldOrphan(String group, String version, String resource, List<String> finalizers,
            Optional<String> policy, Optional<Boolean> orphanDependents) {
        if (orphanDependents.isPresent()) {
            return orphanDependents.get();
        }
        if (policy.isPresent()) {
            return policy.get().equals("Orphan");
        }
        for (String f : finalizers) {
            if (f.equals(GcFinalizers.ORPHAN)) {
                return true;
            }
            if (f.equals(GcFinalizers.FOREGROUND)) {
                return false;
            }
        }
        return orphansByDefault(group, version, resource);
    }

    private static boolean shouldDeleteInForeground(List<String> finalizers, Optional<String> policy,
            Optional<Boolean> orphanDependents) {
        if (orphanDependents.isPresent()) {
            return false;
        }
        if (policy.isPresent()) {
            return policy.get().equals("Foreground");
        }
        for (String f : finalizers) {
            if (f.equals(GcFinalizers.FOREGROUND)) {
                return true;
            }
            if (f.equals(GcFinalizers.ORPHAN)) {
                return false;
            }
        }
        return false;
    }

    /**
     * An update keeps the stored {@code deletionTimestamp} and grace period whatever the client sent, as
     * {@code rest.BeforeUpdate} does; returns the object to store. One that sets them on an object not being deleted
     * has them dropped here, where the real server refuses the update (the fields are immutable in
     * {@code ValidateObjectMetaUpdate}): either way an update cannot start a deletion.
     */
    public static JsonNode keepDeletion(JsonNode current, JsonNode updated) {
        if (!updated.path("metadata").isObject()) {
            return updated;
        }
        ObjectNode copy = updated.deepCopy();
        ObjectNode meta = copy.with("metadata");
        JsonNode was = current.path("metadata");
        for (String field : List.of("deletionTimestamp", "deletionGracePeriodSeconds")) {
            if (was.hasNonNull(field)) {
                meta.set(field, was.get(field));
            } else {
                meta.remove(field);
            }
        }
        return copy;
    }

    /**
     * Whether a write leaves this object deleted: it is being deleted and has no finalizer left, so the store
     * removes it instead of saving it ({@code Store.Update}, {@code shouldDeleteDuringUpdate}).
     */
    public static boolean finishesDeletion(JsonNode updated) {
        return updated.path("metadata").hasNonNull("deletionTimestamp") && finalizers(updated).isEmpty();
    }

    /**
     * The finalizers {@code updated} adds to {@code current}, sorted, when {@code current} is being deleted: the
     * real server refuses them ({@code ValidateObjectMetaUpdate}, {@code ValidateNoNewFinalizers} in apimachinery
     * pkg/api/validation/objectmeta.go); empty when the write adds none or the object is not being deleted.
     */
    public static List<String> newFinalizersWhileDeleting(JsonNode current, JsonNode updated) {
        if (!current.path("metadata").hasNonNull("deletionTimestamp")) {
            return List.of();
        }
        java.util.TreeSet<String> extra = new java.util.TreeSet<>(finalizers(updated));
        extra.removeAll(finalizers(current));
        return List.copyOf(extra);
    }

    /** The object's {@code metadata.finalizers}, empty when it has none. */
    public static List<String> finalizers(JsonNode object) {
        List<String> out = new ArrayList<>();
        JsonNode list = object.path("metadata").path("finalizers");
        if (list.isArray()) {
            list.forEach(f -> out.add(f.asText()));
        }
        return out;
    }

    private static Invalid invalid(String field, String reason, String cause) {
        return new Invalid("DeleteOptions.meta.k8s.io \"\" is invalid: " + field + ": " + cause, field, reason, cause);
    }

    private static Optional<String> text(JsonNode node) {
        return node == null || node.isNull() ? Optional.empty() : Optional.of(node.asText());
    }

    private static Optional<Boolean> bool(JsonNode node) {
        return node == null || node.isNull() ? Optional.empty() : Optional.of(node.asBoolean());
    }
}
