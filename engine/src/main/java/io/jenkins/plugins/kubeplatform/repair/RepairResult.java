package io.jenkins.plugins.kubeplatform.repair;

import java.util.List;

/** How the repair of one node ended, with its timeline (for the build log, the build page and the CLI's JSON). */
public record RepairResult(
        String node,
        String pool,
        RepairOutcome outcome,
        String message,
        String finalState,
        boolean cordoned,
        List<String> agentPods,
        List<TimelineEntry> timeline) {
}
