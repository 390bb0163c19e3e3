package io.jenkins.plugins.kubeplatform.sim.controllers;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Optional;
import java.util.function.IntConsumer;

/**
 * The "slow start" of the controllers' pod creates ({@code slowStartBatch} in pkg/controller/replicaset/replica_set.go
 * and pkg/controller/statefulset/stateful_set_utils.go, the same loop in the DaemonSet's {@code syncNodes} and the
 * Job's {@code manageJob}): batches of 1, 2, 4, ... attempts; every attempt of a batch is made, and no batch follows
 * one with a failure, so a create the API server refuses costs one request, not one per missing pod.
 */
final class SlowStart {

    /** {@code controller.SlowStartInitialBatchSize}. */
    static final int INITIAL_BATCH = 1;

    /** How many attempts succeeded, and the first failure if the run stopped at one. */
    record Outcome(int successes, Optional<KubernetesClientException> error) {
    }

    private SlowStart() {
    }

    /** Runs {@code attempt} with indexes 0..count-1 in batches; an attempt fails by throwing. */
    static Outcome run(int count, IntConsumer attempt) {
        int remaining = count;
        int successes = 0;
        int next = 0;
        for (int batch = Math.min(remaining, INITIAL_BATCH); batch > 0; batch = Math.min(2 * batch, remaining)) {
            KubernetesClientException first = null;
            int failed = 0;
            for (int i = 0; i < batch; i++) {
                try {
                    attempt.accept(next++);
                } catch (KubernetesClientException e) {
                    failed++;
                    if (first == null) {
                        first = e;
                    }
                }
            }
            successes += batch - failed;
            if (first != null) {
                return new Outcome(successes, Optional.of(first));
            }
            remaining -= batch;
        }
        return new Outcome(successes, Optional.empty());
    }
}
