package io.jenkins.plugins.kubeplatform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.kubeplatform.engine.store.Json;
import io.jenkins.plugins.kubeplatform.sim.ApiRequest;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --dry-run} on expose, repair-node and edge-vm: a client dry run sends no write and leaves the state directory
 * byte-identical; a server dry run sends only {@code dryRun=All} writes; the plan names what a real run then writes.
 */
class DryRunCommandsTest {

    private static final String SUFFIX = "apps.example.test";

    private static SimulatedCluster sim;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        sim = SimulatedCluster.start(SimOptions.builder().speed(100).createMissingNamespaces(true).build());
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    private CliRunner.Run run(String... args) {
        return CliRunner.run(Stream.concat(Stream.of("--server", sim.url(), "--state-dir",
                dir.resolve("state").toString()), Stream.of(args)).toArray(String[]::new));
    }

    private Map<String, String> stateFiles() {
        Map<String, String> files = new TreeMap<>();
        Path state = dir.resolve("state");
        if (!Files.exists(state)) {
            return files;
        }
        try (Stream<Path> walk = Files.walk(state)) {
            walk.forEach(f -> {
                try {
                    files.put(dir.relativize(f).toString(), Files.isRegularFile(f)
                            ? new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1) : "<dir>");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    private static List<ApiRequest> clientWrites() {
        return sim.requests().list().stream().filter(r -> !r.internal())
                .filter(r -> !Set.of("get", "list", "watch").contains(r.verb())).toList();
    }

    /** The resources (plural, as in the request path) the real run wrote, apart from the sim's own controllers. */
    private static Set<String> persistedResources() {
        Set<String> resources = new TreeSet<>();
        clientWrites().stream().filter(ApiRequest::persisted).forEach(r -> resources.add(r.resource()));
        return resources;
    }

    /** The resources a plan names for its writes, with the kind spelled as the API path spells it. */
    private static Set<String> plannedResources(JsonNode plan) {
        Set<String> resources = new TreeSet<>();
        for (JsonNode o : plan.path("objects")) {
            if (!o.path("action").asText().equals("unchanged")) {
                String kind = o.path("kind").asText().toLowerCase(java.util.Locale.ROOT);
                resources.add(kind.endsWith("s") ? kind + "es" : kind + "s");
            }
        }
        return resources;
    }

    private static List<String> actions(JsonNode plan, String kind) {
        List<String> actions = new ArrayList<>();
        plan.path("objects").forEach(o -> {
            if (o.path("kind").asText().equals(kind)) {
                actions.add(o.path("action").asText() + " " + o.path("name").asText());
            }
        });
        return actions;
    }

    @Test
    void planOfExposeListsWhatTheRealRunThenWritesWhenTheDryRunIsClientSide() throws Exception {
        assertThat(run("expose", "-n", "shop", "--app", "db", "--port", "5432", "--suffix", SUFFIX).exitCode()).isZero();
        Map<String, String> before = stateFiles();
        sim.requests().clear();

        CliRunner.Run dry = run("-o", "json", "expose", "-n", "shop", "--app", "web", "--port", "8080", "--suffix",
                SUFFIX, "--dry-run=client");

        assertThat(dry.exitCode()).as(dry.err()).isZero();
        JsonNode plan = Json.mapper().readTree(dry.out());
        assertThat(plan.path("apiVersion").asText()).isEqualTo("kubeplatform.jenkins.io/v1");
        assertThat(plan.path("kind").asText()).isEqualTo("Expose");
        assertThat(plan.path("dryRun").asText()).isEqualTo("client");
        assertThat(actions(plan, "ConfigMap")).containsExactly("create web.shop." + SUFFIX);
        assertThat(actions(plan, "Service")).containsExactly("create web");
        assertThat(actions(plan, "Ingress")).containsExactly("create web");
        assertThat(plan.path("state").findValuesAsText("key")).containsExactly("web.shop." + SUFFIX);
        assertThat(clientWrites()).isEmpty();
        assertThat(stateFiles()).isEqualTo(before);
        assertThat(sim.client().services().inNamespace("shop").withName("web").get()).isNull();

        sim.requests().clear();
        CliRunner.Run real = run("-o", "json", "expose", "-n", "shop", "--app", "web", "--port", "8080", "--suffix", SUFFIX);

        assertThat(real.exitCode()).as(real.err()).isZero();
        assertThat(persistedResources()).isEqualTo(Set.of("configmaps", "services", "ingresses"));
        assertThat(plannedResources(plan)).isEqualTo(persistedResources());
        JsonNode result = Json.mapper().readTree(real.out());
        assertThat(result.path("host").asText()).isEqualTo("web.shop." + SUFFIX);
        assertThat(DocumentedSchema.paths(result)).containsAll(DocumentedSchema.fields("Expose", false))
                .isSubsetOf(Stream.concat(DocumentedSchema.fields("Expose", false).stream(),
                        DocumentedSchema.fields("Expose", true).stream()).toList());
        assertThat(stateFiles().toString()).contains("web.shop." + SUFFIX);
    }

    @Test
    void planOfExposeReleaseListsWhatTheRealReleaseThenDeletesAndChangesNothing() throws Exception {
        CliRunner.Run exposed = run("expose", "-n", "shop", "--app", "cache", "--port", "6379", "--suffix", SUFFIX);
        assertThat(exposed.exitCode()).as(exposed.err()).isZero();
        Map<String, String> before = stateFiles();
        sim.requests().clear();

        CliRunner.Run dry = run("-o", "json", "expose", "-n", "shop", "--app", "cache", "--release", "--suffix",
                SUFFIX, "--dry-run=client");

        assertThat(dry.exitCode()).as(dry.err()).isZero();
        JsonNode plan = Json.mapper().readTree(dry.out());
        assertThat(plan.path("dryRun").asText()).isEqualTo("client");
        assertThat(actions(plan, "Ingress")).containsExactly("delete cache");
        assertThat(actions(plan, "ConfigMap")).containsExactly("delete cache.shop." + SUFFIX);
        assertThat(actions(plan, "Service")).as("the Service stays").isEmpty();
        assertThat(plan.path("state").findValuesAsText("key")).containsExactly("cache.shop." + SUFFIX);
        assertThat(clientWrites()).isEmpty();
        assertThat(stateFiles()).isEqualTo(before);
        assertThat(sim.client().network().v1().ingresses().inNamespace("shop").withName("cache").get()).isNotNull();

        sim.requests().clear();
        CliRunner.Run real = run("expose", "-n", "shop", "--app", "cache", "--release", "--suffix", SUFFIX);

        assertThat(real.exitCode()).as(real.err()).isZero();
        assertThat(persistedResources()).isEqualTo(Set.of("configmaps", "ingresses"));
        assertThat(plannedResources(plan)).isEqualTo(persistedResources());
        assertThat(sim.client().network().v1().ingresses().inNamespace("shop").withName("cache").get()).isNull();
        // the registry no longer holds the host (its previous generation stays as a backup)
        assertThat(stateFiles().get("state/domains.json")).doesNotContain("cache.shop." + SUFFIX);
    }

    @Test
    void exposeSendsOnlyDryRunWritesAndStoresNothingWhenTheDryRunIsServerSide() throws Exception {
        assertThat(run("expose", "-n", "shop", "--app", "db", "--port", "5432", "--suffix", SUFFIX).exitCode()).isZero();
        Map<String, String> before = stateFiles();
        sim.requests().clear();

        CliRunner.Run dry = run("-o", "yaml", "expose", "-n", "shop", "--app", "api", "--port", "8080", "--suffix",
                SUFFIX, "--dry-run=server");

        assertThat(dry.exitCode()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("kind: Expose", "dryRun: server");
        assertThat(clientWrites()).hasSize(3).allSatisfy(w -> assertThat(w.dryRun()).isTrue())
                .noneMatch(ApiRequest::persisted);
        assertThat(stateFiles()).isEqualTo(before);
        assertThat(sim.client().network().v1().ingresses().inNamespace("shop").withName("api").get()).isNull();
    }

    private Path repairConfig() throws IOException {
        return Files.writeString(dir.resolve("repair.yaml"), """
                repair:
                  deregistrationGrace: 100ms
                  stabilizationWindow: 200ms
                  recheckInterval: 1s
                """);
    }

    @Test
    void planOfRepairNodeListsTheNodeAndLeaseWritesOfTheRealRunAndChangesNothing() throws Exception {
        Path config = repairConfig();
        String before = Json.mapper().writeValueAsString(sim.client().nodes().withName("node-3").get().getMetadata()
                .getAnnotations()) + sim.client().nodes().withName("node-3").get().getSpec().getUnschedulable();
        sim.requests().clear();

        CliRunner.Run dry = run("--config", config.toString(), "-o", "json", "repair-node", "--node", "node-3",
                "--exec", "true", "--owner", "dry", "--dry-run");

        assertThat(dry.exitCode()).as(dry.err()).isZero();
        JsonNode plan = Json.mapper().readTree(dry.out());
        assertThat(plan.path("kind").asText()).isEqualTo("RepairNode");
        assertThat(plan.path("dryRun").asText()).isEqualTo("client");
        assertThat(actions(plan, "Lease")).first().asString().startsWith("create kubeplatform-repair-");
        assertThat(plan.path("objects").findValuesAsText("detail")).anySatisfy(d -> assertThat(d).startsWith("cordon"))
                .anySatisfy(d -> assertThat(d).contains("uncordon"));
        assertThat(plan.path("notes").toString()).contains("repair: sh -c 'true'", "outcome: REPAIRED");
        assertThat(clientWrites()).isEmpty();
        assertThat(Json.mapper().writeValueAsString(sim.client().nodes().withName("node-3").get().getMetadata()
                .getAnnotations()) + sim.client().nodes().withName("node-3").get().getSpec().getUnschedulable())
                .isEqualTo(before);

        sim.requests().clear();
        CliRunner.Run real = run("--config", config.toString(), "-o", "json", "repair-node", "--node", "node-3",
                "--exec", "true", "--owner", "dry");

        assertThat(real.exitCode()).as(real.err()).isZero();
        assertThat(plannedResources(plan)).containsAll(persistedResources());
        assertThat(persistedResources()).contains("nodes", "leases");
        JsonNode result = Json.mapper().readTree(real.out());
        assertThat(result.path("kind").asText()).isEqualTo("RepairNode");
        assertThat(DocumentedSchema.paths(result)).isEqualTo(DocumentedSchema.fields("RepairNode", false));
    }

    @Test
    void repairNodeSendsItsNodeAndLeaseWritesWithDryRunAllWhenTheDryRunIsServerSide() throws Exception {
        Path config = repairConfig();
        sim.requests().clear();

        CliRunner.Run dry = run("--config", config.toString(), "repair-node", "--node", "node-2", "--exec", "true",
                "--owner", "dry", "--dry-run=server");

        assertThat(dry.exitCode()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("server dry run");
        assertThat(clientWrites()).isNotEmpty().allSatisfy(w -> assertThat(w.dryRun()).isTrue())
                .extracting(ApiRequest::resource).contains("nodes", "leases");
        assertThat(sim.client().nodes().withName("node-2").get().getSpec().getUnschedulable()).isNotEqualTo(Boolean.TRUE);
    }

    private Path edgeConfig() throws IOException {
        Path examples = Path.of("..", "docs", "examples");
        Files.copy(examples.resolve("edge-join-token.sim"), dir.resolve("edge-join-token.sim"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return Files.writeString(dir.resolve("kubeplatform.yaml"), Files.readString(examples.resolve("kubeplatform.yaml"))
                .replace("http://127.0.0.1:8001", sim.url()));
    }

    @Test
    void planOfEdgeVmCreateAndDeleteListsWhatTheRealRunsThenWriteAndChangesNothing() throws Exception {
        Path config = edgeConfig();
        String[] create = {"--config", config.toString(), "-o", "json", "edge-vm", "create", "--name", "plan",
            "--tenant", "demo", "--cpu", "1", "--memory", "1Gi", "--disk", "5Gi", "--image",
            "quay.io/containerdisks/ubuntu:22.04", "--location", "48.85,2.35"};
        assertThat(run("--config", config.toString(), "edge-vm", "create", "--name", "first", "--tenant", "demo",
                "--cpu", "1", "--memory", "1Gi", "--disk", "5Gi", "--image", "quay.io/containerdisks/ubuntu:22.04",
                "--location", "48.85,2.35").exitCode()).isZero();
        Map<String, String> before = stateFiles();
        sim.requests().clear();

        CliRunner.Run dry = run(Stream.concat(Stream.of(create), Stream.of("--dry-run=client")).toArray(String[]::new));

        assertThat(dry.exitCode()).as(dry.err()).isZero();
        JsonNode plan = Json.mapper().readTree(dry.out());
        assertThat(plan.path("kind").asText()).isEqualTo("EdgeVmCreate");
        assertThat(actions(plan, "Secret")).containsExactly("create demo-plan-join");
        assertThat(actions(plan, "VirtualMachine")).containsExactly("create demo-plan");
        assertThat(plan.path("state").findValuesAsText("key")).containsExactly("demo-plan");
        assertThat(dry.out() + dry.err()).doesNotContain("K10simulated-demo-token");
        assertThat(clientWrites()).isEmpty();
        assertThat(stateFiles()).isEqualTo(before);

        sim.requests().clear();
        CliRunner.Run real = run(create);
        assertThat(real.exitCode()).as(real.err()).isZero();
        assertThat(plannedResources(plan)).isEqualTo(persistedResources());
        JsonNode result = Json.mapper().readTree(real.out());
        assertThat(result.path("kind").asText()).isEqualTo("EdgeVmCreate");
        assertThat(DocumentedSchema.paths(result)).isEqualTo(DocumentedSchema.fields("EdgeVmCreate", false));

        Map<String, String> created = stateFiles();
        sim.requests().clear();
        CliRunner.Run dryDelete = run("--config", config.toString(), "-o", "json", "edge-vm", "delete", "--name",
                "plan", "--dry-run");
        assertThat(dryDelete.exitCode()).as(dryDelete.err()).isZero();
        JsonNode deletePlan = Json.mapper().readTree(dryDelete.out());
        assertThat(actions(deletePlan, "VirtualMachine")).containsExactly("delete demo-plan");
        assertThat(actions(deletePlan, "Node")).contains("update demo-plan", "delete demo-plan");
        assertThat(deletePlan.path("state").findValuesAsText("change")).containsExactly("end");
        assertThat(clientWrites()).isEmpty();
        assertThat(stateFiles()).isEqualTo(created);

        sim.requests().clear();
        assertThat(run("--config", config.toString(), "edge-vm", "delete", "--name", "plan").exitCode()).isZero();
        assertThat(plannedResources(deletePlan)).containsAll(persistedResources());
    }
}
