package io.jenkins.plugins.kubeplatform.engine.repair;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.jenkins.plugins.kubeplatform.engine.store.Json;
import java.time.Instant;
import java.util.Optional;

/**
 * The node's maintenance annotation ({@value #ANNOTATION}): the source of truth for a repair, so any build or CLI run
 * can see, resume or refuse it. {@code wasUnschedulable} remembers whether the node was cordoned before the repair
 * began, so release never uncordons a node somebody else cordoned.
 */
public record MaintenanceRecord(
        String owner,
        MaintenanceState state,
        Instant since,
        boolean wasUnschedulable,
        String reason,
        String pool,
        Instant startedAt) {

    public static final String ANNOTATION = "kubeplatform.jenkins.io/maintenance";

    public MaintenanceRecord {
        reason = reason == null ? "" : reason;
    }

    /** The same repair moved to {@code next} at {@code now}. */
    public MaintenanceRecord moveTo(MaintenanceState next, Instant now, String why) {
        return new MaintenanceRecord(owner, next, now, wasUnschedulable, why, pool, startedAt);
    }

    /** The same repair continued by {@code newOwner}. */
    public MaintenanceRecord takenOverBy(String newOwner, MaintenanceState next, Instant now, String why) {
        return new MaintenanceRecord(newOwner, next, now, wasUnschedulable, why, pool, startedAt);
    }

    public String toJson() {
        try {
            return Json.mapper().writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("maintenance record is not serializable", e);
        }
    }

    /** Parses the annotation value; empty when the text is not a readable record. */
    public static Optional<MaintenanceRecord> parse(String json) {
        try {
            MaintenanceRecord r = Json.mapper().readValue(json, MaintenanceRecord.class);
            if (r == null || r.owner() == null || r.owner().isBlank() || r.state() == null || r.since() == null) {
                return Optional.empty();
            }
            return Optional.of(r);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
