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

    @picocli.CommandLine.Mixin
    io.jenkins.plugins.kubeplatform.cli.DryRunOption dryRun;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try (CliContext context = CliContext.of(spec)) {
            if (dryRun.requested()) {
                return io.jenkins.plugins.kubeplatform.cli.DryRunPlan.print(context, dryRun.mode(),
                        EdgeVmCommand.subject(tenant, name), "edge-vm release " + name,
                        EdgeVmCommand.engine(context).planRemoval(tenant, name, false, dryRun.mode()
                                == io.jenkins.plugins.kubeplatform.cli.DryRunOption.Mode.SERVER, context.progress()));
            }
            EdgeVmResult result = EdgeVmCommand.engine(context).release(tenant, name, context.progress());
            context.result(result.document("release"), out -> EdgeVmCommand.print(out, result));
            return 0;
        }
    }
}
