package io.jenkins.plugins.kubeplatform.engine.repair;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Everything the planner decides from: the node and its pods as the cluster shows them, the pool's leases, and what
 * the driver knows in memory (whether this run has written anything yet, the repair action, eviction backoff).
 *
 * @param freshStart true until this run has written to the node; a resumed run (after a restart) passes false so a
 *                   FAILED or ABORTED record it left is reported instead of started over
 * @param waitForLease false in scheduled mode: a full pool defers the node instead of waiting
 */
public record Observation(
        Instant now,
        String owner,
        boolean freshStart,
        boolean waitForLease,
        Instant runStartedAt,
        NodeView node,
        PoolSettings pool,
        List<PodView> pods,
        List<ServiceView> services,
        PoolLeases leases,
        RepairStatus repair,
        Optional<EvictionBlock> evictionBlock) {

    /** The last eviction pass was refused by disruption budgets; try again at {@code retryAt}. */
    public record EvictionBlock(Instant retryAt, List<String> blocked) {
    }
}
