package io.jenkins.plugins.kubeplatform.engine.stickyip;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.kube.KubernetesClients;
import io.jenkins.plugins.kubeplatform.engine.kube.ServerWarnings;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What the API server warns about on the deploy's own writes reaches the deploy's log, each text once. */
@Timeout(120)
class DeployWarningsSimTest {

    /** A template still carrying the seccomp annotation that Kubernetes 1.27 stopped honouring. */
    private static final String LEGACY_SECCOMP = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              template:
                metadata:
                  annotations:
                    seccomp.security.alpha.kubernetes.io/pod: runtime/default
                spec:
                  containers:
                    - name: web
                      image: registry.example.com/shop/web:1
                      ports:
                        - {containerPort: 8080}
            """;

    @TempDir
    Path stateDir;

    @AutoClose
    private final SimulatedCluster sim = TestNamespaces.with(SimulatedCluster.start(SimOptions.builder().speed(100)
            .build()));

    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final Progress progress = Warnings.into(warnings);

    @Test
    void theDeploymentWritesWarningAboutATemplateAnnotationReachesTheLogOnceForTwoIdentities() {
        WorkloadTemplate t = ManifestParser.parse("template", LEGACY_SECCOMP);
        DeployResult result;
        try (KubernetesClient client = KubernetesClients.create(sim.client().getConfiguration(),
                new ServerWarnings(progress))) {
            result = StickyIpDeployerSimTest.onDefaultPool(client, stateDir)
                    .deploy(new DeployRequest("shop", "web", "", 2, 0, "default", "test", Duration.ofSeconds(60),
                            Map.of()).withTemplate(t), progress);
        }

        assertThat(result.identities()).hasSize(2);
        String seccomp = ": non-functional in v1.27+; use the \"seccompProfile\" field instead";
        // the Deployments' creates (one per identity) warn about their template, the pod dry run about its pod
        assertThat(warnings).containsExactlyInAnyOrder(
                "[warn] the API server warns: metadata.annotations[seccomp.security.alpha.kubernetes.io/pod]"
                        + seccomp,
                "[warn] the API server warns: spec.template.metadata.annotations"
                        + "[seccomp.security.alpha.kubernetes.io/pod]" + seccomp);
    }
}
