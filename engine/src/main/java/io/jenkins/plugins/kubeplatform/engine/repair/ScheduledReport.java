package io.jenkins.plugins.kubeplatform.engine.repair;

import java.util.List;

/** What a scheduled run found and did: every faulty node with its faults and what became of it. */
public record ScheduledReport(String pool, int nodesChecked, List<Entry> nodes) {

    /** One faulty node: repaired, failed, deferred, refused, or skipped with the reason. */
    public record Entry(String node, List<String> faults, String outcome, String message, List<TimelineEntry> timeline) {
    }

    public boolean anyFailed() {
        return nodes.stream().anyMatch(e -> RepairOutcome.FAILED.name().equals(e.outcome())
                || RepairOutcome.ABORTED.name().equals(e.outcome()));
    }
}
