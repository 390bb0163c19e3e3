package io.jenkins.plugins.kubeplatform.cli.edgevm;

import io.jenkins.plugins.kubeplatform.cli.CliContext;
import io.jenkins.plugins.kubeplatform.edgevm.EdgeVmResult;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kubeplatform edge-vm release}. */
@Command(name = "release", mixinStandardHelpOptions = true, description = "Drain the VM's node and keep the VM running, idle, for the tenant's next request.")
public final class EdgeVmReleaseCommand implements Callable<Integer> {

    @Option(names = "--name", required = true, description = "The tenant's name for the VM.")
    String name;

    @Option(names = "--tenant", description = "Tenant (needed when several tenants use the name).")
    String tenant;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try (CliContext context = CliContext.of(spec)) {
            EdgeVmResult result = EdgeVmCommand.engine(context).release(tenant, name, context.progress());
            context.result(result, out -> EdgeVmCommand.print(out, result));
            return 0;
        }
    }
}
