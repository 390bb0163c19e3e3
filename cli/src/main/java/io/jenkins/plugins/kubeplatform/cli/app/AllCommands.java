package io.jenkins.plugins.kubeplatform.cli.app;

import io.jenkins.plugins.kubeplatform.cli.CompletionCommand;
import io.jenkins.plugins.kubeplatform.cli.StateCommand;
import io.jenkins.plugins.kubeplatform.cli.Subcommands;
import io.jenkins.plugins.kubeplatform.cli.VersionCommand;
import io.jenkins.plugins.kubeplatform.cli.bench.BenchCommand;
import io.jenkins.plugins.kubeplatform.cli.demo.DemoCommand;
import io.jenkins.plugins.kubeplatform.cli.edgevm.EdgeVmCommand;
import io.jenkins.plugins.kubeplatform.cli.expose.ExposeCommand;
import io.jenkins.plugins.kubeplatform.cli.expose.ExposeSyncCommand;
import io.jenkins.plugins.kubeplatform.cli.image.BuildImageCommand;
import io.jenkins.plugins.kubeplatform.cli.repair.RepairNodeCommand;
import io.jenkins.plugins.kubeplatform.cli.sim.SimCommand;
import io.jenkins.plugins.kubeplatform.cli.stickyip.IpLedgerCommand;
import io.jenkins.plugins.kubeplatform.cli.stickyip.StickyDeployCommand;
import java.util.List;

/** Every {@code kubeplatform} subcommand, in help order: the one place that names them all. */
public final class AllCommands implements Subcommands {

    @Override
    public List<Object> commands() {
        return List.of(new BenchCommand(), new DemoCommand(), new SimCommand(), new StickyDeployCommand(),
                new IpLedgerCommand(), new StateCommand(), new BuildImageCommand(), new ExposeCommand(),
                new ExposeSyncCommand(), new RepairNodeCommand(), new EdgeVmCommand(), new CompletionCommand(),
                new VersionCommand());
    }
}
