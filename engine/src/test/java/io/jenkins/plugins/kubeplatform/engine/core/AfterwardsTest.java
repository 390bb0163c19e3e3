package io.jenkins.plugins.kubeplatform.engine.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AfterwardsTest {

    @Test
    void throwsTheOperationsFailureWithTheFollowUpsSuppressedOnItWhenBothFail() {
        OperationFailedException rollout = new OperationFailedException("the rollout was interrupted");
        IllegalStateException ledger = new IllegalStateException("could not write the ledger");

        assertThatThrownBy(() -> Afterwards.run(() -> {
            throw rollout;
        }, () -> {
            throw ledger;
        })).isSameAs(rollout).satisfies(e -> assertThat(e.getSuppressed()).containsExactly(ledger));
    }

    @Test
    void runsTheFollowUpAfterAFailedOperation() {
        List<String> ran = new ArrayList<>();

        assertThatThrownBy(() -> Afterwards.run(() -> {
            ran.add("operation");
            throw new OperationFailedException("failed");
        }, () -> ran.add("follow-up"))).hasMessage("failed").satisfies(e -> assertThat(e.getSuppressed()).isEmpty());
        assertThat(ran).containsExactly("operation", "follow-up");
    }

    @Test
    void throwsTheFollowUpsFailureWhenTheOperationSucceeded() {
        IllegalStateException ledger = new IllegalStateException("could not write the ledger");
        List<String> ran = new ArrayList<>();

        assertThatThrownBy(() -> Afterwards.run(() -> ran.add("operation"), () -> {
            throw ledger;
        })).isSameAs(ledger);
        assertThat(ran).containsExactly("operation");
    }
}
