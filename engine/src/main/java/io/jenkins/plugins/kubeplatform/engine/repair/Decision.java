package io.jenkins.plugins.kubeplatform.engine.repair;

import java.time.Duration;

/** What the planner says to do next. */
public sealed interface Decision {

    /** Perform one action, then observe again. */
    record Act(MaintenanceAction action) implements Decision {
    }

    /** Nothing to do until something changes or {@code atMost} has passed. */
    record Wait(Duration atMost, String why) implements Decision {
    }

    /** Start the repair action (step body or command); the driver reports back when it ends. */
    record RunRepair() implements Decision {
    }

    /** End without further changes. */
    record Stop(RepairOutcome outcome, String message) implements Decision {
    }
}
