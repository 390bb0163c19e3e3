package io.jenkins.plugins.kubeplatform.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.jenkins.plugins.kubeplatform.sim.RawApi.Answer;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A write refused by a validating admission plugin still carries the warnings recorded before it: the registry's
 * ({@code WarningsOnCreate}, added in {@code rest.BeforeCreate} before validating admission runs) and those of the
 * plugins ahead of the refusing one (k8s.io/apiserver's warning recorder writes each as a header of whatever response
 * the request ends with). PodSecurity itself adds no warn-level warning to a request it refuses ("avoid adding
 * warnings to a request we're already going to reject", pod-security-admission admission.go {@code EvaluatePod}).
 */
class RefusedWriteWarningsTest {

    private static final String CRITICAL = "299 - \"metadata.annotations[scheduler.alpha.kubernetes.io/critical-pod]: "
            + "non-functional in v1.16+; use the \\\"priorityClassName\\\" field instead\"";

    @AutoClose
    private static final SimulatedCluster sim = SimulatedCluster.start(SimOptions.builder()
            .builtInControllers(false).build());

    @BeforeAll
    static void namespaces() {
        sim.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("full")
                .withLabels(Map.of("pod-security.kubernetes.io/warn", "baseline")).endMetadata().build()).create();
        // its status written as the resource quota controller would (no controllers run here)
        sim.client().resourceQuotas().inNamespace("full").resource(new ResourceQuotaBuilder().withNewMetadata()
                .withName("none").endMetadata().withNewSpec().addToHard("pods", new Quantity("0")).endSpec().build())
                .create();
        sim.client().resourceQuotas().inNamespace("full").resource(new ResourceQuotaBuilder().withNewMetadata()
                .withName("none").withNamespace("full").endMetadata().withNewSpec().addToHard("pods",
                        new Quantity("0")).endSpec().withNewStatus().addToHard("pods", new Quantity("0"))
                .addToUsed("pods", new Quantity("0")).endStatus().build()).updateStatus();
        sim.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("strict")
                .withLabels(Map.of("pod-security.kubernetes.io/enforce", "baseline",
                        "pod-security.kubernetes.io/warn", "baseline")).endMetadata().build()).create();
    }

    private static String hostPidPod(String name) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\",\"annotations\":{"
                + "\"scheduler.alpha.kubernetes.io/critical-pod\":\"\"}},\"spec\":{\"hostPID\":true,"
                + "\"containers\":[{\"name\":\"app\",\"image\":\"nginx:1.27\"}]}}";
    }

    @Test
    void aPodTheQuotaRefusesCarriesTheRegistrysAndPodSecuritysWarnings() throws Exception {
        Answer a = RawApi.call(sim, "POST", "/api/v1/namespaces/full/pods", "application/json", hostPidPod("over"));

        assertThat(a.code()).isEqualTo(403);
        assertThat(a.body().path("message").asText()).startsWith("pods \"over\" is forbidden: exceeded quota: none");
        assertThat(a.warnings()).containsExactly(CRITICAL,
                "299 - \"would violate PodSecurity \\\"baseline:latest\\\": host namespaces (hostPID=true)\"");
    }

    @Test
    void aPodThatPodSecurityRefusesCarriesOnlyTheRegistrysWarning() throws Exception {
        Answer a = RawApi.call(sim, "POST", "/api/v1/namespaces/strict/pods", "application/json",
                hostPidPod("host"));

        assertThat(a.code()).isEqualTo(403);
        assertThat(a.body().path("message").asText()).startsWith("pods \"host\" is forbidden: violates PodSecurity "
                + "\"baseline:latest\": host namespaces (hostPID=true)");
        assertThat(a.warnings()).containsExactly(CRITICAL);
    }
}
