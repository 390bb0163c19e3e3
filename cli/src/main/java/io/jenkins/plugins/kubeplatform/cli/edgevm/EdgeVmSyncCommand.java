package io.jenkins.plugins.kubeplatform.cli.edgevm;

import io.jenkins.plugins.kubeplatform.cli.CliContext;
import io.jenkins.plugins.kubeplatform.engine.core.Require;
import io.jenkins.plugins.kubeplatform.engine.edgevm.EdgeVmEngine;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kubeplatform edge-vm sync}: one pass (or a loop) of the state sync. */
@Command(name = "sync", mixinStandardHelpOptions = true,
        description = "Compare each VM's printableStatus with its node: restart VMs that did not join within the "
                + "join timeout, recreate VMs stuck starting past the start timeout (bounded attempts).")
public final class EdgeVmSyncCommand implements Callable<Integer> {

    @Option(names = "--every", paramLabel = "DURATION",
            description = "Repeat forever with this pause (e.g. 30s); default: one pass.")
    String every;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        Duration pause = every == null ? null : Require.duration("--every", every);
        try (CliContext context = CliContext.of(spec)) {
            EdgeVmEngine engine = EdgeVmCommand.engine(context);
            while (true) {
                List<String> report = engine.sync(context.progress());
                if (pause == null) {
                    context.result(Map.of("vms", report), out -> report.forEach(out::println));
                    return 0;
                }
                report.forEach(line -> context.progress().step(line));
                Thread.sleep(pause.toMillis());
            }
        }
    }
}
