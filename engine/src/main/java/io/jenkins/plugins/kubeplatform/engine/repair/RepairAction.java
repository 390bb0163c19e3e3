package io.jenkins.plugins.kubeplatform.engine.repair;

import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import java.time.Duration;

/** The repair itself, run once the node is drained: returns on success, throws with a message on failure. */
@FunctionalInterface
public interface RepairAction {

    void repair(String node, Progress progress) throws Exception;

    /** Runs {@code sh -c command} with {@code KUBEPLATFORM_NODE} set to the node name. */
    static RepairAction command(String command, Duration timeout) {
        return new ShellRepairAction(command, timeout);
    }
}
