package io.jenkins.plugins.kubeplatform.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kubeplatform.sim.RawApi.Answer;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * PriorityClasses as kube-apiserver v1.32 holds them: validation (ValidatePriorityClass, ValidatePriorityClassUpdate)
 * and the Priority admission plugin's single global default.
 */
class PriorityClassRulesTest {

    private static final String CLASSES = "/apis/scheduling.k8s.io/v1/priorityclasses";

    @AutoClose
    private static final SimulatedCluster sim = SimulatedCluster.start(SimOptions.builder()
            .builtInControllers(false).build());

    private static String pc(String name, long value, boolean globalDefault) {
        return "{\"apiVersion\":\"scheduling.k8s.io/v1\",\"kind\":\"PriorityClass\",\"metadata\":{\"name\":\"" + name
                + "\"},\"value\":" + value + ",\"globalDefault\":" + globalDefault + "}";
    }

    @Test
    void aUserClassAboveOneBillionOrWithTheSystemPrefixIsInvalid() throws Exception {
        Answer huge = RawApi.call(sim, "POST", CLASSES, "application/json", pc("huge", 1_000_000_001L, false));
        assertThat(huge.code()).isEqualTo(422);
        assertThat(huge.body().path("message").asText()).isEqualTo("PriorityClass.scheduling.k8s.io \"huge\" is "
                + "invalid: value: Forbidden: maximum allowed value of a user defined priority is 1000000000");
        assertThat(huge.body().path("details").path("group").asText()).isEqualTo("scheduling.k8s.io");
        assertThat(huge.body().path("details").path("kind").asText()).isEqualTo("PriorityClass");
        Answer reserved = RawApi.call(sim, "POST", CLASSES, "application/json", pc("system-custom", 10, false));
        assertThat(reserved.code()).isEqualTo(422);
        assertThat(reserved.body().path("message").asText()).isEqualTo("PriorityClass.scheduling.k8s.io "
                + "\"system-custom\" is invalid: metadata.name: Forbidden: priority class names with 'system-' prefix "
                + "are reserved for system use only. error: system-custom is not a known system priority class");
    }

    @Test
    void onlyOneClassCanBeTheGlobalDefaultAndAValueCannotChange() throws Exception {
        assertThat(RawApi.call(sim, "POST", CLASSES, "application/json", pc("first", 10, true)).code()).isEqualTo(201);
        Answer second = RawApi.call(sim, "POST", CLASSES, "application/json", pc("second", 20, true));
        assertThat(second.code()).isEqualTo(403);
        assertThat(second.body().path("message").asText()).isEqualTo("priorityclasses.scheduling.k8s.io \"second\" "
                + "is forbidden: PriorityClass first is already marked as default. Only one default can exist");
        Answer changed = RawApi.call(sim, "PATCH", CLASSES + "/first", "application/merge-patch+json",
                "{\"value\":11}");
        assertThat(changed.code()).isEqualTo(422);
        assertThat(changed.body().path("message").asText()).isEqualTo("PriorityClass.scheduling.k8s.io \"first\" is "
                + "invalid: value: Forbidden: may not be changed in an update.");
        assertThat(RawApi.call(sim, "DELETE", CLASSES + "/first", null, null).code()).isEqualTo(200);
    }
}
