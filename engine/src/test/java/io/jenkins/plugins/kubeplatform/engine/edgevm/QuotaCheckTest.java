package io.jenkins.plugins.kubeplatform.engine.edgevm;

import static io.jenkins.plugins.kubeplatform.engine.edgevm.EdgeFixtures.record;
import static io.jenkins.plugins.kubeplatform.engine.edgevm.EdgeFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

class QuotaCheckTest {

    private final EdgeSettings settings = EdgeFixtures.settings();

    @Test
    void allowsARequestWithinQuota() {
        assertThat(QuotaCheck.check(settings, request("a", "demo", 2, "4Gi"), List.of()))
                .isEqualTo("quota ok: 1/3 VMs, 2/6 vCPU, 4Gi/12Gi for tenant demo");
    }

    @Test
    void allowsARequestThatReachesEveryLimitExactly() {
        // demo's quota (EdgeFixtures): 3 VMs, 6 vCPU, 12Gi. Two VMs of 2 vCPU / 4096Mi plus a request of 2 vCPU / 4Gi
        // reach all three limits at once; a limit is a maximum, so reaching it is allowed.
        List<VmRecord> live = List.of(record("demo", "a", "paris", "edge-par", 2, 4096, VmState.RUNNING),
                record("demo", "b", "paris", "edge-par", 2, 4096, VmState.IDLE));

        assertThat(QuotaCheck.check(settings, request("c", "demo", 2, "4Gi"), live))
                .isEqualTo("quota ok: 3/3 VMs, 6/6 vCPU, 12Gi/12Gi for tenant demo");
    }

    @Test
    void countsIdleVmsButNotDeletedOnes() {
        List<VmRecord> live = List.of(record("demo", "a", "paris", "edge-par", 2, 4096, VmState.IDLE),
                record("demo", "b", "paris", "edge-par", 4, 4096, VmState.DELETED));

        assertThatThrownBy(() -> QuotaCheck.check(settings, request("c", "demo", 5, "1Gi"), live))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo("cpu"))
                .hasMessageContaining("tenant demo holds 1 VM(s), 2 vCPU, 4Gi");
    }

    @Test
    void refusesTheVmBeyondTheCount() {
        List<VmRecord> live = List.of(record("demo", "a", "paris", "edge-par", 1, 512, VmState.RUNNING),
                record("demo", "b", "paris", "edge-par", 1, 512, VmState.RUNNING),
                record("demo", "c", "paris", "edge-par", 1, 512, VmState.PROVISIONING));

        assertThatThrownBy(() -> QuotaCheck.check(settings, request("d", "demo", 1, "512Mi"), live))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("limit of 3 VM(s)");
    }

    @Test
    void refusesMemoryBeyondQuotaAndIgnoresOtherTenants() {
        List<VmRecord> live = List.of(record("acme", "a", "paris", "edge-par", 8, 60000, VmState.RUNNING),
                record("demo", "b", "paris", "edge-par", 1, 8192, VmState.RUNNING));

        assertThatThrownBy(() -> QuotaCheck.check(settings, request("c", "demo", 1, "5Gi"), live))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo("memory"));
    }

    @Test
    void refusesATenantWithoutQuota() {
        assertThatThrownBy(() -> QuotaCheck.check(settings, request("a", "nobody", 1, "1Gi"), List.of()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("has no edge quota");
    }
}
