package io.jenkins.plugins.kubeplatform.sim;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The simulated controllers driving an existing API server, KWOK-style: fake nodes are registered there, the
 * scheduler binds pods to them and the kubelets mark them Running with the address the CNI annotation pins (or one
 * from the Calico IPPools / Kube-OVN subnets), so a bare control plane or a spare namespace runs workloads without real
 * nodes. Their requests carry the simulation's internal header, so a {@code sim serve} they drive tells them apart
 * from the requests of the code under test.
 */
public final class AttachedControllers implements AutoCloseable {

    /** Controller groups that can be chosen, in start order. */
    public static final List<String> GROUPS = List.of("scheduler", "kubelet", "node-lifecycle", "workloads",
            "endpoints", "ingress", "kubevirt");

    private final KubernetesClient client;
    private final List<SimController> controllers = new ArrayList<>();
    private final List<SimContext> contexts = new ArrayList<>();
    /** One list and watch per resource for the controllers a kube-controller-manager would run. */
    private final SharedInformers controllerManager;
    private final List<String> registeredNodes = new ArrayList<>();
    private final java.util.concurrent.ScheduledExecutorService heartbeat =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "sim-node-heartbeat");
                t.setDaemon(true);
                return t;
            });

    private AttachedControllers(KubernetesClient client) {
        this.client = client;
        this.controllerManager = new SharedInformers("attached-controller-manager", client);
    }

    /**
     * Registers {@code options.nodes()} (existing nodes of those names are left as they are), makes sure the IP pool
     * types exist (and one Calico IPPool per {@code options.calicoPools()} when the server has none), and starts
     * the chosen controller groups.
     *
     * @param base   a client for the API server; its configuration is copied, the caller keeps closing it
     * @param groups names from {@link #GROUPS}; empty means all
     */
    public static AttachedControllers start(KubernetesClient base, SimOptions options, Set<String> groups) {
        Set<String> chosen = new LinkedHashSet<>(groups.isEmpty() ? GROUPS : groups);
        for (String g : chosen) {
            if (!GROUPS.contains(g)) {
                throw new IllegalArgumentException("unknown controller group '" + g + "'; known: " + GROUPS);
            }
        }
        KubernetesClient client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(base.getConfiguration())
                .withCustomHeaders(Map.of(SimDispatcher.INTERNAL_HEADER, "attached-controller")).build()).build();
        AttachedControllers attached = new AttachedControllers(client);
        try {
            attached.seed(options);
            attached.heartbeat.scheduleWithFixedDelay(() -> attached.renewLeases(options), 0, 10, TimeUnit.SECONDS);
            for (SimController c : BuiltInControllers.load(options)) {
                if (chosen.contains(group(c))) {
                    attached.add(c, options);
                }
            }
            return attached;
        } catch (RuntimeException e) {
            attached.close();
            throw e;
        }
    }

    private void seed(SimOptions options) {
        CustomResources.ensure(client, CustomResources.CALICO_IPPOOL);
        CustomResources.ensure(client, CustomResources.KUBE_OVN_SUBNET);
        var pools = client.genericKubernetesResources(CustomResources.CALICO_IPPOOL.context());
        if (pools.list().getItems().isEmpty()) {
            int i = 0;
            for (String cidr : options.calicoPools()) {
                pools.resource(Seed.pool(i++ == 0 ? "default-ipv4-ippool" : "pool-" + i, cidr)).create();
            }
        }
        if (options.cni() == Cni.KUBE_OVN) {
            var subnets = client.genericKubernetesResources(CustomResources.KUBE_OVN_SUBNET.context());
            if (subnets.list().getItems().isEmpty()) {
                int i = 0;
                for (String cidr : options.calicoPools()) {
                    subnets.resource(Seed.subnet(i++ == 0 ? "ovn-default" : "subnet-" + i, cidr, options.reservedCidrs())).create();
                }
            }
        }
        int n = 0;
        for (SimNode node : options.nodes()) {
            n++;
            if (client.nodes().withName(node.name()).get() == null) {
                try {
                    client.nodes().resource(Seed.node(node, n)).create();
                    registeredNodes.add(node.name());
                } catch (KubernetesClientException e) {
                    if (e.getCode() != 409) {
                        throw e;
                    }
                }
            }
        }
    }

    /**
     * Renews each simulated node's Lease in {@code kube-node-lease} as a kubelet does every 10 s, so a real
     * kube-controller-manager does not mark the fake nodes NotReady.
     */
    private void renewLeases(SimOptions options) {
        try {
            if (client.namespaces().withName("kube-node-lease").get() == null) {
                client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
                        .withName("kube-node-lease").endMetadata().build()).create();
            }
            var leases = client.leases().inNamespace("kube-node-lease");
            java.time.ZonedDateTime now = java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC);
            for (SimNode node : options.nodes()) {
                var lease = leases.withName(node.name()).get();
                if (lease == null) {
                    leases.resource(new io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder().withNewMetadata()
                            .withName(node.name()).withNamespace("kube-node-lease").endMetadata().withNewSpec()
                            .withHolderIdentity(node.name()).withLeaseDurationSeconds(40).withRenewTime(now)
                            .endSpec().build()).create();
                } else {
                    lease.getSpec().setRenewTime(now);
                    leases.resource(lease).update();
                }
            }
        } catch (KubernetesClientException e) {
            // the next renewal tries again; a kubelet's lease renewals fail the same way while the server is away
        }
    }

    /** The group a built-in controller belongs to. */
    static String group(SimController c) {
        return switch (c.name()) {
            case "scheduler" -> "scheduler";
            case "kubelet" -> "kubelet";
            case "node-lifecycle" -> "node-lifecycle";
            case "endpoint-controller" -> "endpoints";
            // the cluster attached to collects garbage itself; a second collector would race it
            case "garbage-collector" -> "none";
            // its API server's admission charges quotas that the cluster's own quota controller counts
            case "resourcequota-controller" -> "none";
            default -> {
                String type = c.getClass().getName();
                if (type.contains(".kubevirt.")) {
                    yield "kubevirt";
                }
                yield type.contains(".ingress.") ? "ingress" : "workloads";
            }
        };
    }

    private void add(SimController controller, SimOptions options) {
        SimContext context = new SimContext(controller.name(), client, options, Clock.systemUTC(),
                SimulatedCluster.SHARING_INFORMERS.contains(controller.name())
                        ? java.util.Optional.of(controllerManager) : java.util.Optional.empty());
        controllers.add(controller);
        contexts.add(context);
        try {
            context.executor().submit(() -> controller.start(context)).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting " + controller.name(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("controller " + controller.name() + " failed to start: "
                    + (e.getCause() == null ? e : e.getCause()).getMessage(), e);
        }
    }

    /** Names of the running controllers. */
    public List<String> running() {
        return controllers.stream().map(SimController::name).toList();
    }

    /** Nodes this run registered (nodes that already existed are not listed). */
    public List<String> registeredNodes() {
        return List.copyOf(registeredNodes);
    }

    /** Stops the controllers; the registered nodes stay (delete them with kubectl when done). */
    @Override
    public void close() {
        heartbeat.shutdownNow();
        for (int i = controllers.size() - 1; i >= 0; i--) {
            try {
                controllers.get(i).close();
            } finally {
                contexts.get(i).close();
            }
        }
        controllers.clear();
        contexts.clear();
        controllerManager.close();
        client.close();
    }
}
