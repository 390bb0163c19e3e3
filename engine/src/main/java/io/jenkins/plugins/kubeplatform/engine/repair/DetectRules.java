package io.jenkins.plugins.kubeplatform.engine.repair;

import java.time.Duration;
import java.util.List;

/**
 * What makes a node faulty in scheduled mode: Ready not True for at least {@code notReadyFor}, any of the
 * {@code conditions} True (node-problem-detector's KernelDeadlock, ReadonlyFilesystem, ...), or any of the
 * {@code taints} present.
 */
public record DetectRules(Duration notReadyFor, List<String> conditions, List<String> taints) {

    public DetectRules {
        conditions = List.copyOf(conditions);
        taints = List.copyOf(taints);
    }

    public static DetectRules defaults(RepairSettings settings) {
        return new DetectRules(Duration.ofMinutes(5), settings.faultConditions(), List.of());
    }
}
