package io.jenkins.plugins.kubeplatform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secrets never reach output, whatever the arguments (issue 14, item 2). */
class SecretRedactionTest {

    private static final String TOKEN = "tok-Zq81xVv0-secret-77Hd";

    @TempDir
    Path dir;

    @Test
    void masksRememberedSecretsAndBearerValuesInAnyMessage() {
        Redaction.remember("s3cr3t-value-123");

        String masked = Redaction.apply("failed: Authorization: Bearer abc.def.ghi; token s3cr3t-value-123 rejected");

        assertThat(masked).doesNotContain("abc.def.ghi", "s3cr3t-value-123").contains("Bearer ****", "token ****");
    }

    @Test
    void rejectsATokenWithALineBreakWithoutEchoingEitherHalf() throws IOException {
        Path token = Files.writeString(dir.resolve("token"), "first-half-AAAA\nsecond-half-BBBB\n");

        CliRunner.Run run = CliRunner.run(Map.of("HOME", dir.toString()), "--server", "http://127.0.0.1:1",
                "--token-file", token.toString(), "-o", "json", "version");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(run.err()).contains("a line break at position 16");
        assertThat(run.out() + run.err()).doesNotContain("first-half-AAAA", "second-half-BBBB", "unexpected error");
    }

    @Test
    void neverPrintsTheTokenInAFuzzedRun() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Random random = new Random(14);
        String[] controls = {"\n", "\r", "\t", "\u0000", "\u0007", "\u001b[2J", " ", "\u00e9", "\u007f"};
        List<String[]> runs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String content = switch (i % 4) {
                case 0 -> TOKEN;
                case 1 -> TOKEN + "\n";
                default -> TOKEN.substring(0, 1 + random.nextInt(TOKEN.length() - 2)) + controls[random.nextInt(
                        controls.length)] + TOKEN.substring(1 + random.nextInt(TOKEN.length() - 2));
            };
            Path file = Files.writeString(dir.resolve("token-" + i), content);
            String output = random.nextBoolean() ? "json" : "text";
            String[][] shapes = {
                {"--server", "http://127.0.0.1:" + closedPort, "--token-file", file.toString(), "-o", output, "version"},
                {"--server", "http://127.0.0.1:" + closedPort, "--token-file", file.toString(), "-o", output,
                    "ip-ledger", "gc", "--state-dir", dir.resolve("state").toString()},
                {"--server", "ftp://" + TOKEN + "@host", "--token-file", file.toString(), "-o", output, "version"},
                {"--tokn=" + TOKEN, "-o", output, "version"},
                {"--server", "http://127.0.0.1:" + closedPort, "--token-file", file.toString(), "sticky-deploy",
                    "--name", "web", "--image", "nginx", "--port", "80", "--env", "SECRET=" + TOKEN, "-o", output},
                {"version", TOKEN},
            };
            runs.add(shapes[random.nextInt(shapes.length)]);
        }
        Map<String, String> env = new HashMap<>();
        env.put("HOME", dir.toString());
        env.put("KUBEPLATFORM_TOKEN", TOKEN);
        int failures = 0;
        for (String[] args : runs) {
            CliRunner.Run run = CliRunner.run(env, args);
            failures += run.exitCode() == 0 ? 0 : 1;
            assertThat(run.out() + run.err()).as(String.join(" ", args).replace(TOKEN, "<token>"))
                    .doesNotContain(TOKEN).doesNotContain("Zq81xVv0");
        }
        assertThat(failures).isEqualTo(runs.size());
    }
}
