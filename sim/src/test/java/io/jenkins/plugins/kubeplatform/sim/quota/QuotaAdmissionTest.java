package io.jenkins.plugins.kubeplatform.sim.quota;

import static io.jenkins.plugins.kubeplatform.sim.quota.QuotaJson.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link QuotaAdmission} against quotas in given states. Expected texts are composed as {@code CheckRequest}
 * (k8s.io/apiserver pkg/admission/plugin/resourcequota/controller.go) and the pod evaluator's {@code Constraints}
 * compose them: a quota without usage for a resource it limits is {@code "status unknown for quota: %s, resources:
 * %s"}; missing resources are listed by name, each with its containers (init containers too) sorted and joined by
 * commas; the first quota (by name) that fails answers.
 */
class QuotaAdmissionTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private static JsonNode quota(String name, String hard, String used) {
        return json("{'metadata':{'name':'" + name + "','namespace':'ns'},'spec':{'hard':" + hard + "},'status':"
                + "{'hard':" + hard + ",'used':" + used + "}}");
    }

    @Test
    void aQuotaWhoseUsageIsNotCountedYetRefusesWhatItLimits() {
        JsonNode pod = json("{'metadata':{'name':'p'},'spec':{'containers':[{'name':'c'}]}}");

        assertThat(QuotaAdmission.create("", "pods", pod, List.of(quota("fresh", "{'pods':'5','count/pods':'5'}",
                "{'pods':'0'}")), NOW).refusal()).contains("status unknown for quota: fresh, resources: count/pods,pods");
    }

    @Test
    void missingComputeResourcesNameEveryContainerSortedInitContainersIncluded() {
        JsonNode pod = json("{'metadata':{'name':'p'},'spec':{'initContainers':[{'name':'setup'}],'containers':["
                + "{'name':'web','resources':{'limits':{'memory':'1Gi'}}},{'name':'app'}]}}");

        // taken as given: the server passes a pod with its defaults, which would make web's request its limit
        assertThat(QuotaAdmission.create("", "pods", pod, List.of(quota("compute",
                "{'requests.memory':'4Gi','limits.memory':'4Gi'}", "{'requests.memory':'0','limits.memory':'0'}")),
                NOW).refusal()).contains("failed quota: compute: must specify limits.memory for: app,setup; "
                        + "requests.memory for: app,setup,web");
    }

    @Test
    void theFirstQuotaByNameThatIsExceededAnswersAndNothingIsCharged() {
        JsonNode pod = json("{'metadata':{'name':'p'},'spec':{'containers':[{'name':'c','resources':{'requests':"
                + "{'cpu':'250m','memory':'64Mi'}}}]}}");
        List<JsonNode> quotas = List.of(quota("b-memory", "{'requests.memory':'100Mi'}", "{'requests.memory':'64Mi'}"),
                quota("a-cpu", "{'requests.cpu':'500m','pods':'10'}", "{'requests.cpu':'300m','pods':'2'}"));

        QuotaAdmission.Decision d = QuotaAdmission.create("", "pods", pod, quotas, NOW);

        assertThat(d.refusal()).contains("exceeded quota: a-cpu, requested: requests.cpu=250m, used: "
                + "requests.cpu=300m, limited: requests.cpu=500m");
        assertThat(d.charged()).isEmpty();
    }

    @Test
    void anAdmittedPodChargesEveryQuotaItCountsIn() {
        JsonNode pod = json("{'metadata':{'name':'p'},'spec':{'containers':[{'name':'c','resources':{'requests':"
                + "{'cpu':'250m','memory':'64Mi'}}}]}}");
        List<JsonNode> quotas = List.of(quota("cpu", "{'requests.cpu':'1','pods':'10'}",
                "{'requests.cpu':'500m','pods':'2'}"), quota("objects", "{'count/configmaps':'3'}",
                "{'count/configmaps':'0'}"));

        QuotaAdmission.Decision d = QuotaAdmission.create("", "pods", pod, quotas, NOW);

        assertThat(d.refusal()).isEmpty();
        assertThat(d.charged()).hasSize(1);
        assertThat(d.charged().get(0).path("status").path("used").toString())
                .isEqualTo("{\"pods\":\"3\",\"requests.cpu\":\"750m\"}");
    }
}
