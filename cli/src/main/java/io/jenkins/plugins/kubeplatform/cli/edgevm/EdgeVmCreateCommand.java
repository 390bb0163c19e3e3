package io.jenkins.plugins.kubeplatform.cli.edgevm;

import io.jenkins.plugins.kubeplatform.cli.CliContext;
import io.jenkins.plugins.kubeplatform.engine.edgevm.EdgeVmEngine;
import io.jenkins.plugins.kubeplatform.engine.edgevm.EdgeVmRequest;
import io.jenkins.plugins.kubeplatform.engine.edgevm.EdgeVmResult;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kubeplatform edge-vm create}. */
@Command(name = "create", mixinStandardHelpOptions = true,
        description = "Create (or reuse an idle) edge VM: quota check, closest site with capacity, edge cluster by "
                + "load and distance (or a new one), join via cloud-init; waits until its node is Ready.")
public final class EdgeVmCreateCommand implements Callable<Integer> {

    @Option(names = "--name", required = true, description = "VM name for the tenant (DNS label).")
    String name;

    @Option(names = "--tenant", required = true, description = "Tenant that owns the VM (quota applies).")
    String tenant;

    @Option(names = "--cpu", required = true, description = "vCPUs.")
    int cpu;

    @Option(names = "--memory", required = true, description = "Memory, e.g. 4Gi.")
    String memory;

    @Option(names = "--disk", required = true, description = "Disk size, e.g. 20Gi.")
    String disk;

    @Option(names = "--image", required = true,
            description = "containerDisk image (quay.io/containerdisks/ubuntu:22.04) or http(s) URL of a disk image.")
    String image;

    @Option(names = "--exclusive", description = "Give the VM an edge cluster of its own.")
    boolean exclusive;

    @Option(names = "--location", paramLabel = "LAT,LON", description = "Place the VM close to this point.")
    String location;

    @Option(names = "--region", description = "Preferred site region (without --location).")
    String region;

    @Option(names = "--zone", description = "Preferred site zone (without --location).")
    String zone;

    @Option(names = "--site", description = "Use this edge site.")
    String site;

    @Option(names = "--edge-cluster", paramLabel = "NAME",
            description = "Join this edge cluster (--cluster is the kubeconfig cluster, as in kubectl).")
    String cluster;

    @Option(names = "--no-wait", description = "Return once the VM is created; the state sync follows it up.")
    boolean noWait;

    @picocli.CommandLine.Mixin
    io.jenkins.plugins.kubeplatform.cli.DryRunOption dryRun;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try (CliContext context = CliContext.of(spec)) {
            if (image != null && !image.startsWith("http://") && !image.startsWith("https://")) {
                io.jenkins.plugins.kubeplatform.engine.core.ImageReference.check("--image", image);
            }
            EdgeVmRequest request = EdgeVmRequest.of(name, tenant, cpu, memory, disk, image, exclusive, location,
                    region, zone, site, cluster);
            EdgeVmEngine engine = EdgeVmCommand.engine(context);
            if (dryRun.requested()) {
                return io.jenkins.plugins.kubeplatform.cli.DryRunPlan.print(context, dryRun.mode(),
                        EdgeVmCommand.subject(tenant, name), "edge-vm create " + tenant + "/" + name,
                        engine.planCreate(request, !noWait, dryRun.mode()
                                == io.jenkins.plugins.kubeplatform.cli.DryRunOption.Mode.SERVER, context.progress()));
            }
            EdgeVmResult result = engine.create(request, !noWait, context.progress());
            context.result(result.document("create"), out -> EdgeVmCommand.print(out, result));
            return 0;
        }
    }
}
