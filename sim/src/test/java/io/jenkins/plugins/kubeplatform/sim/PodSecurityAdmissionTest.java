package io.jenkins.plugins.kubeplatform.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.sim.RawApi.Answer;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The PodSecurity admission plugin of kube-apiserver v1.32 with its default configuration. Expected messages are
 * composed from k8s.io/pod-security-admission's own wording ({@code policy/check_*.go} details, {@code registry.go}
 * order, {@code admission.go} "violates PodSecurity %q: %s"); two of them are answers real servers gave, quoted in
 * public issues (k3s-io/k3s#5631, cloud-bulldozer/k8s-netperf#31).
 */
class PodSecurityAdmissionTest {

    private static final String RESTRICTED = "psa-restricted";
    private static final String BASELINE = "psa-baseline";
    private static final String WARNED = "psa-warn";
    private static final String PINNED = "psa-pinned";
    private static final String OPEN = "psa-open";

    private static final String RESTRICTED_APP = "allowPrivilegeEscalation != false (container \"app\" must set "
            + "securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container \"app\" must set "
            + "securityContext.capabilities.drop=[\"ALL\"]), runAsNonRoot != true (pod or container \"app\" must set "
            + "securityContext.runAsNonRoot=true), seccompProfile (pod or container \"app\" must set "
            + "securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")";

    @AutoClose
    private static final SimulatedCluster sim = SimulatedCluster.start(SimOptions.builder()
            .builtInControllers(false).build());
    private static final KubernetesClient client = sim.client();

    @BeforeAll
    static void namespaces() {
        namespace(RESTRICTED, Map.of("pod-security.kubernetes.io/enforce", "restricted"));
        namespace(BASELINE, Map.of("pod-security.kubernetes.io/enforce", "baseline"));
        namespace(WARNED, Map.of("pod-security.kubernetes.io/warn", "restricted"));
        namespace(PINNED, Map.of("pod-security.kubernetes.io/enforce", "baseline",
                "pod-security.kubernetes.io/enforce-version", "v1.28"));
        namespace(OPEN, Map.of());
    }

    private static void namespace(String name, Map<String, String> labels) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).withLabels(labels)
                .endMetadata().build()).create();
    }

    private static String pods(String namespace) {
        return "/api/v1/namespaces/" + namespace + "/pods";
    }

    private static String pod(String nameField, String spec) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{" + nameField + "},\"spec\":{" + spec + "}}";
    }

    private static final String PLAIN = "\"containers\":[{\"name\":\"app\",\"image\":\"nginx:1.27\"}]";

    private static final String HARDENED = "\"securityContext\":{\"runAsNonRoot\":true,\"seccompProfile\":"
            + "{\"type\":\"RuntimeDefault\"}},\"containers\":[{\"name\":\"app\",\"image\":\"nginx:1.27\","
            + "\"securityContext\":{\"allowPrivilegeEscalation\":false,\"capabilities\":{\"drop\":[\"ALL\"],"
            + "\"add\":[\"NET_BIND_SERVICE\"]}}}]";

    @Test
    void refusesAPodViolatingRestrictedNamingItsGeneratedName() throws Exception {
        Answer a = RawApi.call(sim, "POST", pods(RESTRICTED), "application/json",
                pod("\"generateName\":\"web-7d9f-\"", PLAIN));
        assertThat(a.code()).isEqualTo(403);
        assertThat(a.body().path("reason").asText()).isEqualTo("Forbidden");
        String name = a.body().path("details").path("name").asText();
        assertThat(name).matches("web-7d9f-[a-z0-9]{5}");
        assertThat(a.body().path("details").path("kind").asText()).isEqualTo("pods");
        assertThat(a.body().path("message").asText()).isEqualTo("pods \"" + name
                + "\" is forbidden: violates PodSecurity \"restricted:latest\": " + RESTRICTED_APP);
        assertThat(client.pods().inNamespace(RESTRICTED).list().getItems()).isEmpty();
    }

    @Test
    void refusesABaselineViolationWithTheWordingARealServerGave() throws Exception {
        Answer a = RawApi.call(sim, "POST", pods(BASELINE), "application/json", pod("\"name\":\"svclb\"",
                "\"containers\":[{\"name\":\"lb-tcp-6379\",\"image\":\"rancher/klipper-lb:v0.3.5\",\"ports\":"
                        + "[{\"containerPort\":6379,\"hostPort\":6379,\"protocol\":\"TCP\"}],\"securityContext\":"
                        + "{\"capabilities\":{\"add\":[\"NET_ADMIN\"]}}}]"));
        assertThat(a.code()).isEqualTo(403);
        assertThat(a.body().path("message").asText()).isEqualTo("pods \"svclb\" is forbidden: violates PodSecurity "
                + "\"baseline:latest\": non-default capabilities (container \"lb-tcp-6379\" must not include "
                + "\"NET_ADMIN\" in securityContext.capabilities.add), hostPort (container \"lb-tcp-6379\" uses "
                + "hostPort 6379)");
    }

    @Test
    void listsBaselineChecksInRegistryOrderWithPluralsInitContainersFirstAndDefaultedHostPorts() throws Exception {
        Answer a = RawApi.call(sim, "POST", pods(BASELINE), "application/json", pod("\"name\":\"node-agent\"",
                "\"hostNetwork\":true,\"volumes\":[{\"name\":\"host\",\"hostPath\":{\"path\":\"/\"}}],"
                        + "\"initContainers\":[{\"name\":\"init\",\"image\":\"busybox\",\"securityContext\":"
                        + "{\"privileged\":true}}],\"containers\":[{\"name\":\"a\",\"image\":\"busybox\","
                        + "\"securityContext\":{\"privileged\":true}},{\"name\":\"b\",\"image\":\"busybox\","
                        + "\"ports\":[{\"containerPort\":8080}],\"securityContext\":{\"privileged\":true}}]"));
        assertThat(a.code()).isEqualTo(403);
        assertThat(a.body().path("message").asText()).isEqualTo("pods \"node-agent\" is forbidden: violates "
                + "PodSecurity \"baseline:latest\": host namespaces (hostNetwork=true), hostPath volumes (volume "
                + "\"host\"), hostPort (container \"b\" uses hostPort 8080), privileged (containers \"init\", \"a\", "
                + "\"b\" must not set securityContext.privileged=true)");
    }

    @Test
    void acceptsAPodMeetingRestrictedWithoutWarnings() throws Exception {
        Answer a = RawApi.call(sim, "POST", pods(RESTRICTED), "application/json", pod("\"name\":\"hardened\"",
                HARDENED));
        assertThat(a.code()).isEqualTo(201);
        assertThat(a.warnings()).isEmpty();
        assertThat(client.pods().inNamespace(RESTRICTED).withName("hardened").get()).isNotNull();
    }

    @Test
    void refusesUnderServerSideDryRunAndStoresNothing() throws Exception {
        Answer a = RawApi.call(sim, "POST", pods(RESTRICTED) + "?dryRun=All", "application/json",
                pod("\"name\":\"probe\"", PLAIN));
        assertThat(a.code()).isEqualTo(403);
        assertThat(a.body().path("message").asText()).isEqualTo("pods \"probe\" is forbidden: violates PodSecurity "
                + "\"restricted:latest\": " + RESTRICTED_APP);
        assertThat(client.pods().inNamespace(RESTRICTED).withName("probe").get()).isNull();
    }

    @Test
    void refusesAServerSideApplyThatCreatesThePod() throws Exception {
        Answer a = RawApi.call(sim, "PATCH", pods(RESTRICTED) + "/applied?fieldManager=test",
                "application/apply-patch+yaml", pod("\"name\":\"applied\"", PLAIN));
        assertThat(a.code()).isEqualTo(403);
        assertThat(a.body().path("message").asText()).isEqualTo("pods \"applied\" is forbidden: violates "
                + "PodSecurity \"restricted:latest\": " + RESTRICTED_APP);
    }

    @Test
    void leavesAnUnlabelledNamespaceUnchecked() throws Exception {
        Answer a = RawApi.call(sim, "POST", pods(OPEN), "application/json", pod("\"name\":\"root\"",
                "\"hostPID\":true,\"containers\":[{\"name\":\"app\",\"image\":\"busybox\",\"securityContext\":"
                        + "{\"privileged\":true,\"runAsUser\":0}}]"));
        assertThat(a.code()).isEqualTo(201);
        assertThat(a.warnings()).isEmpty();
    }

    @Test
    void acceptsWithAWarningHeaderInAWarnNamespaceWithTheWordingARealServerGave() throws Exception {
        Answer a = RawApi.call(sim, "POST", pods(WARNED), "application/json", pod("\"name\":\"client\"",
                "\"hostNetwork\":true,\"containers\":[{\"name\":\"client-host\",\"image\":\"netperf\"}]"));
        assertThat(a.code()).isEqualTo(201);
        assertThat(a.warnings()).containsExactly("299 - \"would violate PodSecurity \\\"restricted:latest\\\": host "
                + "namespaces (hostNetwork=true), allowPrivilegeEscalation != false (container \\\"client-host\\\" "
                + "must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "
                + "\\\"client-host\\\" must set securityContext.capabilities.drop=[\\\"ALL\\\"]), runAsNonRoot != true "
                + "(pod or container \\\"client-host\\\" must set securityContext.runAsNonRoot=true), seccompProfile "
                + "(pod or container \\\"client-host\\\" must set securityContext.seccompProfile.type to "
                + "\\\"RuntimeDefault\\\" or \\\"Localhost\\\")\"");
        assertThat(client.pods().inNamespace(WARNED).withName("client").get()).isNotNull();
    }

    @Test
    void onlyWarnsAboutAWorkloadTemplateInAnEnforcedNamespace() throws Exception {
        Answer a = RawApi.call(sim, "POST", "/apis/apps/v1/namespaces/" + RESTRICTED + "/deployments",
                "application/json", "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":"
                        + "\"web\"},\"spec\":{\"selector\":{\"matchLabels\":{\"app\":\"web\"}},\"template\":{"
                        + "\"metadata\":{\"labels\":{\"app\":\"web\"}},\"spec\":{" + PLAIN + "}}}}");
        assertThat(a.code()).isEqualTo(201);
        assertThat(a.warnings()).containsExactly("299 - \"would violate PodSecurity \\\"restricted:latest\\\": "
                + RESTRICTED_APP.replace("\"", "\\\"") + "\"");
        Answer cron = RawApi.call(sim, "POST", "/apis/batch/v1/namespaces/" + BASELINE + "/cronjobs",
                "application/json", "{\"apiVersion\":\"batch/v1\",\"kind\":\"CronJob\",\"metadata\":{\"name\":"
                        + "\"nightly\"},\"spec\":{\"schedule\":\"0 3 * * *\",\"jobTemplate\":{\"spec\":{\"template\":"
                        + "{\"spec\":{\"restartPolicy\":\"Never\",\"hostIPC\":true," + PLAIN + "}}}}}}");
        assertThat(cron.code()).isEqualTo(201);
        assertThat(cron.warnings()).containsExactly("299 - \"would violate PodSecurity \\\"baseline:latest\\\": "
                + "host namespaces (hostIPC=true)\"");
    }

    @Test
    void evaluatesThePinnedPolicyVersion() throws Exception {
        String sysctl = "\"securityContext\":{\"sysctls\":[{\"name\":\"net.ipv4.tcp_keepalive_time\","
                + "\"value\":\"60\"}]}," + PLAIN;
        Answer pinned = RawApi.call(sim, "POST", pods(PINNED), "application/json", pod("\"name\":\"keepalive\"",
                sysctl));
        assertThat(pinned.code()).isEqualTo(403);
        assertThat(pinned.body().path("message").asText()).isEqualTo("pods \"keepalive\" is forbidden: violates "
                + "PodSecurity \"baseline:v1.28\": forbidden sysctls (net.ipv4.tcp_keepalive_time)");
        Answer latest = RawApi.call(sim, "POST", pods(BASELINE), "application/json", pod("\"name\":\"keepalive\"",
                sysctl));
        assertThat(latest.code()).isEqualTo(201);
    }

    @Test
    void refusesANamespaceWhosePodSecurityLabelIsInvalid() throws Exception {
        Answer a = RawApi.call(sim, "POST", "/api/v1/namespaces", "application/json", "{\"apiVersion\":\"v1\","
                + "\"kind\":\"Namespace\",\"metadata\":{\"name\":\"psa-typo\",\"labels\":{"
                + "\"pod-security.kubernetes.io/enforce\":\"strict\"}}}");
        assertThat(a.code()).isEqualTo(422);
        assertThat(a.body().path("reason").asText()).isEqualTo("Invalid");
        assertThat(a.body().path("message").asText()).isEqualTo("Namespace \"psa-typo\" is invalid: "
                + "metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: \"strict\": must be one of "
                + "privileged, baseline, restricted");
        Answer relabel = RawApi.call(sim, "PATCH", "/api/v1/namespaces/" + OPEN, "application/merge-patch+json",
                "{\"metadata\":{\"labels\":{\"pod-security.kubernetes.io/warn-version\":\"1.30\"}}}");
        assertThat(relabel.code()).isEqualTo(422);
        assertThat(relabel.body().path("message").asText()).isEqualTo("Namespace \"" + OPEN + "\" is invalid: "
                + "metadata.labels[pod-security.kubernetes.io/warn-version]: Invalid value: \"1.30\": must be "
                + "\"latest\" or \"v1.x\"");
    }

    @Test
    void holdsAnImageChangeToTheEnforceLevelButNotALabelChange() throws Exception {
        String ns = "psa-relabelled";
        namespace(ns, Map.of());
        Answer created = RawApi.call(sim, "POST", pods(ns), "application/json", pod("\"name\":\"moved\"", PLAIN));
        assertThat(created.code()).isEqualTo(201);
        client.namespaces().withName(ns).edit(n -> new NamespaceBuilder(n).editMetadata()
                .addToLabels("pod-security.kubernetes.io/enforce", "restricted").endMetadata().build());
        Answer labelled = RawApi.call(sim, "PATCH", pods(ns) + "/moved", "application/merge-patch+json",
                "{\"metadata\":{\"labels\":{\"tier\":\"web\"}}}");
        assertThat(labelled.code()).isEqualTo(200);
        Answer image = RawApi.call(sim, "PATCH", pods(ns) + "/moved", "application/strategic-merge-patch+json",
                "{\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"nginx:1.28\"}]}}");
        assertThat(image.code()).isEqualTo(403);
        assertThat(image.body().path("message").asText()).isEqualTo("pods \"moved\" is forbidden: violates "
                + "PodSecurity \"restricted:latest\": " + RESTRICTED_APP);
    }

    /** admission.go EvaluatePodsInNamespace; the format is the one kubernetes/website#30422 shows from a real server. */
    @Test
    void warnsAboutExistingPodsWhenTheEnforceLevelOfANamespaceTightens() throws Exception {
        String ns = "psa-tightened";
        namespace(ns, Map.of());
        for (String name : new String[] {"web-b", "web-a"}) {
            assertThat(RawApi.call(sim, "POST", pods(ns), "application/json", pod("\"name\":\"" + name + "\"", PLAIN))
                    .code()).isEqualTo(201);
        }
        assertThat(RawApi.call(sim, "POST", pods(ns), "application/json", pod("\"name\":\"agent\"",
                "\"hostNetwork\":true," + PLAIN)).code()).isEqualTo(201);
        String restricted = "allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, "
                + "seccompProfile";
        Answer tightened = RawApi.call(sim, "PATCH", "/api/v1/namespaces/" + ns, "application/merge-patch+json",
                "{\"metadata\":{\"labels\":{\"pod-security.kubernetes.io/enforce\":\"restricted\"}}}");
        assertThat(tightened.code()).isEqualTo(200);
        assertThat(tightened.warnings()).containsExactly("299 - \"existing pods in namespace \\\"" + ns
                + "\\\" violate the new PodSecurity enforce level \\\"restricted:latest\\\"\"",
                "299 - \"agent: host namespaces, " + restricted + "\"",
                "299 - \"web-a (and 1 other pod): " + restricted + "\"");
        Answer relaxed = RawApi.call(sim, "PATCH", "/api/v1/namespaces/" + ns, "application/merge-patch+json",
                "{\"metadata\":{\"labels\":{\"pod-security.kubernetes.io/enforce\":\"baseline\"}}}");
        assertThat(relaxed.code()).isEqualTo(200);
        assertThat(relaxed.warnings()).isEmpty();
    }
}
