package io.jenkins.plugins.kubeplatform.cli.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.jenkins.plugins.kubeplatform.cli.CliRunner;
import io.jenkins.plugins.kubeplatform.cli.ExitCodes;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import io.jenkins.plugins.kubeplatform.sim.registry.LocalRegistry;
import io.jenkins.plugins.kubeplatform.sim.registry.RegistryBinary;
import io.jenkins.plugins.kubeplatform.sim.registry.RegistryOptions;
import io.jenkins.plugins.kubeplatform.sim.registry.TinyBaseImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sticky-deploy} with the build options: build and push to a real registry, then deploy by digest. */
class StickyDeployWithBuildTest {

    private static LocalRegistry registry;
    private static TinyBaseImage.Pushed base;
    private static SimulatedCluster sim;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        assumeTrue(RegistryBinary.installedOrRequired(), "docker-registry is not installed (and CI is not set)");
        registry = LocalRegistry.start(RegistryOptions.open());
        base = TinyBaseImage.push(registry, "base/tiny", "1");
        sim = SimulatedCluster.start(SimOptions.builder().speed(100).createMissingNamespaces(true).build());
    }

    @AfterAll
    static void stop() {
        if (sim != null) {
            sim.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    private List<String> args(String name, String artifact, String... extra) throws Exception {
        Path config = Files.writeString(dir.resolve("kubeplatform.yaml"),
                "pools:\n  - name: web-pool\n    ranges: [\"10.42.200.0/28\"]\n");
        List<String> args = new ArrayList<>(List.of("sticky-deploy", "--server", sim.url(), "--config",
                config.toString(), "--state-dir", dir.resolve("state").toString(), "--namespace", "default",
                "--name", name, "--port", "8080", "--replicas", "2", "--pool", "web-pool",
                "--artifact", artifact, "--from", base.tagReference(), "--to", registry.image("apps/" + name, "1"),
                "--insecure", "--output", "json"));
        args.addAll(List.of(extra));
        return args;
    }

    private Path jar() throws Exception {
        Path jar = dir.resolve("web.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), new Manifest())) {
            out.putNextEntry(new java.util.jar.JarEntry("app.txt"));
        }
        return jar;
    }

    @Test
    void buildsAndPushesFirstThenDeploysEveryReplicaByDigest() throws Exception {
        CliRunner.Run run = CliRunner.run(args("web", jar().toString(), "--timeout", "60s").toArray(String[]::new));

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        String digest = registry.api().manifest("apps/web", "1").orElseThrow().digest();
        String reference = registry.host() + "/apps/web@" + digest;
        assertThat(run.err()).contains("[step] pushed " + registry.image("apps/web", "1") + " as " + reference);
        assertThat(run.err().indexOf("[step] pushed ")).isLessThan(run.err().indexOf("[plan] stickyIpDeploy"));
        List<Deployment> workloads = sim.client().apps().deployments().inNamespace("default")
                .withLabel("app.kubernetes.io/name", "web").list().getItems();
        assertThat(workloads).hasSize(2).allSatisfy(d -> assertThat(
                d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo(reference));
        // two replicas running the pushed digest, each with its own address from 10.42.200.0/28 (.1 to .14)
        List<Pod> pods = sim.client().pods().inNamespace("default").withLabel("app.kubernetes.io/name", "web").list()
                .getItems().stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
        assertThat(pods).hasSize(2).allSatisfy(p -> {
            assertThat(p.getSpec().getContainers().get(0).getImage()).isEqualTo(reference);
            assertThat(p.getStatus().getPhase()).isEqualTo("Running");
        });
        assertThat(pods).extracting(p -> p.getStatus().getPodIP()).doesNotHaveDuplicates().allSatisfy(ip -> {
            assertThat(ip).startsWith("10.42.200.");
            assertThat(Integer.parseInt(ip.substring("10.42.200.".length()))).isBetween(1, 14);
        });
    }

    @Test
    void deploysNothingAndPushesNothingWhenTheArtifactIsMissing() throws Exception {
        CliRunner.Run run = CliRunner.run(args("ghost", dir.resolve("target/ghost.jar").toString())
                .toArray(String[]::new));

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(run.err()).contains("artifact");
        assertThat(registry.api().tags("apps/ghost")).isEmpty();
        assertThat(sim.client().apps().deployments().inNamespace("default").withLabel("app.kubernetes.io/name", "ghost")
                .list().getItems()).isEmpty();
    }

    @Test
    void pushesNothingWhenADeployInputIsInvalid() throws Exception {
        CliRunner.Run run = CliRunner.run(args("bad", jar().toString(), "--replicas", "-1").toArray(String[]::new));

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(run.err()).contains("replicas");
        assertThat(registry.api().tags("apps/bad")).isEmpty();
    }

    @Test
    void refusesAnImageTogetherWithBuildOptions() throws Exception {
        CliRunner.Run run = CliRunner.run(args("both", jar().toString(), "--image", "nginx:1").toArray(String[]::new));

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(run.err()).contains("--image");
        assertThat(registry.api().tags("apps/both")).isEmpty();
    }

    @Test
    void plansWithTheTargetTagAndBuildsNothingOnADryRun() throws Exception {
        String jar = jar().toString();
        CliRunner.Run run = CliRunner.run(args("plan", jar, "--dry-run=client").toArray(String[]::new));

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        String target = registry.image("apps/plan", "1");
        com.fasterxml.jackson.databind.JsonNode plan = new com.fasterxml.jackson.databind.ObjectMapper().readTree(run.out());
        assertThat(plan.get("image").asText()).isEqualTo("built from " + jar + " on " + base.tagReference()
                + ", pushed to " + target);
        assertThat(plan.get("objects").get(0).get("object").get("spec").get("template").get("spec").get("containers")
                .get(0).get("image").asText()).as("the workloads planned with the tag the build would push")
                .isEqualTo(target);
        assertThat(registry.api().tags("apps/plan")).isEmpty();
        assertThat(sim.client().apps().deployments().inNamespace("default").withLabel("app.kubernetes.io/name", "plan")
                .list().getItems()).isEmpty();
    }
}
