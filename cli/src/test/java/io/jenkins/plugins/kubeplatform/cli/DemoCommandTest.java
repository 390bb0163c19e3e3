package io.jenkins.plugins.kubeplatform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kubeplatform.sim.registry.RegistryBinary;
import org.junit.jupiter.api.Test;

class DemoCommandTest {

    /**
     * At the default {@code --speed 20} (paced for a person watching) the demo took 20 s of the suite; the simulated
     * cluster's controllers run the same steps at 100 times real speed, as in the engine's simulation tests.
     */
    @Test
    void runsEveryCapabilityAgainstTheEmbeddedClusterWhenAsked() {
        CliRunner.Run run = CliRunner.run("demo", "--speed", "100");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out())
                .contains("== 1/6 cluster", "== 2/6 sticky-ip", "== 3/6 build", "== 4/6 expose", "== 5/6 repair",
                        "== 6/6 edge-vm")
                .contains("pod pinned-a asked for 10.42.250.10 and got 10.42.250.10")
                .contains("Same addresses after deleting every pod", "Same addresses after the redeploy")
                .contains("http://wacai.shop.apps.example.test/", "http://wacai-2.shop.apps.example.test/",
                        "http://chongqing.shop.apps.example.test/")
                .contains("REPAIRED: node")
                .contains("reused: edge VM")
                .contains("Demo finished: 6 sections ran");
        if (!RegistryBinary.installedOrRequired()) {
            assertThat(run.out()).contains("Skipped: this section pushes to a real registry");
            return;
        }
        assertThat(run.out()).as("the build section runs where docker-registry is installed (always under CI)")
                .matches("(?s).*Deployed shop/orders \\(service orders, image [^)]*@sha256:[0-9a-f]{64}\\).*");
    }

    @Test
    void refusesAnUnknownSection() {
        CliRunner.Run run = CliRunner.run("demo", "--only", "sticky-ip,nope");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(run.err()).contains("--only", "sticky-ip", "edge-vm");
    }
}
