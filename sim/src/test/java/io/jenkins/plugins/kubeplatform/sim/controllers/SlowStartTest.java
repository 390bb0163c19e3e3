package io.jenkins.plugins.kubeplatform.sim.controllers;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The controllers' "slow start" of pod creates, as slowStartBatch in pkg/controller/replicaset/replica_set.go: batches
 * of 1, 2, 4, ... ({@code SlowStartInitialBatchSize} = 1), each batch made in full, none after a batch with a failure.
 */
class SlowStartTest {

    private static SlowStart.Outcome run(int count, Set<Integer> failing, List<Integer> attempted) {
        return SlowStart.run(count, i -> {
            attempted.add(i);
            if (failing.contains(i)) {
                throw new KubernetesClientException("refused");
            }
        });
    }

    @Test
    void makesEveryAttemptWhenNoneFails() {
        List<Integer> attempted = new ArrayList<>();
        SlowStart.Outcome outcome = run(10, Set.of(), attempted);
        assertThat(attempted).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(outcome.successes()).isEqualTo(10);
        assertThat(outcome.error()).isEmpty();
    }

    @Test
    void stopsAfterTheFirstAttemptWhenItFails() {
        List<Integer> attempted = new ArrayList<>();
        SlowStart.Outcome outcome = run(500, Set.of(0), attempted);
        assertThat(attempted).containsExactly(0);
        assertThat(outcome.successes()).isZero();
        assertThat(outcome.error()).isPresent();
    }

    @Test
    void finishesTheBatchOfAFailureAndStartsNoOther() {
        List<Integer> attempted = new ArrayList<>();
        // batches [0] [1,2] [3,4,5,6] [7..]: index 4 fails in the third batch
        SlowStart.Outcome outcome = run(10, Set.of(4), attempted);
        assertThat(attempted).containsExactly(0, 1, 2, 3, 4, 5, 6);
        assertThat(outcome.successes()).isEqualTo(6);
        assertThat(outcome.error()).hasValueSatisfying(e -> assertThat(e.getMessage()).isEqualTo("refused"));
    }
}
