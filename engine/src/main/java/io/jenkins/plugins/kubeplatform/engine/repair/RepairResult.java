package io.jenkins.plugins.kubeplatform.engine.repair;

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

    /** The kind of this result's document. */
    public static final String KIND = "RepairNode";

    /** The CLI's {@code -o json} document and the build's {@code api/json} result (docs/cli.md). */
    public com.fasterxml.jackson.databind.node.ObjectNode document() {
        return io.jenkins.plugins.kubeplatform.engine.core.ResultDocument.tree(KIND, this);
    }
}
