package io.jenkins.plugins.kubeplatform.cli.repair;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.jenkins.plugins.kubeplatform.cli.CliContext;
import io.jenkins.plugins.kubeplatform.cli.bench.spi.BenchOptions;
import io.jenkins.plugins.kubeplatform.cli.bench.spi.Benchmark;
import io.jenkins.plugins.kubeplatform.cli.bench.spi.Measurement;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.kube.ApiRetry;
import io.jenkins.plugins.kubeplatform.engine.repair.NodeRepairer;
import io.jenkins.plugins.kubeplatform.engine.repair.RepairOutcome;
import io.jenkins.plugins.kubeplatform.engine.repair.RepairRequest;
import io.jenkins.plugins.kubeplatform.engine.repair.RepairResult;
import io.jenkins.plugins.kubeplatform.engine.repair.RepairSettings;
import io.jenkins.plugins.kubeplatform.sim.ApiRequest;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * repairNode: API requests and writes per repair against the simulated cluster (an empty node and a node with pods to
 * evict), next to the minimum writes the recorded state machine needs, and the engine's own time per repair.
 */
public final class RepairBenchmark implements Benchmark {

    /** take the slot, cordon+taint+record, five transitions, release the node, free the slot. */
    static final int MINIMUM_WRITES_EMPTY = 9;
    private static final Set<String> WRITES = Set.of("create", "update", "patch", "delete");

    @Override
    public String name() {
        return "repair";
    }

    @Override
    public String description() {
        return "repairNode: API requests and writes per repair (empty node; node with pods to evict) vs the minimum";
    }

    @Override
    public List<Measurement> run(BenchOptions options) throws Exception {
        List<Measurement> out = new ArrayList<>();
        RepairSettings settings = RepairSettings.builder().deregistrationGrace(java.time.Duration.ofMillis(1))
                .stabilizationWindow(java.time.Duration.ofMillis(1)).recheckInterval(java.time.Duration.ofSeconds(1))
                .build();
        int runs = options.quick() ? 1 : 5;
        int pods = 10;
        try (SimulatedCluster sim = SimulatedCluster.start(SimOptions.builder().builtInControllers(false).createMissingNamespaces(true).build())) {
            // the kubelets end the evicted pods' graceful deletion; their requests are the simulation's own, not counted
            sim.addController(new io.jenkins.plugins.kubeplatform.sim.controllers.Kubelet());
            NodeRepairer repairer = new NodeRepairer(sim.client(), CliContext.RETRY, settings, CliContext.CLOCK);
            long requests = 0;
            long writes = 0;
            long nanos = 0;
            for (int i = 0; i < runs; i++) {
                sim.requests().clear();
                long t = System.nanoTime();
                repair(repairer, "node-1", "bench-empty-" + i);
                nanos += System.nanoTime() - t;
                requests += count(sim.requests().list(), false);
                writes += count(sim.requests().list(), true);
            }
            out.add(new Measurement("repair, empty node", "API requests", (double) requests / runs, "requests", ""));
            out.add(new Measurement("repair, empty node", "writes", (double) writes / runs, "writes",
                    "minimum " + MINIMUM_WRITES_EMPTY));
            out.add(Measurement.of("repair, empty node", "mean time incl. 1 ms windows", nanos / 1e6 / runs, "ms"));

            requests = 0;
            writes = 0;
            for (int i = 0; i < runs; i++) {
                for (int p = 0; p < pods; p++) {
                    String name = "bench-" + i + "-" + p;
                    sim.client().pods().inNamespace("default").resource(new PodBuilder().withNewMetadata()
                            .withName(name).endMetadata().withNewSpec().withNodeName("node-2")
                            .addNewContainer().withName("c").withImage("busybox").endContainer().endSpec().build())
                            .create();
                    // the phase as a kubelet reports it: through pods/status (a create starts Pending)
                    sim.client().pods().inNamespace("default").withName(name).editStatus(running -> {
                        running.getStatus().setPhase("Running");
                        return running;
                    });
                }
                sim.requests().clear();
                repair(repairer, "node-2", "bench-pods-" + i);
                requests += count(sim.requests().list(), false);
                writes += count(sim.requests().list(), true);
            }
            out.add(new Measurement("repair, node with " + pods + " pods", "API requests", (double) requests / runs,
                    "requests", ""));
            out.add(new Measurement("repair, node with " + pods + " pods", "writes incl. evictions",
                    (double) writes / runs, "writes", "minimum " + (MINIMUM_WRITES_EMPTY + pods)));
        }
        return out;
    }

    private static void repair(NodeRepairer repairer, String node, String owner) throws InterruptedException {
        RepairResult result = repairer.repair(RepairRequest.of(node, owner), (n, p) -> { }, Progress.silent());
        if (result.outcome() != RepairOutcome.REPAIRED) {
            throw new IllegalStateException("benchmark repair of " + node + " ended " + result.outcome() + ": "
                    + result.message());
        }
    }

    private static long count(List<ApiRequest> requests, boolean writesOnly) {
        return requests.stream().filter(r -> !r.internal() && !r.isDiscovery() && !r.verb().equals("watch"))
                .filter(r -> !writesOnly || WRITES.contains(r.verb())).count();
    }
}
