package io.jenkins.plugins.kubeplatform.cli.demo;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.cli.KubePlatformCli;
import io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a demo section works with: the simulated cluster, the example configuration pointed at it, a private state
 * directory, and the terminal. Sections drive the real {@code kubeplatform} commands, so the demo shows exactly what a
 * user would type and see.
 */
record DemoEnvironment(SimulatedCluster sim, Path config, Path stateDir, PrintWriter out) {

    KubernetesClient client() {
        return sim.client();
    }

    /** A narration line, indented under the section heading. */
    void say(String format, Object... args) {
        out.println("  " + String.format(format, args));
        out.flush();
    }

    /** Runs a {@code kubeplatform} command against the simulated cluster, shows it and its output; 0 or fails. */
    String run(String... args) {
        return run(0, args);
    }

    /** Like {@link #run(String...)} but expects the given exit code (a demo of a refusal expects 1 or 2). */
    String run(int expectedExit, String... args) {
        out.println("  $ kubeplatform " + String.join(" ", args));
        out.flush();
        List<String> full = new ArrayList<>(List.of("--config", config.toString(), "--state-dir", stateDir.toString()));
        full.addAll(List.of(args));
        StringWriter captured = new StringWriter();
        StringWriter progress = new StringWriter();
        int code = KubePlatformCli.run(new KubePlatformCli(Map.of()), new PrintWriter(captured, true),
                new PrintWriter(progress, true), full.toArray(String[]::new));
        indent(progress.toString());
        indent(captured.toString());
        if (code != expectedExit) {
            throw new OperationFailedException("'kubeplatform " + String.join(" ", args) + "' exited with " + code
                    + " (expected " + expectedExit + ")");
        }
        return captured.toString();
    }

    private void indent(String text) {
        text.lines().forEach(line -> out.println("    " + line));
        out.flush();
    }
}
