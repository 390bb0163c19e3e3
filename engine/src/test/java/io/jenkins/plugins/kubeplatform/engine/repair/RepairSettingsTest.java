package io.jenkins.plugins.kubeplatform.engine.repair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kubeplatform.engine.config.PlatformConfig;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
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
    void hasTheDocumentedDefaultsWhenNothingIsConfigured() {
        RepairSettings d = RepairSettings.defaults();

        assertThat(d.pools()).isEmpty();
        assertThat(d.maxConcurrent()).isEqualTo(1);
        assertThat(d.leaseNamespace()).isEqualTo("default");
        assertThat(d.leaseTtl()).isEqualTo(Duration.ofMinutes(5));
        assertThat(d.leaseWaitTimeout()).isEqualTo(Duration.ofMinutes(30));
        assertThat(d.trafficLabel()).isEqualTo("kubeplatform.jenkins.io/traffic");
        assertThat(d.deregistrationGrace()).isEqualTo(Duration.ofSeconds(10));
        assertThat(d.deregistrationTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(d.taskSelector()).isEqualTo(LabelQuery.ALL);
        assertThat(d.agentSelector().matches(Map.of("jenkins/label", "x"))).isTrue();
        assertThat(d.agentSelector().matches(Map.of("app", "x"))).isFalse();
        assertThat(d.taskTimeout()).isEqualTo(Duration.ofMinutes(30));
        assertThat(d.onTaskTimeout()).isEqualTo(TaskTimeoutAction.EVICT);
        assertThat(d.drainTimeout()).isEqualTo(Duration.ofMinutes(15));
        assertThat(d.repairTimeout()).isEqualTo(Duration.ofHours(1));
        assertThat(d.verifyTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(d.stabilizationWindow()).isEqualTo(Duration.ofMinutes(1));
        assertThat(d.faultConditions()).containsExactly("KernelDeadlock", "ReadonlyFilesystem");
        assertThat(d.recheckInterval()).isEqualTo(Duration.ofSeconds(15));
        assertThat(d.evictionBackoff()).isEqualTo(Duration.ofSeconds(1));
        assertThat(d.maxEvictionBackoff()).isEqualTo(Duration.ofSeconds(30));
        assertThat(d.command()).isEmpty();
    }

    @Test
    void changesOnlyTheGivenKeysWhenBuiltFromTheDefaults() {
        RepairSettings s = RepairSettings.builder().leaseTtl(Duration.ofSeconds(30)).maxConcurrent(3).build();

        assertThat(s.leaseTtl()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.maxConcurrent()).isEqualTo(3);
        assertThat(s.toBuilder().leaseTtl(RepairSettings.defaults().leaseTtl()).maxConcurrent(1).build())
                .isEqualTo(RepairSettings.defaults());
    }

    @Test
    void refusesAConcurrencyOutOfRangeWhenBuilt() {
        assertThatThrownBy(() -> RepairSettings.builder().maxConcurrent(0).build())
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("repair.maxConcurrent:");
    }

    @Test
    void refusesAnUnknownKeyNamingTheSectionAndTheNearestKey() {
        assertThatThrownBy(() -> RepairSettings.from(PlatformConfig.parse("t", "repair:\n  leaseTTL: 2m\n")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("repair.leaseTTL: is not a key of section 'repair'; did you mean 'leaseTtl'?");
    }

    @Test
    void refusesTwoPoolsWithOneNameNamingThePool() {
        assertThatThrownBy(() -> RepairSettings.from(PlatformConfig.parse("t",
                "repair:\n  pools:\n    - {name: gpu}\n    - {name: gpu, nodeSelector: a=b}\n")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("repair.pools[gpu].name: must be unique; 'gpu' appears twice");
    }

    @Test
    void givesAPoolWithoutItsOwnLimitTheSectionLimit() {
        RepairSettings s = RepairSettings.from(PlatformConfig.parse("t",
                "repair:\n  maxConcurrent: 4\n  pools:\n    - {name: gpu, nodeSelector: pool=gpu}\n"));

        assertThat(s.pools()).containsExactly(new PoolSettings("gpu", LabelQuery.parse("s", "pool=gpu"), 4));
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
