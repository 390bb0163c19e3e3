package io.jenkins.plugins.kubeplatform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KubePlatformCliTest {

    @Test
    void printsVersionWhenAsked() {
        CliRunner.Run run = CliRunner.run("--version");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("kubeplatform ").contains("fabric8 kubernetes-client 7.3.1");
    }

    @Test
    void listsCommandsInHelp() {
        CliRunner.Run run = CliRunner.run("--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("--server", "--token-file", "--kubeconfig", "--context", "--cluster", "--user",
                "--namespace", "--certificate-authority", "--insecure-skip-tls-verify", "--config", "--state-dir",
                "--output", "--no-headers", "Edge sites always use their own configured clusters", "Exit codes: 0 success, 1 operation failed, 2 invalid input");
    }

    @Test
    void exitsWithTwoWhenAnOptionIsUnknown() {
        CliRunner.Run run = CliRunner.run("--no-such-option");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(run.err()).contains("Unknown option: '--no-such-option'");
    }

    @Test
    void exitsWithTwoWhenTheOutputFormatIsUnknown() {
        CliRunner.Run run = CliRunner.run("--output", "xml", "help");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(run.err()).contains("--output");
    }

    @Test
    void doesNotEchoTheValueOfAMistypedOption() {
        CliRunner.Run run = CliRunner.run("--tokn=s3cret-token");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(run.err()).contains("'--tokn=***'").doesNotContain("s3cret-token");
    }

    @Test
    void doesNotEchoStrayPositionalValues() {
        CliRunner.Run run = CliRunner.run("bench", "--quick", "s3cret-token");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(run.err()).contains("1 unexpected argument").doesNotContain("s3cret-token");
    }

    @Test
    void printsOneJsonErrorObjectForParseErrorsInJsonMode() {
        CliRunner.Run run = CliRunner.run("--output", "json", "--no-such-option");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(run.out().strip()).startsWith("{").endsWith("}").contains("\"error\":\"invalid-input\"");
    }
}
