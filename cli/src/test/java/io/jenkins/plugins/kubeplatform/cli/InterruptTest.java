package io.jenkins.plugins.kubeplatform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kubeplatform.engine.stickyip.IpReservationLedger;
import io.jenkins.plugins.kubeplatform.engine.stickyip.Reservation;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ctrl-C delivered as a real SIGINT to a real CLI process. */
class InterruptTest {

    private static SimulatedCluster sim;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        sim = SimulatedCluster.start(SimOptions.builder().createMissingNamespaces(true).build());
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    private Process cli(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                KubePlatformCli.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("HOME", dir.toString());
        builder.environment().remove("KUBECONFIG");
        return builder.start();
    }

    /** A cold JVM on a machine shared by many builds can take a minute to reach the first write. */
    @Test
    @org.junit.jupiter.api.Timeout(value = 6, unit = TimeUnit.MINUTES)
    void exitsWith130WithoutAStackTraceAndTheNextRunResumes() throws Exception {
        Path config = Files.writeString(dir.resolve("kp.yaml"),
                "pools:\n  - name: default\n    ranges: [10.42.210.0/29]\n    cniCheck: warn\n");
        String[] common = {"--server", sim.url(), "--config", config.toString(), "--state-dir",
                dir.resolve("state").toString(), "sticky-deploy", "-n", "shop", "--name", "web", "--port", "8080",
                "--timeout", "2m"};
        List<String> first = new ArrayList<>(List.of(common));
        first.addAll(List.of("--image", "registry.example.test/web:fail-pull"));
        Process process = cli(first.toArray(String[]::new));
        CountDownLatch creating = new CountDownLatch(1);
        StringBuilder stderr = new StringBuilder();
        CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    synchronized (stderr) {
                        stderr.append(line).append('\n');
                    }
                    if (line.contains("creating workload")) {
                        creating.countDown();
                    }
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });

        assertThat(creating.await(4, TimeUnit.MINUTES)).as("the deploy started: %s", stderr).isTrue();
        new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor(10, TimeUnit.SECONDS);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        reader.get(10, TimeUnit.SECONDS);

        String interrupted = stderr.toString();
        assertThat(process.exitValue()).as(interrupted).isEqualTo(130);
        assertThat(interrupted).contains("interrupted during kubeplatform sticky-deploy")
                .doesNotContain("\tat ", "Exception", "unexpected error");
        Matcher reserved = Pattern.compile("creating workload with (\\S+)").matcher(interrupted);
        assertThat(reserved.find()).isTrue();

        List<String> second = new ArrayList<>(List.of(common));
        second.addAll(List.of("--image", "registry.example.test/web:1.0"));
        CliRunner.Run rerun = CliRunner.run(java.util.Map.of("HOME", dir.toString()), second.toArray(String[]::new));

        assertThat(rerun.exitCode()).as(rerun.err()).isZero();
        assertThat(rerun.err()).contains("resuming: kubeplatform sticky-deploy interrupted at");
        List<Reservation> ledger = IpReservationLedger.open(dir.resolve("state"), Clock.systemUTC()).list();
        assertThat(ledger).extracting(Reservation::identity).containsExactly("shop/web-0");
        assertThat(ledger.get(0).ip()).isEqualTo(reserved.group(1));
        assertThat(dir.resolve("state").resolve(Interruption.NOTE)).doesNotExist();
    }
}
