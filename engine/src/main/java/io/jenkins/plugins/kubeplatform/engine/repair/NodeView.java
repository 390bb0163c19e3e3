package io.jenkins.plugins.kubeplatform.engine.repair;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the planner needs to know about a node. {@code recordError} is set when the maintenance annotation exists but
 * cannot be read (so nobody overwrites a record they do not understand).
 */
public record NodeView(
        String name,
        String resourceVersion,
        Map<String, String> labels,
        boolean unschedulable,
        List<String> taintKeys,
        List<Condition> conditions,
        Optional<MaintenanceRecord> record,
        Optional<String> recordError) {

    /** A node condition as the kubelet or node-problem-detector reports it. */
    public record Condition(String type, String status, Optional<Instant> lastTransition, String reason) {
    }

    public Optional<Condition> condition(String type) {
        return conditions.stream().filter(c -> c.type().equals(type)).findFirst();
    }

    public boolean isReady() {
        return condition("Ready").map(c -> "True".equals(c.status())).orElse(false);
    }
}
