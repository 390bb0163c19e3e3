package io.jenkins.plugins.kubeplatform.engine.repair;

import java.time.Duration;
import java.util.Optional;

/** What one {@link RepairRun#advance} leaves its driver to do. */
public sealed interface RunTurn {

    /** Advance again after {@code atMost}, or earlier when a watched node changes or a repair action ends. */
    record Waiting(Duration atMost) implements RunTurn {
    }

    /**
     * The run is over: the report of every node it found or repaired, and for a one-node run that node's result.
     */
    record Finished(ScheduledReport report, Optional<RepairResult> node) implements RunTurn {

        public boolean anyFailed() {
            return report.anyFailed();
        }
    }
}
