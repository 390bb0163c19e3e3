package io.jenkins.plugins.kubeplatform.cli.edgevm;

import picocli.CommandLine.Command;

/** {@code kubeplatform edge-vm release}. */
@Command(name = "release", mixinStandardHelpOptions = true, description = "Drain the VM's node and keep the VM running, idle, for the tenant's next request.")
public final class EdgeVmReleaseCommand extends VmRemovalCommand {

    @Override
    boolean deletesVm() {
        return false;
    }
}
