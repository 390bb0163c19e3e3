package io.jenkins.plugins.kubeplatform.sim.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.kubeplatform.sim.api.PodUpdateRules.FieldError;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link PodStatusRules} against the texts kube-apiserver v1.32 answers for a pods/status write
 * ({@code ValidatePodStatusUpdate} in pkg/apis/core/validation/validation.go, the apimachinery
 * {@code IsQualifiedName}/{@code IsDNS1123Subdomain}/{@code IsValidIP} messages, {@code field.Error} formatting).
 * Every expected message is the server's, copied from those sources, not produced by the class under test.
 */
class PodStatusRulesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RUNNING = "{\"running\":{\"startedAt\":\"2026-01-01T00:00:00Z\"}}";

    private static JsonNode pod(String restartPolicy, String extraSpec, String status) {
        try {
            return JSON.readTree("{\"metadata\":{\"name\":\"p\"},\"spec\":{\"restartPolicy\":\"" + restartPolicy
                    + "\",\"containers\":[{\"name\":\"app\",\"image\":\"nginx\"}]" + extraSpec + "},\"status\":"
                    + status + "}");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode pod(String restartPolicy, String status) {
        return pod(restartPolicy, "", status);
    }

    private static String terminated(int exitCode) {
        return "{\"terminated\":{\"exitCode\":" + exitCode + "}}";
    }

    private static String containers(String list, String name, String state) {
        return "{\"" + list + "\":[{\"name\":\"" + name + "\",\"state\":" + state + "}]}";
    }

    private static List<String> messages(JsonNode before, JsonNode after) {
        return PodStatusRules.check(before, after).stream().map(FieldError::message).toList();
    }

    @Test
    void refusesACustomConditionTypeThatIsNotAQualifiedNameUnderTheMetadataPath() {
        JsonNode before = pod("Always", "{}");
        JsonNode after = pod("Always", "{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"},"
                + "{\"type\":\"bad type!\",\"status\":\"True\"}]}");

        List<FieldError> errors = PodStatusRules.check(before, after);

        assertThat(errors).extracting(FieldError::message).containsExactly("metadata.conditions[1].Type: Invalid "
                + "value: \"bad type!\": name part must consist of alphanumeric characters, '-', '_' or '.', and must "
                + "start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex "
                + "used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')");
        assertThat(errors.get(0).reason()).isEqualTo("FieldValueInvalid");
    }

    @Test
    void acceptsSystemAndPrefixedCustomConditionTypes() {
        JsonNode after = pod("Always", "{\"conditions\":[{\"type\":\"PodScheduled\",\"status\":\"True\"},"
                + "{\"type\":\"DisruptionTarget\",\"status\":\"True\"},{\"type\":\"example.com/ok\",\"status\":\"True\"}]}");

        assertThat(messages(pod("Always", "{}"), after)).isEmpty();
    }

    @Test
    void refusesANominatedNodeNameThatIsNotANodeName() {
        assertThat(messages(pod("Always", "{}"), pod("Always", "{\"nominatedNodeName\":\"Node_1\"}"))).containsExactly(
                "status.nominatedNodeName: Invalid value: \"Node_1\": a lowercase RFC 1123 subdomain must consist of "
                        + "lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric "
                        + "character (e.g. 'example.com', regex used for validation is "
                        + "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
    }

    @Test
    void acceptsAValidNominatedNodeNameAndAnUnchangedOne() {
        assertThat(messages(pod("Always", "{}"), pod("Always", "{\"nominatedNodeName\":\"node-a.example\"}")))
                .isEmpty();
        assertThat(messages(pod("Always", "{\"nominatedNodeName\":\"Node_1\"}"),
                pod("Always", "{\"nominatedNodeName\":\"Node_1\"}"))).isEmpty();
    }

    @Test
    void refusesAChangedQosClass() {
        assertThat(messages(pod("Always", "{\"qosClass\":\"Burstable\"}"), pod("Always", "{\"qosClass\":\"Guaranteed\"}")))
                .containsExactly("status.qosClass: Invalid value: \"Guaranteed\": field is immutable");
        assertThat(messages(pod("Always", "{\"qosClass\":\"Burstable\"}"), pod("Always", "{\"qosClass\":\"Burstable\"}")))
                .isEmpty();
    }

    @Test
    void refusesATerminatedContainerRunningAgainUnderRestartPolicyNever() {
        List<FieldError> errors = PodStatusRules.check(
                pod("Never", containers("containerStatuses", "app", terminated(1))),
                pod("Never", containers("containerStatuses", "app", RUNNING)));

        assertThat(errors).extracting(FieldError::message).containsExactly(
                "status.containerStatuses[0].state: Forbidden: may not be transitioned to non-terminated state");
        assertThat(errors.get(0).reason()).isEqualTo("FieldValueForbidden");
    }

    @Test
    void refusesASucceededContainerRunningAgainUnderOnFailureButNotAFailedOne() {
        assertThat(messages(pod("OnFailure", containers("containerStatuses", "app", terminated(0))),
                pod("OnFailure", containers("containerStatuses", "app", RUNNING)))).containsExactly(
                "status.containerStatuses[0].state: Forbidden: may not be transitioned to non-terminated state");
        assertThat(messages(pod("OnFailure", containers("containerStatuses", "app", terminated(2))),
                pod("OnFailure", containers("containerStatuses", "app", RUNNING)))).isEmpty();
    }

    @Test
    void acceptsATerminatedContainerRunningAgainUnderRestartPolicyAlways() {
        assertThat(messages(pod("Always", containers("containerStatuses", "app", terminated(0))),
                pod("Always", containers("containerStatuses", "app", RUNNING)))).isEmpty();
    }

    @Test
    void refusesAnInitContainerRunningAgainButNotARestartableSidecar() {
        String init = ",\"initContainers\":[{\"name\":\"setup\",\"image\":\"busybox\"},"
                + "{\"name\":\"proxy\",\"image\":\"envoy\",\"restartPolicy\":\"Always\"}]";
        JsonNode before = pod("Never", init, "{\"initContainerStatuses\":[{\"name\":\"setup\",\"state\":"
                + terminated(0) + "},{\"name\":\"proxy\",\"state\":" + terminated(0) + "}]}");
        JsonNode after = pod("Never", init, "{\"initContainerStatuses\":[{\"name\":\"setup\",\"state\":" + RUNNING
                + "},{\"name\":\"proxy\",\"state\":" + RUNNING + "}]}");

        assertThat(messages(before, after)).containsExactly(
                "status.initContainerStatuses[0].state: Forbidden: may not be transitioned to non-terminated state");
    }

    @Test
    void refusesAnEphemeralContainerRunningAgainEvenUnderRestartPolicyAlways() {
        assertThat(messages(pod("Always", containers("ephemeralContainerStatuses", "debug", terminated(1))),
                pod("Always", containers("ephemeralContainerStatuses", "debug", RUNNING)))).containsExactly(
                "status.ephemeralContainerStatuses[0].state: Forbidden: may not be transitioned to non-terminated "
                        + "state");
    }

    @Test
    void acceptsAPhaseChangeOutOfSucceeded() {
        assertThat(messages(pod("Always", "{\"phase\":\"Succeeded\"}"), pod("Always", "{\"phase\":\"Running\"}")))
                .isEmpty();
    }

    @Test
    void refusesAPodIpThatIsNotAnIp() {
        assertThat(messages(pod("Always", "{}"), pod("Always", "{\"podIP\":\"10.0.0.300\",\"podIPs\":[{\"ip\":\"10.0.0.300\"}]}")))
                .containsExactly("status.podIPs[0]: Invalid value: \"10.0.0.300\": must be a valid IP address, (e.g. "
                        + "10.9.8.7 or 2001:db8::ffff)");
    }

    @Test
    void refusesTwoPodIpsOfOneFamilyAndARepeatedOne() {
        assertThat(messages(pod("Always", "{}"), pod("Always", "{\"podIPs\":[{\"ip\":\"10.0.0.1\"},{\"ip\":\"10.0.0.2\"}]}")))
                .containsExactly("status.podIPs: Invalid value: []core.PodIP{core.PodIP{IP:\"10.0.0.1\"}, "
                        + "core.PodIP{IP:\"10.0.0.2\"}}: may specify no more than one IP for each IP family");
        List<FieldError> repeated = PodStatusRules.check(pod("Always", "{}"),
                pod("Always", "{\"podIPs\":[{\"ip\":\"10.0.0.1\"},{\"ip\":\"10.0.0.1\"}]}"));
        assertThat(repeated).extracting(FieldError::message).containsExactly(
                "status.podIPs: Invalid value: []core.PodIP{core.PodIP{IP:\"10.0.0.1\"}, core.PodIP{IP:\"10.0.0.1\"}}: "
                        + "may specify no more than one IP for each IP family",
                "status.podIPs[1]: Duplicate value: core.PodIP{IP:\"10.0.0.1\"}");
        assertThat(repeated.get(1).reason()).isEqualTo("FieldValueDuplicate");
    }

    @Test
    void acceptsADualStackPairAndAnIpv4WithLeadingZeros() {
        assertThat(messages(pod("Always", "{}"), pod("Always", "{\"podIPs\":[{\"ip\":\"10.0.0.1\"},{\"ip\":\"fd00::1\"}]}")))
                .isEmpty();
        assertThat(messages(pod("Always", "{}"), pod("Always", "{\"podIPs\":[{\"ip\":\"010.000.000.001\"}]}"))).isEmpty();
    }

    @Test
    void refusesHostIpsThatDoNotStartWithTheHostIpAndRepeatsBeforeTheFamilyRule() {
        JsonNode after = pod("Always", "{\"hostIP\":\"192.168.0.1\",\"hostIPs\":[{\"ip\":\"192.168.0.2\"},"
                + "{\"ip\":\"192.168.0.2\"}]}");

        assertThat(messages(pod("Always", "{}"), after)).containsExactly(
                "status.hostIPs[0].ip: Invalid value: \"192.168.0.2\": must be equal to `hostIP`",
                "status.hostIPs[1]: Duplicate value: core.HostIP{IP:\"192.168.0.2\"}",
                "status.hostIPs: Invalid value: []core.HostIP{core.HostIP{IP:\"192.168.0.2\"}, "
                        + "core.HostIP{IP:\"192.168.0.2\"}}: may specify no more than one IP for each IP family");
    }

    @Test
    void acceptsHostIpsThatStartWithTheHostIp() {
        assertThat(messages(pod("Always", "{}"), pod("Always", "{\"hostIP\":\"192.168.0.1\",\"hostIPs\":"
                + "[{\"ip\":\"192.168.0.1\"},{\"ip\":\"fd00::5\"}]}"))).isEmpty();
    }
}
