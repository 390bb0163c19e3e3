package io.jenkins.plugins.kubeplatform.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/** Runs the CLI in-process and captures what it prints. */
public final class CliRunner {

    /** What one invocation printed and returned. */
    public record Run(int exitCode, String out, String err) {
    }

    private CliRunner() {
    }

    public static Run run(Map<String, String> environment, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = KubePlatformCli.run(new KubePlatformCli(environment), new PrintWriter(out, true),
                new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    /** Runs with an empty environment whose HOME has no kubeconfig, so the machine's own cluster is never used. */
    public static Run run(String... args) {
        return run(Map.of("HOME", ISOLATED_HOME.toString()), args);
    }

    private static final java.nio.file.Path ISOLATED_HOME = isolatedHome();

    private static java.nio.file.Path isolatedHome() {
        try {
            java.nio.file.Path home = java.nio.file.Files.createTempDirectory("kubeplatform-home");
            home.toFile().deleteOnExit();
            return home;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
