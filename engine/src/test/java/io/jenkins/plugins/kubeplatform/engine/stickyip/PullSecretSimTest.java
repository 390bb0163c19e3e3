package io.jenkins.plugins.kubeplatform.engine.stickyip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Secret;
import io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import io.jenkins.plugins.kubeplatform.sim.rbac.RbacPolicy;
import io.jenkins.plugins.kubeplatform.sim.rbac.ResourceRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIP-14: the pods can pull what was pushed, with the push credentials kept as a pull Secret. */
class PullSecretSimTest {

    private static final String REGISTRY = "registry.example.com:5000";
    private static final String PASSWORD = "s3cret-token-7f3a";

    @TempDir
    Path stateDir;

    private SimulatedCluster sim;

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    private StickyIpDeployer deployer() {
        return StickyIpDeployerSimTest.onDefaultPool(sim.client(), stateDir);
    }

    private void start() {
        sim = TestNamespaces.with(SimulatedCluster.start(SimOptions.builder().speed(100).registryLogin(REGISTRY, "ci", PASSWORD).build()));
    }

    private static DeployRequest web(Duration timeout) {
        return DeployRequest.of("shop", "web", REGISTRY + "/shop/web@sha256:" + "ab".repeat(32), 1, 8080, "default")
                .withTimeout(timeout);
    }

    @Test
    void failsWithTheKubeletsUnauthorizedPullErrorWithoutAPullSecret() {
        start();

        assertThatThrownBy(() -> deployer().deploy(web(Duration.ofSeconds(20)), Progress.silent()))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("ErrImagePull")
                .hasMessageContaining("401 Unauthorized");
    }

    @Test
    void pullsWithTheSecretKeptFromThePushCredentialsAndNeverLogsThePassword() {
        start();
        List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
        Progress progress = Progress.lines(lines::add);

        DeployResult result = deployer().deploy(web(Duration.ofSeconds(60))
                .withPullCredentials(new PullCredentials(REGISTRY, "ci", PASSWORD)), progress);

        assertThat(result.identities()).hasSize(1);
        Secret secret = sim.client().secrets().inNamespace("shop").withName("kubeplatform-pull-registry-example-com-5000")
                .get();
        assertThat(secret.getType()).isEqualTo("kubernetes.io/dockerconfigjson");
        assertThat(secret.getMetadata().getLabels()).containsEntry(StickyIpLabels.MANAGED_BY, StickyIpLabels.MANAGER);
        String config = new String(Base64.getDecoder().decode(secret.getData().get(".dockerconfigjson")),
                StandardCharsets.UTF_8);
        assertThat(config).contains("\"" + REGISTRY + "\"").contains(PASSWORD);
        var pod = sim.client().pods().inNamespace("shop").withLabel(StickyIpLabels.IDENTITY, "web-0").list().getItems()
                .get(0);
        assertThat(pod.getSpec().getImagePullSecrets()).extracting(r -> r.getName())
                .containsExactly("kubeplatform-pull-registry-example-com-5000");
        assertThat(String.join("\n", lines)).doesNotContain(PASSWORD);
        List<ResourceRequest> requests = sim.requests().list().stream()
                .map(r -> ResourceRequest.fromHttp(r.method(), r.pathAndQuery())).flatMap(Optional::stream).toList();
        assertThat(RbacPolicy.ofProject().denied("kubeplatform-stickyIpDeploy", requests)).isEmpty();
    }

    @Test
    void writesTheSecretOnlyWhenTheCredentialsChange() {
        start();
        deployer().deploy(web(Duration.ofSeconds(60)).withPullCredentials(new PullCredentials(REGISTRY, "ci", PASSWORD)),
                Progress.silent());
        sim.requests().clear();

        DeployResult again = deployer().deploy(web(Duration.ofSeconds(60))
                .withPullCredentials(new PullCredentials(REGISTRY, "ci", PASSWORD)), Progress.silent());

        assertThat(again.changed()).isFalse();
        assertThat(sim.requests().list()).noneMatch(r -> r.pathAndQuery().contains("/secrets")
                && !r.method().equals("GET"));
    }

    @Test
    void leavesTheTemplatesOwnPullSecretsAlone() {
        WorkloadTemplate t = ManifestParser.parse("template", """
                spec:
                  imagePullSecrets: [{name: team-pull}]
                  containers: [{name: web, image: x, ports: [{containerPort: 8080}]}]
                """);
        DeployRequest request = web(Duration.ofSeconds(5)).withTemplate(t)
                .withPullCredentials(new PullCredentials(REGISTRY, "ci", PASSWORD));
        ReplicaIdentity id = new ReplicaIdentity("shop", "web", 0);

        var rendered = WorkloadRenderer.deployment(request, Pools.pool("default", "10.42.200.0/24"), id, "10.42.200.1",
                Optional.empty());

        assertThat(rendered.deployment().getSpec().getTemplate().getSpec().getImagePullSecrets())
                .extracting(r -> r.getName()).containsExactly("team-pull");
    }
}
