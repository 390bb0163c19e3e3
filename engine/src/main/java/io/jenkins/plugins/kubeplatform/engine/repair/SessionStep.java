package io.jenkins.plugins.kubeplatform.engine.repair;

import java.time.Duration;

/** What a {@link RepairSession#step()} leaves its driver to do. */
public sealed interface SessionStep {

    /** Call {@code step()} again after {@code atMost}, or earlier when the node or its pods change. */
    record Waiting(Duration atMost, String why) implements SessionStep {
    }

    /** Run the repair (body or command) now, then call {@code repairFinished} and {@code step()}. */
    record RepairNeeded(String node) implements SessionStep {
    }

    /** Done; no further calls. */
    record Finished(RepairResult result) implements SessionStep {
    }
}
