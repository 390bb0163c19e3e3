package io.jenkins.plugins.kubeplatform.cli.edgevm;

import io.jenkins.plugins.kubeplatform.cli.CliContext;
import io.jenkins.plugins.kubeplatform.cli.Human;
import io.jenkins.plugins.kubeplatform.cli.Table;
import io.jenkins.plugins.kubeplatform.engine.edgevm.Inventory;
import io.jenkins.plugins.kubeplatform.engine.edgevm.InventoryExport;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kubeplatform edge-vm inventory}: every VM with tenant, place, resources, start and end (for billing). */
@Command(name = "inventory", mixinStandardHelpOptions = true,
        description = "Print the VM inventory (deleted VMs included) as a table, CSV (--csv) or JSON (--output json).")
public final class EdgeVmInventoryCommand implements Callable<Integer> {

    @Option(names = "--csv", description = "Print CSV (RFC 4180) for billing.")
    boolean csv;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try (CliContext context = CliContext.of(spec)) {
            Inventory inventory = context.inventoryStore().read();
            if (csv) {
                context.out().print(InventoryExport.csv(inventory));
                context.out().flush();
                return 0;
            }
            Table table = Table.of("TENANT", "NAME", "VM", "SITE", "EDGE CLUSTER", "CPU", "MEMORY", "STATE")
                    .wide("START", "END");
            inventory.vms().forEach(r -> table.row(r.tenant(), r.name(), r.vm(), r.site(), r.edgeCluster(), r.cpu(),
                    r.memoryMi() + "Mi", r.state(), Human.timestamp(r.start()), r.end() == null ? null
                            : Human.timestamp(r.end())));
            context.result(Map.of("vms", inventory.vms().stream().map(InventoryExport::row).toList()), table);
            return 0;
        }
    }
}
