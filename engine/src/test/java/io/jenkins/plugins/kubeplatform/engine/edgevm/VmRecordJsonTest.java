package io.jenkins.plugins.kubeplatform.engine.edgevm;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kubeplatform.engine.store.Json;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The JSON form of a VM record, as written to the inventory file and the cluster inventory ConfigMaps, is stable. */
class VmRecordJsonTest {

    /** Written by the code before VmRecord had a builder: the inventory files and ConfigMaps in use hold this form. */
    private static final String JOINED = "{\"vm\":\"team-a-web\",\"name\":\"web\",\"tenant\":\"team-a\","
            + "\"site\":\"paris\",\"siteCluster\":\"site-paris\",\"namespace\":\"edge-paris\",\"edgeCluster\":\"edge-par\","
            + "\"node\":\"team-a-web\",\"cpu\":2,\"memoryMi\":2048,\"diskGi\":20,\"image\":\"docker://edge/ubuntu:24.04\","
            + "\"state\":\"RUNNING\",\"start\":\"2026-12-01T08:00:00Z\",\"end\":null,\"attempts\":1,"
            + "\"observed\":\"READY\",\"observedSince\":\"2026-12-01T08:05:30.250Z\",\"address\":\"10.60.0.7\"}";

    private static final String ENDED = "{\"vm\":\"team-b-db\",\"name\":\"db\",\"tenant\":\"team-b\","
            + "\"site\":\"lyon\",\"siteCluster\":null,\"namespace\":\"edge-lyon\",\"edgeCluster\":\"edge-lyo\","
            + "\"node\":null,\"cpu\":1,\"memoryMi\":512,\"diskGi\":5,\"image\":\"registry.example.test/db:1\","
            + "\"state\":\"DELETED\",\"start\":\"2026-11-30T23:59:59Z\",\"end\":\"2026-12-02T00:00:00Z\",\"attempts\":0,"
            + "\"observed\":null,\"observedSince\":null,\"address\":null}";

    @Test
    void writesAJoinedRecordBackByteForByteWhenReadFromTodaysJson() throws Exception {
        VmRecord read = Json.mapper().readValue(JOINED, VmRecord.class);

        assertThat(Json.mapper().writeValueAsString(read)).isEqualTo(JOINED);
        assertThat(Json.mapper().writeValueAsString(Json.mapper().valueToTree(read))).isEqualTo(JOINED);
    }

    @Test
    void writesAnEndedRecordBackByteForByteWhenReadFromTodaysJson() throws Exception {
        VmRecord read = Json.mapper().readValue(ENDED, VmRecord.class);

        assertThat(Json.mapper().writeValueAsString(read)).isEqualTo(ENDED);
        assertThat(Json.mapper().writeValueAsString(Json.mapper().valueToTree(read))).isEqualTo(ENDED);
    }

    @Test
    void writesTodaysJsonWhenARecordIsBuiltByName() throws Exception {
        VmRecord joined = VmRecord.builder().vm("team-a-web").name("web").tenant("team-a").site("paris")
                .siteCluster("site-paris").namespace("edge-paris").edgeCluster("edge-par").node("team-a-web").cpu(2)
                .memoryMi(2048).diskGi(20).image("docker://edge/ubuntu:24.04").state(VmState.RUNNING)
                .start(Instant.parse("2026-12-01T08:00:00Z")).attempts(1).observed("READY")
                .observedSince(Instant.parse("2026-12-01T08:05:30.250Z")).address("10.60.0.7").build();

        assertThat(Json.mapper().writeValueAsString(joined)).isEqualTo(JOINED);
        assertThat(Json.mapper().readValue(JOINED, VmRecord.class)).isEqualTo(joined);
    }

    @Test
    void writesTodaysJsonWhenARecordIsEndedThroughItsBuilderCopy() throws Exception {
        VmRecord live = VmRecord.builder().vm("team-b-db").name("db").tenant("team-b").site("lyon")
                .namespace("edge-lyon").edgeCluster("edge-lyo").cpu(1).memoryMi(512).diskGi(5)
                .image("registry.example.test/db:1").state(VmState.RUNNING)
                .start(Instant.parse("2026-11-30T23:59:59Z")).build();

        VmRecord ended = live.ended(Instant.parse("2026-12-02T00:00:00Z"));

        assertThat(Json.mapper().writeValueAsString(ended)).isEqualTo(ENDED);
    }
}
