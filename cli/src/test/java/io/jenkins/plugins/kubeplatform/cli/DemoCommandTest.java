package io.jenkins.plugins.kubeplatform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kubeplatform.sim.registry.RegistryBinary;
import org.junit.jupiter.api.Test;

class DemoCommandTest {

    @Test
    void runsEveryCapabilityAgainstTheEmbeddedClusterWhenAsked() {
        CliRunner.Run run = CliRunner.run("demo");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out())
                .contains("== 1/5 sticky-ip", "== 2/5 build", "== 3/5 expose", "== 4/5 repair", "== 5/5 edge-vm")
                .contains("Same addresses after deleting every pod", "Same addresses after the redeploy")
                .contains("http://wacai.shop.apps.example.test/", "http://wacai-2.shop.apps.example.test/",
                        "http://chongqing.shop.apps.example.test/")
                .contains("REPAIRED: node")
                .contains("reused: edge VM")
                .contains("Demo finished: 5 sections ran");
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
