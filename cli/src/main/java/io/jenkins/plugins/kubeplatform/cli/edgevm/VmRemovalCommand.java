package io.jenkins.plugins.kubeplatform.cli.edgevm;

import io.jenkins.plugins.kubeplatform.cli.CliContext;
import io.jenkins.plugins.kubeplatform.cli.DryRunOption;
import io.jenkins.plugins.kubeplatform.cli.DryRunPlan;
import io.jenkins.plugins.kubeplatform.engine.edgevm.EdgeVmEngine;
import io.jenkins.plugins.kubeplatform.engine.edgevm.EdgeVmResult;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What {@code edge-vm release} and {@code edge-vm delete} share: the VM named by {@code --name} and {@code --tenant},
 * the dry run, and one engine call that drains the VM's node and then keeps the VM idle or deletes it.
 */
abstract class VmRemovalCommand implements Callable<Integer> {

    @Option(names = "--name", required = true, description = "The tenant's name for the VM.")
    String name;

    @Option(names = "--tenant", description = "Tenant (needed when several tenants use the name).")
    String tenant;

    @Mixin
    DryRunOption dryRun;

    @Spec
    CommandSpec spec;

    /** Whether the VM is deleted ({@code delete}) rather than kept running, idle ({@code release}). */
    abstract boolean deletesVm();

    @Override
    public Integer call() {
        String verb = deletesVm() ? "delete" : "release";
        try (CliContext context = CliContext.of(spec)) {
            EdgeVmEngine engine = EdgeVmCommand.engine(context);
            if (dryRun.requested()) {
                return DryRunPlan.print(context, dryRun.mode(), EdgeVmCommand.subject(tenant, name),
                        "edge-vm " + verb + " " + name, engine.planRemoval(tenant, name, deletesVm(),
                                dryRun.mode() == DryRunOption.Mode.SERVER, context.progress()));
            }
            EdgeVmResult result = deletesVm() ? engine.delete(tenant, name, context.progress())
                    : engine.release(tenant, name, context.progress());
            context.result(result.document(verb), out -> EdgeVmCommand.print(out, result));
            return 0;
        }
    }
}
