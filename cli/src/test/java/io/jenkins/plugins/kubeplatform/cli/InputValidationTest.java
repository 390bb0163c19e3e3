package io.jenkins.plugins.kubeplatform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Hostile input is rejected with exit 2 before anything reaches the cluster (issue 14, item 5, CLI side). */
class InputValidationTest {

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
    void writeConfig() throws IOException {
        config = Files.writeString(dir.resolve("kp.yaml"), "pools:\n  - name: default\n    ranges: [10.42.230.0/29]\n    cniCheck: warn\n"
                + "domains:\n  suffix: apps.example.test\n");
        sim.requests().clear();
    }

    private CliRunner.Run run(String... args) {
        return CliRunner.run(Stream.concat(Stream.of("--server", sim.url(), "--config", config.toString(),
                "--state-dir", dir.resolve("state").toString()), Stream.of(args)).toArray(String[]::new));
    }

    private long writes() {
        return sim.requests().list().stream().filter(r -> !r.internal() && !r.isReview() && !r.method().equals("GET")).count();
    }

    @ParameterizedTest
    @ValueSource(strings = {"img;}", "Registry/App", "app:\n1"})
    void rejectsAnImageOutsideTheReferenceGrammarBeforeAnyWrite(String image) {
        CliRunner.Run run = run("sticky-deploy", "-n", "shop", "--name", "web", "--image", image, "--port", "80");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(run.err()).contains("--image", "image reference");
        assertThat(writes()).isZero();
    }

    @Test
    void rejectsATenThousandCharacterImage() {
        CliRunner.Run run = run("sticky-deploy", "-n", "shop", "--name", "web", "--image", "a".repeat(10_000),
                "--port", "80");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(run.err()).contains("--image", "10000 characters long").hasSizeLessThan(1000);
        assertThat(writes()).isZero();
    }

    @Test
    void rejectsAnOwnerWithALineBreakSoNoTableLineCanBeForged() {
        CliRunner.Run run = run("sticky-deploy", "-n", "shop", "--name", "web", "--image", "nginx", "--port", "80",
                "--owner", "ci\nshop/forged-0   10.42.230.9");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(run.err()).contains("--owner", "one line of printable characters");
        assertThat(writes()).isZero();
    }

    @Test
    void rejectsAHostOutsideTheConfiguredSuffixUnlessAllowedExplicitly() {
        CliRunner.Run run = run("expose", "-n", "shop", "--app", "web", "--port", "80", "--host", "www.google.com");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(run.err()).contains("--host", "apps.example.test", "--allow-foreign-host");
        assertThat(writes()).isZero();
    }

    @Test
    void refusesAMisspeltRepairKeyNamingItWhenAnotherCommandLoadsTheFile() throws IOException {
        Files.writeString(config, "repair:\n  leaseTTL: 2m\n", java.nio.file.StandardOpenOption.APPEND);

        CliRunner.Run run = run("expose", "-n", "shop", "--app", "web", "--port", "80");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(run.err()).contains("repair.leaseTTL", "is not a key of section 'repair'", "did you mean 'leaseTtl'");
        assertThat(writes()).isZero();
    }

    @Test
    void refusesABadDomainsValueNamingTheKeyAndRuleWhenACommandLoadsTheFile() throws IOException {
        Files.writeString(config, "  onConflict: sometimes\n", java.nio.file.StandardOpenOption.APPEND);

        CliRunner.Run run = run("ip-ledger", "list");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(run.err()).contains("domains.onConflict: must be fail or next-free; got 'sometimes'");
        assertThat(writes()).isZero();
    }

    @Test
    void refusesABadStickyIpValueNamingThePoolKeyAndRuleWhenACommandLoadsTheFile() throws IOException {
        Files.writeString(config, "stickyIp:\n  ledgerStore: file\n  pools:\n"
                + "    - {name: web, ranges: \"10.42.200.0/24, 10.42.201.7/24\", cniCheck: warn}\n");

        CliRunner.Run run = run("ip-ledger", "list");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(run.err()).contains("stickyIp.pools[web].ranges: '10.42.201.7/24' has host bits set");
        assertThat(writes()).isZero();
    }

    @Test
    void refusesAMisspeltStickyIpKeyNamingItWhenACommandLoadsTheFile() throws IOException {
        Files.writeString(config, "stickyIp:\n  ledgerNamspace: ipam\n");

        CliRunner.Run run = run("ip-ledger", "list");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(run.err()).contains("stickyIp.ledgerNamspace: is not a key of section 'stickyIp'",
                "did you mean 'ledgerNamespace'");
        assertThat(writes()).isZero();
    }

    @Test
    void saysTheConfigIsADirectoryWhenGivenOne() {
        CliRunner.Run run = CliRunner.run("--config", dir.toString(), "ip-ledger", "list");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(run.err()).contains("--config", "names a directory");
    }

    @Test
    void saysWhatItKeepsWhenReplicasIsZero() {
        CliRunner.Run run = run("sticky-deploy", "-n", "shop", "--name", "zero", "--image", "nginx", "--port", "80",
                "--replicas", "0");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("--replicas 0", "the Service shop/zero is kept");
    }
}
