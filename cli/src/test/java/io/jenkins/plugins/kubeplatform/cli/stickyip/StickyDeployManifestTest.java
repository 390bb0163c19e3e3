package io.jenkins.plugins.kubeplatform.cli.stickyip;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.kubeplatform.cli.CliRunner;
import io.jenkins.plugins.kubeplatform.engine.store.Json;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sticky-deploy -f FILE}: identities rendered from the user's manifest (SIP-12). */
class StickyDeployManifestTest {

    private static final String MANIFEST = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              replicas: 2
              template:
                spec:
                  containers:
                    - name: web
                      image: registry.example.com/shop/web:1
                      ports: [{name: http, containerPort: 8080}]
                      readinessProbe: {httpGet: {path: /ready, port: http}}
                      resources: {requests: {cpu: 100m}}
            """;

    @TempDir
    Path dir;

    private String[] args(String server, Path manifest, String... extra) throws Exception {
        Path config = Files.writeString(dir.resolve("kubeplatform.yaml"),
                "pools:\n  - name: default\n    ranges: [10.42.200.0/28]\n");
        var all = new java.util.ArrayList<>(java.util.List.of("--config", config.toString(), "--state-dir",
                dir.resolve("state").toString(), "--server", server, "sticky-deploy", "--namespace", "shop", "--name",
                "web", "-f", manifest.toString()));
        all.addAll(java.util.List.of(extra));
        return all.toArray(String[]::new);
    }

    @Test
    void refusesAHostNetworkManifestWithExitCodeTwoNamingTheField() throws Exception {
        Path manifest = Files.writeString(dir.resolve("web.yaml"), MANIFEST.replace("      containers:",
                "      hostNetwork: true\n      containers:"));

        CliRunner.Run run = CliRunner.run(args("http://127.0.0.1:1", manifest));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("manifest.spec.template.spec.hostNetwork");
        assertThat(dir.resolve("state")).doesNotExist();
    }

    @Test
    void deploysEveryIdentityFromTheManifestWithItsReplicasAndPorts() throws Exception {
        Path manifest = Files.writeString(dir.resolve("web.yaml"), MANIFEST);
        try (SimulatedCluster sim = SimulatedCluster.start(SimOptions.builder().speed(100).createMissingNamespaces(true).build())) {
            CliRunner.Run run = CliRunner.run(args(sim.url(), manifest, "--image", "registry.example.com/shop/web:2",
                    "--timeout", "60s", "--output", "json"));

            assertThat(run.exitCode()).as(run.err()).isZero();
            JsonNode json = Json.mapper().readTree(run.out());
            assertThat(json.get("identities")).hasSize(2);
            assertThat(json.get("image").asText()).isEqualTo("registry.example.com/shop/web:2");
            var pod = sim.client().pods().inNamespace("shop").withLabel("kubeplatform.jenkins.io/identity", "web-1")
                    .list().getItems().get(0);
            assertThat(pod.getSpec().getContainers().get(0).getReadinessProbe()).isNotNull();
            assertThat(sim.client().services().inNamespace("shop").withName("web").get().getSpec().getPorts())
                    .extracting(p -> p.getName() + ":" + p.getPort()).containsExactly("http:8080");
        }
    }

    @Test
    void printsEachWarningOfTheApiServerOnceOnStderrAsKubectlDoes() throws Exception {
        Path manifest = Files.writeString(dir.resolve("web.yaml"), MANIFEST.replace("    spec:\n      containers:",
                "    metadata:\n      annotations: {seccomp.security.alpha.kubernetes.io/pod: runtime/default}\n"
                        + "    spec:\n      containers:"));
        try (SimulatedCluster sim = SimulatedCluster.start(SimOptions.builder().speed(100).createMissingNamespaces(true).build())) {
            CliRunner.Run run = CliRunner.run(args(sim.url(), manifest, "--timeout", "60s", "--output", "json"));

            assertThat(run.exitCode()).as(run.err()).isZero();
            String seccomp = "[seccomp.security.alpha.kubernetes.io/pod]: non-functional in v1.27+; use the "
                    + "\"seccompProfile\" field instead";
            // the pod dry run warns about its pod, the two Deployment creates about their template
            assertThat(run.err().lines().filter(l -> l.startsWith("[warn]"))).containsExactlyInAnyOrder(
                    "[warn] the API server warns: metadata.annotations" + seccomp,
                    "[warn] the API server warns: spec.template.metadata.annotations" + seccomp);
        }
    }
}
