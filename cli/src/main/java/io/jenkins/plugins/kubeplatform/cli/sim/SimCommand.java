package io.jenkins.plugins.kubeplatform.cli.sim;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code kubeplatform sim}: the embedded simulated cluster. */
@Command(name = "sim", mixinStandardHelpOptions = true,
        description = "The embedded simulated Kubernetes cluster (see docs/simulated-cluster.md).",
        subcommands = {SimServeCommand.class, SimControllersCommand.class})
public final class SimCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 2;
    }
}
