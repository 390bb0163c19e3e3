package io.jenkins.plugins.kubeplatform.engine.repair;

import io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A configured repair command: {@code sh -c} with the node name in {@code KUBEPLATFORM_NODE}; exit 0 means repaired. */
final class ShellRepairAction implements RepairAction {

    private final String command;
    private final Duration timeout;

    ShellRepairAction(String command, Duration timeout) {
        this.command = command;
        this.timeout = timeout;
    }

    @Override
    public void repair(String node, Progress progress) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true);
        pb.environment().put("KUBEPLATFORM_NODE", node);
        Process process = pb.start();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    progress.step("repair " + node + ": " + line);
                }
            } catch (java.io.IOException ignored) {
                // the process ended or was destroyed; its exit status tells the outcome
            }
        }, "repair-output-" + node);
        reader.setDaemon(true);
        reader.start();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new OperationFailedException("repair command did not finish within " + timeout);
            }
        } catch (InterruptedException e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw e;
        }
        reader.join(1000);
        if (process.exitValue() != 0) {
            throw new OperationFailedException("repair command exited with status " + process.exitValue());
        }
    }
}
