package io.jenkins.plugins.kubeplatform.cli.stickyip;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.kubeplatform.cli.CliRunner;
import io.jenkins.plugins.kubeplatform.engine.store.Json;
import io.jenkins.plugins.kubeplatform.sim.ApiRequest;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StickyDeployDryRunTest {

    private static SimulatedCluster sim;

    @TempDir
    Path dir;

    private Path config;

    @BeforeAll
    static void start() {
        sim = SimulatedCluster.start(SimOptions.builder().createMissingNamespaces(true).build());
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @BeforeEach
    void deployAnotherAppFirst() throws IOException {
        config = Files.writeString(dir.resolve("kp.yaml"), "pools:\n  - name: default\n    ranges: [10.42.220.0/28]\n    cniCheck: warn\n");
        CliRunner.Run other = run("sticky-deploy", "-n", "shop", "--name", "db", "--image", "postgres:16", "--port",
                "5432");
        assertThat(other.exitCode()).as(other.err()).isZero();
        sim.requests().clear();
    }

    private CliRunner.Run run(String... args) {
        String[] all = Stream.concat(Stream.of("--server", sim.url(), "--config", config.toString(), "--state-dir",
                dir.resolve("state").toString()), Stream.of(args)).toArray(String[]::new);
        return CliRunner.run(all);
    }

    private Map<String, String> stateFiles() {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir.resolve("state"))) {
            walk.filter(Files::isRegularFile).forEach(f -> {
                try {
                    files.put(dir.relativize(f).toString(), new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    private List<ApiRequest> writes() {
        return sim.requests().list().stream().filter(r -> !r.internal() && !r.isReview() && !r.method().equals("GET")).toList();
    }

    @Test
    void printsTheEnginesPlanAndWritesNothingWhenTheDryRunIsClientSide() throws Exception {
        Map<String, String> before = stateFiles();

        CliRunner.Run run = run("-o", "json", "sticky-deploy", "-n", "shop", "--name", "web", "--image", "nginx:1.27",
                "--replicas", "2", "--port", "8080", "--dry-run=client");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode plan = Json.mapper().readTree(run.out());
        assertThat(plan.path("kind").asText()).isEqualTo("StickyDeploy");
        assertThat(plan.path("dryRun").asText()).isEqualTo("client");
        assertThat(plan.path("objects").findValuesAsText("action")).containsExactly("create", "create", "create");
        assertThat(plan.path("objects").findValuesAsText("name")).contains("web-0", "web-1", "web");
        assertThat(plan.path("ledger").findValuesAsText("identity")).containsExactly("shop/web-0", "shop/web-1");
        assertThat(plan.path("ledger").findValuesAsText("ip")).doesNotContain("10.42.220.1");
        assertThat(writes()).isEmpty();
        assertThat(stateFiles()).isEqualTo(before);
        assertThat(sim.client().apps().deployments().inNamespace("shop").withName("web-0").get()).isNull();
    }

    @Test
    void printsTheDocumentedStickyDeployFieldsWhenARealDeployPrintsJson() throws Exception {
        CliRunner.Run run = run("-o", "json", "sticky-deploy", "-n", "shop", "--name", "docs", "--image", "nginx:1.27",
                "--port", "8080");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode result = Json.mapper().readTree(run.out());
        assertThat(result.path("kind").asText()).isEqualTo("StickyDeploy");
        assertThat(io.jenkins.plugins.kubeplatform.cli.DocumentedSchema.paths(result))
                .isEqualTo(io.jenkins.plugins.kubeplatform.cli.DocumentedSchema.fields("StickyDeploy", false));
    }

    @Test
    void sendsTheWritesWithDryRunAllAndStoresNothingWhenTheDryRunIsServerSide() throws Exception {
        Map<String, String> before = stateFiles();

        CliRunner.Run run = run("-o", "yaml", "sticky-deploy", "-n", "shop", "--name", "api", "--image", "nginx:1.27",
                "--port", "8080", "--dry-run=server");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("dryRun: server", "kind: StickyDeploy");
        assertThat(writes()).isNotEmpty().allSatisfy(w -> assertThat(w.query()).contains("dryRun=All"));
        assertThat(writes()).extracting(ApiRequest::resource).contains("deployments", "services");
        assertThat(stateFiles()).isEqualTo(before);
        assertThat(sim.client().apps().deployments().inNamespace("shop").withName("api-0").get()).isNull();
        assertThat(sim.client().services().inNamespace("shop").withName("api").get()).isNull();
    }

    @Test
    void aServerSideDryRunFailsWithTheServersReasonWhenTheAppsPodsWouldBeRefused() throws Exception {
        Path manifest = dir.resolve("refused.yaml");
        Files.writeString(manifest, """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: refused}
                spec:
                  template:
                    spec:
                      serviceAccountName: deployer
                      containers:
                        - {name: refused, image: "nginx:1.27", ports: [{containerPort: 8080}]}
                """);

        CliRunner.Run run = run("sticky-deploy", "-n", "shop", "--name", "refused", "-f", manifest.toString(),
                "--dry-run=server");

        assertThat(run.exitCode()).as(run.out()).isEqualTo(1);
        assertThat(run.err()).contains("error looking up service account shop/deployer: serviceaccount \"deployer\" "
                + "not found", "correct spec.serviceAccountName");
        assertThat(writes()).allSatisfy(w -> assertThat(w.query()).contains("dryRun=All"));
        assertThat(sim.client().apps().deployments().inNamespace("shop").withName("refused-0").get()).isNull();
    }

    @Test
    void aServerSideDryRunFailsNamingTheQuotaWhenItHasNoRoomForEveryNewIdentity() throws Exception {
        // the other app's pod uses 1 of 2: room for 1 of the 3 new identities
        sim.client().resourceQuotas().inNamespace("shop").resource(new io.fabric8.kubernetes.api.model
                .ResourceQuotaBuilder().withNewMetadata().withName("pod-count").endMetadata().withNewSpec()
                .addToHard("pods", new io.fabric8.kubernetes.api.model.Quantity("2")).endSpec().build()).create();
        try {
            sim.client().resourceQuotas().inNamespace("shop").withName("pod-count").waitUntilCondition(q -> q != null
                    && q.getStatus() != null && q.getStatus().getUsed() != null
                    && new io.fabric8.kubernetes.api.model.Quantity("1").equals(q.getStatus().getUsed().get("pods")),
                    30, java.util.concurrent.TimeUnit.SECONDS);
            sim.requests().clear();

            CliRunner.Run run = run("sticky-deploy", "-n", "shop", "--name", "api", "--image", "nginx:1.27",
                    "--replicas", "3", "--port", "8080", "--dry-run=server");

            assertThat(run.exitCode()).as(run.out()).isEqualTo(1);
            assertThat(run.err()).contains("nothing in the cluster was changed", "quota shop/pod-count: pods hard 2, "
                    + "used 1, the 3 new identities need 3 (1 each): room for 1", "Only 1 of the 3 new identities fit "
                    + "(replicas: at most 1)");
            assertThat(writes()).allSatisfy(w -> assertThat(w.query()).contains("dryRun=All"));
        } finally {
            sim.client().resourceQuotas().inNamespace("shop").withName("pod-count").delete();
        }
    }
}
