package io.jenkins.plugins.kubeplatform.repair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kubeplatform.config.PlatformConfig;
import io.jenkins.plugins.kubeplatform.core.InvalidInputException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RepairSettingsTest {

    @Test
    void readsPoolsTimeoutsAndConditionsFromTheRepairSection() {
        RepairSettings s = RepairSettings.from(PlatformConfig.parse("test", """
                repair:
                  maxConcurrent: 2
                  leaseTtl: 2m
                  taskTimeout: 20m
                  onTaskTimeout: fail
                  faultConditions: [KernelDeadlock]
                  pools:
                    - name: gpu
                      nodeSelector: pool=gpu
                      maxConcurrent: 1
                """));
        assertThat(s.maxConcurrent()).isEqualTo(2);
        assertThat(s.leaseTtl()).isEqualTo(Duration.ofMinutes(2));
        assertThat(s.taskTimeout()).isEqualTo(Duration.ofMinutes(20));
        assertThat(s.onTaskTimeout()).isEqualTo(TaskTimeoutAction.FAIL);
        assertThat(s.faultConditions()).containsExactly("KernelDeadlock");
        assertThat(s.poolOf(Map.of("pool", "gpu")).name()).isEqualTo("gpu");
        assertThat(s.poolOf(Map.of("pool", "cpu"))).isEqualTo(PoolSettings.fallback(2));
    }

    @Test
    void readsTheDocumentedExampleConfiguration() {
        RepairSettings s = RepairSettings.from(PlatformConfig.load(java.nio.file.Path.of("..", "docs", "examples",
                "kubeplatform.yaml")));
        assertThat(s.pools()).extracting(PoolSettings::name).containsExactly("workers");
        assertThat(s.command()).contains("KUBEPLATFORM_NODE");
        assertThat(s.stabilizationWindow()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void usesDefaultsWithoutARepairSection() {
        assertThat(RepairSettings.from(PlatformConfig.empty())).isEqualTo(RepairSettings.defaults());
    }

    @Test
    void rejectsABadDurationNamingTheField() {
        assertThatThrownBy(() -> RepairSettings.from(PlatformConfig.parse("t", "repair:\n  verifyTimeout: soon\n")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("repair.verifyTimeout:");
    }

    @Test
    void rejectsABadPoolSelectorNamingThePool() {
        assertThatThrownBy(() -> RepairSettings.from(PlatformConfig.parse("t",
                "repair:\n  pools:\n    - name: gpu\n      nodeSelector: 'a b=c'\n")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("repair.pools[gpu].nodeSelector:");
    }

    @Test
    void matchesLabelQueriesLikeKubectl() {
        LabelQuery q = LabelQuery.parse("s", "pool=gpu,!spot,zone!=b,tier");
        assertThat(q.matches(Map.of("pool", "gpu", "tier", "x"))).isTrue();
        assertThat(q.matches(Map.of("pool", "gpu", "tier", "x", "spot", "1"))).isFalse();
        assertThat(q.matches(Map.of("pool", "gpu", "tier", "x", "zone", "b"))).isFalse();
        assertThat(q.matches(Map.of("pool", "gpu"))).isFalse();
    }

    @Test
    void roundTripsTheMaintenanceRecordAndRejectsGarbage() {
        MaintenanceRecord r = Fixtures.record("job/a#1", MaintenanceState.DRAINING, Fixtures.T0);
        assertThat(MaintenanceRecord.parse(r.toJson())).contains(r);
        assertThat(r.toJson()).contains("\"owner\":\"job/a#1\"").contains("\"state\":\"DRAINING\"")
                .contains("\"since\":\"2026-01-01T10:00:00Z\"").contains("\"wasUnschedulable\":false").contains("\"reason\"");
        assertThat(MaintenanceRecord.parse("{\"state\":\"NOPE\"}")).isEmpty();
        assertThat(MaintenanceRecord.parse("not json")).isEmpty();
    }
}
