package io.jenkins.plugins.kubeplatform.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.jenkins.plugins.kubeplatform.sim.RawApi.Answer;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The registry's warnings about annotations that no longer do anything (kubernetes pkg/api/pod/warnings.go
 * {@code warningsForPodSpecAndMeta}): texts and annotation keys as in that source, the field path as
 * {@code field.Path} prints it, strategy warnings before PodSecurity's.
 */
class PodWarningsTest {

    private static final String NS = "warned";
    private static final String SECCOMP = "non-functional in v1.27+; use the \\\"seccompProfile\\\" field instead";

    @AutoClose
    private static final SimulatedCluster sim = SimulatedCluster.start(SimOptions.builder()
            .builtInControllers(false).build());

    @BeforeAll
    static void namespace() {
        sim.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS)
                .withLabels(Map.of("pod-security.kubernetes.io/warn", "baseline")).endMetadata().build()).create();
    }

    private static String deployment(String name, String annotations, String podSpec) {
        return "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"" + name + "\"},"
                + "\"spec\":{\"selector\":{\"matchLabels\":{\"app\":\"" + name + "\"}},\"template\":{\"metadata\":{"
                + "\"labels\":{\"app\":\"" + name + "\"},\"annotations\":{" + annotations + "}},\"spec\":{" + podSpec
                + "}}}}";
    }

    private static final String APP = "\"containers\":[{\"name\":\"app\",\"image\":\"nginx:1.27\"}]";

    @Test
    void warnsAboutTheSeccompAnnotationsOfAWorkloadTemplateWithoutTheField() throws Exception {
        Answer a = RawApi.call(sim, "POST", "/apis/apps/v1/namespaces/" + NS + "/deployments", "application/json",
                deployment("legacy", "\"seccomp.security.alpha.kubernetes.io/pod\":\"runtime/default\","
                        + "\"container.seccomp.security.alpha.kubernetes.io/app\":\"runtime/default\"", APP));

        assertThat(a.code()).isEqualTo(201);
        assertThat(a.warnings()).containsExactly(
                "299 - \"spec.template.metadata.annotations[seccomp.security.alpha.kubernetes.io/pod]: " + SECCOMP
                        + "\"",
                "299 - \"spec.template.metadata.annotations[container.seccomp.security.alpha.kubernetes.io/app]: "
                        + SECCOMP + "\"");
    }

    @Test
    void saysNothingAboutASeccompAnnotationBesideTheField() throws Exception {
        Answer a = RawApi.call(sim, "POST", "/apis/apps/v1/namespaces/" + NS + "/deployments", "application/json",
                deployment("both", "\"seccomp.security.alpha.kubernetes.io/pod\":\"runtime/default\"",
                        "\"securityContext\":{\"seccompProfile\":{\"type\":\"RuntimeDefault\"}}," + APP));

        assertThat(a.code()).isEqualTo(201);
        assertThat(a.warnings()).isEmpty();
    }

    @Test
    void givesAPodItsOwnPathAndPutsTheRegistrysWarningsBeforePodSecuritys() throws Exception {
        Answer a = RawApi.call(sim, "POST", "/api/v1/namespaces/" + NS + "/pods?dryRun=All", "application/json",
                "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"old\",\"annotations\":{"
                        + "\"scheduler.alpha.kubernetes.io/critical-pod\":\"\"}},\"spec\":{\"hostPID\":true," + APP
                        + "}}");

        assertThat(a.code()).isEqualTo(201);
        assertThat(a.warnings()).containsExactly(
                "299 - \"metadata.annotations[scheduler.alpha.kubernetes.io/critical-pod]: non-functional in v1.16+; "
                        + "use the \\\"priorityClassName\\\" field instead\"",
                "299 - \"would violate PodSecurity \\\"baseline:latest\\\": host namespaces (hostPID=true)\"");
    }
}
