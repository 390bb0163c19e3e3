package io.jenkins.plugins.kubeplatform.engine.repair;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The node annotation is read back only when it names owner, state and since (REP-10: the node is the truth). */
class MaintenanceRecordTest {

    @Test
    void readsARecordWithoutReasonAsAnEmptyReason() {
        assertThat(MaintenanceRecord.parse("{\"owner\":\"job/a#1\",\"state\":\"DRAINING\","
                + "\"since\":\"2026-01-01T10:00:00Z\",\"wasUnschedulable\":false}"))
                .hasValueSatisfying(r -> assertThat(r.reason()).isEmpty());
    }

    @Test
    void refusesARecordWithoutOwnerStateOrSince() {
        assertThat(MaintenanceRecord.parse("null")).isEmpty();
        assertThat(MaintenanceRecord.parse("{\"state\":\"DRAINING\",\"since\":\"2026-01-01T10:00:00Z\"}")).isEmpty();
        assertThat(MaintenanceRecord.parse("{\"owner\":\" \",\"state\":\"DRAINING\",\"since\":\"2026-01-01T10:00:00Z\"}"))
                .isEmpty();
        assertThat(MaintenanceRecord.parse("{\"owner\":\"job/a#1\",\"since\":\"2026-01-01T10:00:00Z\"}")).isEmpty();
        assertThat(MaintenanceRecord.parse("{\"owner\":\"job/a#1\",\"state\":\"DRAINING\"}")).isEmpty();
    }
}
