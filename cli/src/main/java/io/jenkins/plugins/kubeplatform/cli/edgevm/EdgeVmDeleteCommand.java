package io.jenkins.plugins.kubeplatform.cli.edgevm;

import io.jenkins.plugins.kubeplatform.cli.CliContext;
import io.jenkins.plugins.kubeplatform.edgevm.EdgeVmResult;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kubeplatform edge-vm delete}. */
@Command(name = "delete", mixinStandardHelpOptions = true, description = "Drain and remove the VM's node, delete the VM and its join Secret; the inventory keeps the record.")
public final class EdgeVmDeleteCommand implements Callable<Integer> {

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
                        EdgeVmCommand.subject(tenant, name), "edge-vm delete " + name,
                        EdgeVmCommand.engine(context).planRemoval(tenant, name, true, dryRun.mode()
                                == io.jenkins.plugins.kubeplatform.cli.DryRunOption.Mode.SERVER, context.progress()));
            }
            EdgeVmResult result = EdgeVmCommand.engine(context).delete(tenant, name, context.progress());
            context.result(result.document("delete"), out -> EdgeVmCommand.print(out, result));
            return 0;
        }
    }
}
