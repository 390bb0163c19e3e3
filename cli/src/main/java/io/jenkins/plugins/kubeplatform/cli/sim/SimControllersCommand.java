package io.jenkins.plugins.kubeplatform.cli.sim;

import io.jenkins.plugins.kubeplatform.cli.CliContext;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.sim.AttachedControllers;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kubeplatform sim controllers}: runs the simulated scheduler, kubelets and controllers against an existing API
 * server (the one of --kubeconfig / --server), KWOK-style, until stopped.
 */
@Command(name = "controllers", mixinStandardHelpOptions = true,
        description = "Run the simulated scheduler, kubelets (pod IPs from the CNI annotations), workload, endpoints "
                + "and KubeVirt controllers against an existing API server (--kubeconfig FILE or --server URL): fake "
                + "nodes node-1..N are registered there and pods bound to them are marked Running. Serves until stopped.")
public final class SimControllersCommand implements Callable<Integer> {

    @Option(names = "--nodes", paramLabel = "N", defaultValue = "3",
            description = "Fake nodes node-1..N to register. Default: ${DEFAULT-VALUE}.")
    int nodes;

    @Option(names = "--only", split = ",", paramLabel = "GROUP", description = "Run only these controller groups: "
            + "scheduler, kubelet, node-lifecycle, workloads, endpoints, ingress, kubevirt. Against a cluster with its "
            + "own kube-controller-manager and scheduler use --only kubelet (or scheduler,kubelet). Default: all.")
    List<String> only;

    @Option(names = "--pod-cidr", paramLabel = "CIDR", defaultValue = SimOptions.DEFAULT_POOL,
            description = "Calico IPPool created when the server has none. Default: ${DEFAULT-VALUE}.")
    String podCidr;

    @Option(names = "--cni", paramLabel = "CNI", defaultValue = "calico",
            description = "calico or kube-ovn: which pod IP annotation is honoured. Default: ${DEFAULT-VALUE}.")
    String cni;

    @Option(names = "--speed", paramLabel = "FACTOR", defaultValue = "1",
            description = "Time factor: simulated delays are divided by it. Default: ${DEFAULT-VALUE}.")
    double speed;

    @Spec
    CommandSpec spec;

    private final CountDownLatch stopped = new CountDownLatch(1);

    @Override
    public Integer call() throws Exception {
        Set<String> groups = new LinkedHashSet<>(only == null ? List.of() : only);
        for (String g : groups) {
            if (!AttachedControllers.GROUPS.contains(g)) {
                throw new InvalidInputException("--only", "names an unknown controller group '" + g + "'; known: "
                        + String.join(", ", AttachedControllers.GROUPS));
            }
        }
        SimServeCommand shape = new SimServeCommand();
        shape.port = 0;
        shape.nodes = nodes;
        shape.podCidr = podCidr;
        shape.cni = cni;
        shape.speed = speed;
        shape.imagePull = "1s";
        shape.containerStart = "1s";
        shape.readiness = "1s";
        shape.podTermination = "500ms";
        SimOptions options = shape.options();
        boolean interrupted = false;
        try (CliContext context = CliContext.of(spec);
             AttachedControllers attached = AttachedControllers.start(context.client(), options, groups)) {
            Thread hook = new Thread(() -> {
                stopped.countDown();
                attached.close();
            }, "sim-controllers-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("server", context.client().getMasterUrl().toString());
            result.put("controllers", attached.running());
            result.put("registeredNodes", attached.registeredNodes());
            context.result(result, out -> out.println("Controllers " + String.join(", ", attached.running())
                    + " running against " + context.client().getMasterUrl() + "; nodes registered: "
                    + (attached.registeredNodes().isEmpty() ? "none (they existed)" : String.join(", ",
                    attached.registeredNodes()))));
            try {
                stopped.await();
            } catch (InterruptedException e) {
                interrupted = true;
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is already running
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
