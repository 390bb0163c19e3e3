package io.jenkins.plugins.kubeplatform.sim.quota;

import static io.jenkins.plugins.kubeplatform.sim.quota.QuotaJson.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Quota scopes as the pod evaluator matches them (pkg/quota/v1/evaluator/core/pods.go {@code podMatchesScopeFunc}:
 * Terminating is {@code activeDeadlineSeconds >= 0}, BestEffort is the BestEffort QoS class, PriorityClass a selector
 * on the priority class name), in the controller's count ({@code CalculateUsageStats} counts only pods meeting every
 * scope) and in admission ({@code generic.Matches}: a quota whose scopes the pod misses does not hold it).
 */
class QuotaScopesTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private static final JsonNode BEST_EFFORT = json("{'metadata':{'name':'a'},'spec':{'containers':[{'name':'c'}]}}");
    private static final JsonNode BURSTABLE = json("{'metadata':{'name':'b'},'spec':{'containers':[{'name':'c',"
            + "'resources':{'requests':{'cpu':'100m'}}}]}}");
    private static final JsonNode TERMINATING = json("{'metadata':{'name':'c'},'spec':{'activeDeadlineSeconds':600,"
            + "'containers':[{'name':'c'}]}}");
    private static final JsonNode PRIORITY = json("{'metadata':{'name':'d'},'spec':{'priorityClassName':'high',"
            + "'containers':[{'name':'c','resources':{'limits':{'memory':'1Gi'}}}]}}");

    private static String usedPods(String spec) {
        JsonNode quota = json("{'metadata':{'name':'q'},'spec':" + spec + ",'status':{}}");
        return QuotaStatus.sync(quota, (group, resource) -> Optional.of(List.of(BEST_EFFORT, BURSTABLE, TERMINATING,
                PRIORITY)), NOW).orElseThrow().path("used").path("pods").asText();
    }

    @Test
    void theControllerCountsOnlyThePodsMeetingEveryScope() {
        assertThat(usedPods("{'hard':{'pods':'9'},'scopes':['BestEffort']}")).isEqualTo("2");
        assertThat(usedPods("{'hard':{'pods':'9'},'scopes':['NotBestEffort']}")).isEqualTo("2");
        assertThat(usedPods("{'hard':{'pods':'9'},'scopes':['Terminating']}")).isEqualTo("1");
        assertThat(usedPods("{'hard':{'pods':'9'},'scopes':['NotTerminating','BestEffort']}")).isEqualTo("1");
        assertThat(usedPods("{'hard':{'pods':'9'},'scopeSelector':{'matchExpressions':[{'scopeName':'PriorityClass',"
                + "'operator':'In','values':['high']}]}}")).isEqualTo("1");
    }

    @Test
    void aFullQuotaHoldsOnlyThePodsItsScopesSelect() {
        JsonNode full = json("{'metadata':{'name':'burst'},'spec':{'hard':{'pods':'1'},'scopes':['NotBestEffort']},"
                + "'status':{'hard':{'pods':'1'},'used':{'pods':'1'}}}");

        assertThat(QuotaAdmission.create("", "pods", BEST_EFFORT, List.of(full), NOW).refusal()).isEmpty();
        assertThat(QuotaAdmission.create("", "pods", BURSTABLE, List.of(full), NOW).refusal()).contains(
                "exceeded quota: burst, requested: pods=1, used: pods=1, limited: pods=1");
    }

    @Test
    void aPodPastItsDeletionGraceStopsCountingButATerminalOneKeepsItsObjectCount() {
        JsonNode deleted = json("{'metadata':{'name':'e','deletionTimestamp':'2025-12-31T23:59:00Z',"
                + "'deletionGracePeriodSeconds':30},'spec':{'containers':[{'name':'c'}]}}");
        JsonNode graceful = json("{'metadata':{'name':'f','deletionTimestamp':'2025-12-31T23:59:50Z',"
                + "'deletionGracePeriodSeconds':30},'spec':{'containers':[{'name':'c'}]}}");
        JsonNode done = json("{'metadata':{'name':'g'},'spec':{'containers':[{'name':'c'}]},"
                + "'status':{'phase':'Succeeded'}}");
        JsonNode quota = json("{'metadata':{'name':'q'},'spec':{'hard':{'pods':'9','count/pods':'9'}},'status':{}}");

        JsonNode used = QuotaStatus.sync(quota, (group, resource) -> Optional.of(List.of(deleted, graceful, done)),
                NOW).orElseThrow().path("used");

        assertThat(used.path("pods").asText()).isEqualTo("1");
        assertThat(used.path("count/pods").asText()).isEqualTo("3");
    }
}
