package io.jenkins.plugins.kubeplatform.cli.edgevm;

import picocli.CommandLine.Command;

/** {@code kubeplatform edge-vm delete}. */
@Command(name = "delete", mixinStandardHelpOptions = true, description = "Drain and remove the VM's node, delete the VM and its join Secret; the inventory keeps the record.")
public final class EdgeVmDeleteCommand extends VmRemovalCommand {

    @Override
    boolean deletesVm() {
        return true;
    }
}
