package io.jenkins.plugins.kubeplatform.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** What the step execution tests check of a step driven against the simulated cluster. */
public final class SimStepChecks {

    private static final Set<String> WRITES = Set.of("create", "update", "patch", "delete");

    private SimStepChecks() {
    }

    /** The step failed with a refusal naming the job, the item and the setting, and sent nothing to the cluster. */
    public static void assertRefusedBeforeAnyClusterCall(SimulatedCluster sim, FakeStepContext context,
            String... named) {
        assertThatThrownBy(() -> context.state().outcome.get(60, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(hudson.AbortException.class)
                .message().contains(named);
        assertThat(sim.requests().matching(r -> !r.internal())).as("no cluster call").isEmpty();
    }

    /** Successful writes per verb and resource in the cluster's request log, e.g. {@code create ingresses}. */
    public static Map<String, Long> writes(SimulatedCluster sim) {
        return sim.requests().matching(r -> !r.internal() && !r.isReview() && WRITES.contains(r.verb())
                        && r.status() < 300).stream()
                .collect(Collectors.groupingBy(r -> r.verb() + " " + r.resource(), Collectors.counting()));
    }
}
