package io.jenkins.plugins.kubeplatform.sim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link SimulatedCluster} is set up. Every simulated delay is divided by {@link #speed()}, so tests run the
 * same lifecycle in a fraction of the time.
 */
public final class SimOptions {

    private final int port;
    private final List<SimNode> nodes;
    private final List<String> calicoPools;
    private final Cni cni;
    private final double speed;
    private final boolean seedDefaults;
    private final boolean builtInControllers;
    private final boolean rbac;
    private final boolean createMissingNamespaces;
    private final java.util.Optional<ClientRateLimit> controllerRateLimit;
    private final java.util.Optional<ClientRateLimit> schedulerRateLimit;
    private final Duration imagePullDelay;
    private final Duration imageResolveDelay;
    private final Duration containerStartDelay;
    private final Duration readinessDelay;
    private final Duration podTerminationDelay;
    private final Duration jobDuration;
    private final Duration nodeImagesReportDelay;
    private final java.util.Map<String, RegistryLogin> registryLogins;
    private final List<String> reservedCidrs;

    private SimOptions(Builder b) {
        this.port = b.port;
        this.nodes = List.copyOf(b.nodes.isEmpty() && b.nodeCount < 0 ? defaultNodes(3) : withCount(b));
        this.calicoPools = List.copyOf(b.calicoPools.isEmpty() ? List.of(DEFAULT_POOL) : b.calicoPools);
        this.cni = b.cni;
        this.speed = b.speed;
        this.seedDefaults = b.seedDefaults;
        this.builtInControllers = b.builtInControllers;
        this.rbac = b.rbac;
        this.createMissingNamespaces = b.createMissingNamespaces;
        this.controllerRateLimit = java.util.Optional.ofNullable(b.controllerRateLimit);
        this.schedulerRateLimit = java.util.Optional.ofNullable(b.schedulerRateLimit);
        this.imagePullDelay = b.imagePullDelay;
        this.imageResolveDelay = b.imageResolveDelay;
        this.containerStartDelay = b.containerStartDelay;
        this.readinessDelay = b.readinessDelay;
        this.podTerminationDelay = b.podTerminationDelay;
        this.jobDuration = b.jobDuration;
        this.nodeImagesReportDelay = b.nodeImagesReportDelay;
        this.registryLogins = java.util.Map.copyOf(b.registryLogins);
        this.reservedCidrs = List.copyOf(b.reservedCidrs);
    }

    /** The login a registry requires before it serves any image (as a registry with htpasswd auth does). */
    public record RegistryLogin(String username, String password) {
        @Override
        public String toString() {
            return "RegistryLogin[username=" + username + ", password=****]";
        }
    }

    /** The default reservation for sticky IPs: the ranges of docs/examples/kubeplatform.yaml and the tests. */
    public static final String DEFAULT_RESERVED = "10.42.200.0/23";

    /**
     * CIDRs the seeded cluster keeps from automatic assignment, as docs/sticky-ip.md tells an administrator to: a Calico
     * {@code IPReservation} (Kube-OVN: the default subnet's {@code excludeIps}). Default {@link #DEFAULT_RESERVED}.
     */
    public List<String> reservedCidrs() {
        return reservedCidrs;
    }

    /** Registries (by host, as in image references) that refuse anonymous pulls. */
    public java.util.Map<String, RegistryLogin> registryLogins() {
        return registryLogins;
    }

    /** The default Calico pool. */
    public static final String DEFAULT_POOL = "10.42.0.0/16";

    public static Builder builder() {
        return new Builder();
    }

    /** Defaults: random port, 3 nodes, Calico pool 10.42.0.0/16, speed 10, seeded namespaces and nodes. */
    public static SimOptions defaults() {
        return builder().build();
    }

    private static List<SimNode> withCount(Builder b) {
        List<SimNode> all = new ArrayList<>(b.nodes);
        if (b.nodeCount >= 0) {
            all.addAll(0, defaultNodes(b.nodeCount));
        }
        return all;
    }

    /**
     * The default nodes {@code node-1..n}: zones alternate between Frankfurt (eu-central-1a/b) and Paris
     * (eu-west-3a), with coordinates as annotations.
     */
    public static List<SimNode> defaultNodes(int count) {
        List<SimNode> nodes = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            SimNode.Builder node = SimNode.builder("node-" + i);
            switch ((i - 1) % 3) {
                case 0 -> node.zone("eu-central-1", "eu-central-1a").coordinates(50.1109, 8.6821);
                case 1 -> node.zone("eu-central-1", "eu-central-1b").coordinates(50.1109, 8.6821);
                default -> node.zone("eu-west-3", "eu-west-3a").coordinates(48.8566, 2.3522);
            }
            nodes.add(node.build());
        }
        return nodes;
    }

    /** TCP port on 127.0.0.1; 0 picks a free one. */
    public int port() {
        return port;
    }

    public List<SimNode> nodes() {
        return nodes;
    }

    /** CIDRs of the Calico IPPools (also used as Kube-OVN subnets). */
    public List<String> calicoPools() {
        return calicoPools;
    }

    public Cni cni() {
        return cni;
    }

    /** Time factor: a simulated delay d takes d / speed of wall-clock time. */
    public double speed() {
        return speed;
    }

    public boolean seedDefaults() {
        return seedDefaults;
    }

    /** Whether the built-in controllers (scheduler, kubelet, IPAM, workloads, endpoints, ...) run. */
    public boolean builtInControllers() {
        return builtInControllers;
    }

    /**
     * Whether requests from outside the simulation are authorized with RBAC (Roles, ClusterRoles and their
     * bindings in the cluster), the caller identified by its bearer token (see {@link SimulatedCluster#tokens()}).
     */
    public boolean rbac() {
        return rbac;
    }

    /**
     * Sandbox mode for the demo, the benchmarks and command-line tests: a namespace is created on its first use.
     * Off by default: like a real API server, the simulated cluster refuses objects in a missing namespace.
     */
    /**
     * The client-side request limit of each simulated kube-controller-manager controller (deployment, replicaset,
     * endpoints, statefulset, daemonset, job, disruption, node lifecycle), each with its own client as in a real
     * kube-controller-manager ({@link ClientRateLimit#CONTROLLER_MANAGER_DEFAULTS}); empty (the default) means
     * unlimited. The kubelet is never limited: a real node's kubelet has its own limit (50/s by default), so the
     * simulated kubelet, which serves every node, stands for many clients.
     */
    public java.util.Optional<ClientRateLimit> controllerRateLimit() {
        return controllerRateLimit;
    }

    /** The scheduler's client-side request limit ({@link ClientRateLimit#SCHEDULER_DEFAULTS}); empty: unlimited. */
    public java.util.Optional<ClientRateLimit> schedulerRateLimit() {
        return schedulerRateLimit;
    }

    public boolean createMissingNamespaces() {
        return createMissingNamespaces;
    }

    /**
     * How long the kubelet takes to pull an image that is not on the node yet (per node: a pulled image stays in the
     * node's image cache, and pods of the same image started on that node meanwhile wait for the same pull).
     */
    public Duration imagePullDelay() {
        return imagePullDelay;
    }

    /**
     * How long {@code imagePullPolicy: Always} takes for an image already on the node: one round trip to the registry
     * to resolve the reference, no layer download.
     */
    public Duration imageResolveDelay() {
        return imageResolveDelay;
    }

    public Duration containerStartDelay() {
        return containerStartDelay;
    }

    public Duration readinessDelay() {
        return readinessDelay;
    }

    /**
     * How long the kubelet takes to stop a deleted pod's containers and tear down its sandbox (which frees its
     * address) before it removes the pod; never longer than the pod's grace period. Until then the pod is Terminating.
     */
    public Duration podTerminationDelay() {
        return podTerminationDelay;
    }

    /** How long a Job's pods run before succeeding, unless the Job says otherwise by annotation. */
    public Duration jobDuration() {
        return jobDuration;
    }

    /**
     * How long after a pull the node's kubelet reports the image in {@code node.status.images}. A real kubelet lists
     * the runtime's images every 30 s (the image manager's cache) and writes the node status every 10 s when it
     * changed ({@code nodeStatusUpdateFrequency}), so an image appears 0 to 40 s after its pull: 20 s on average, the
     * default. Pulls finished meanwhile on that node go out in the same write.
     */
    public Duration nodeImagesReportDelay() {
        return nodeImagesReportDelay;
    }

    /** Wall-clock duration of a simulated delay. */
    public Duration scaled(Duration simulated) {
        return Duration.ofNanos((long) (simulated.toNanos() / speed));
    }

    /** Builder for {@link SimOptions}. */
    public static final class Builder {
        private int port;
        private int nodeCount = -1;
        private final List<SimNode> nodes = new ArrayList<>();
        private final List<String> calicoPools = new ArrayList<>();
        private Cni cni = Cni.CALICO;
        private double speed = 10;
        private boolean seedDefaults = true;
        private boolean builtInControllers = true;
        private boolean rbac;
        private boolean createMissingNamespaces;
        private ClientRateLimit controllerRateLimit;
        private ClientRateLimit schedulerRateLimit;
        private Duration imagePullDelay = Duration.ofSeconds(1);
        private Duration imageResolveDelay = Duration.ofMillis(100);
        private Duration containerStartDelay = Duration.ofSeconds(1);
        private Duration readinessDelay = Duration.ofSeconds(1);
        private Duration podTerminationDelay = Duration.ofMillis(500);
        private Duration jobDuration = Duration.ofSeconds(5);
        private Duration nodeImagesReportDelay = Duration.ofSeconds(20);
        private final java.util.Map<String, RegistryLogin> registryLogins = new java.util.HashMap<>();
        private List<String> reservedCidrs = List.of(DEFAULT_RESERVED);

        private Builder() {
        }

        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535");
            }
            this.port = port;
            return this;
        }

        /** Number of default nodes {@code node-1..n} (nodes added with {@link #node} come after them). */
        public Builder nodes(int count) {
            if (count < 0) {
                throw new IllegalArgumentException("nodes must be >= 0");
            }
            this.nodeCount = count;
            return this;
        }

        /** Adds a node; if only explicit nodes are given, no default nodes are created. */
        public Builder node(SimNode node) {
            nodes.add(Objects.requireNonNull(node));
            if (nodeCount < 0) {
                nodeCount = 0;
            }
            return this;
        }

        /** Adds a Calico IPPool CIDR; the first call replaces the default 10.42.0.0/16. */
        public Builder calicoPool(String cidr) {
            calicoPools.add(Objects.requireNonNull(cidr));
            return this;
        }

        public Builder cni(Cni cni) {
            this.cni = Objects.requireNonNull(cni);
            return this;
        }

        public Builder speed(double speed) {
            if (!(speed > 0)) {
                throw new IllegalArgumentException("speed must be > 0");
            }
            this.speed = speed;
            return this;
        }

        /** Seed namespaces, nodes and the IP pools (default true). */
        public Builder seedDefaults(boolean seedDefaults) {
            this.seedDefaults = seedDefaults;
            return this;
        }

        public Builder builtInControllers(boolean on) {
            this.builtInControllers = on;
            return this;
        }

        public Builder rbac(boolean on) {
            this.rbac = on;
            return this;
        }

        /** See {@link SimOptions#controllerRateLimit()}; null for none. */
        public Builder controllerRateLimit(ClientRateLimit limit) {
            this.controllerRateLimit = limit;
            return this;
        }

        /** See {@link SimOptions#schedulerRateLimit()}; null for none. */
        public Builder schedulerRateLimit(ClientRateLimit limit) {
            this.schedulerRateLimit = limit;
            return this;
        }

        /** See {@link SimOptions#createMissingNamespaces()}. */
        public Builder createMissingNamespaces(boolean on) {
            this.createMissingNamespaces = on;
            return this;
        }

        public Builder imagePullDelay(Duration d) {
            this.imagePullDelay = nonNegative(d);
            return this;
        }

        /** See {@link SimOptions#imageResolveDelay()}. */
        public Builder imageResolveDelay(Duration d) {
            this.imageResolveDelay = nonNegative(d);
            return this;
        }

        public Builder containerStartDelay(Duration d) {
            this.containerStartDelay = nonNegative(d);
            return this;
        }

        public Builder readinessDelay(Duration d) {
            this.readinessDelay = nonNegative(d);
            return this;
        }

        /** See {@link SimOptions#podTerminationDelay()}. */
        public Builder podTerminationDelay(Duration d) {
            this.podTerminationDelay = nonNegative(d);
            return this;
        }

        public Builder jobDuration(Duration d) {
            this.jobDuration = nonNegative(d);
            return this;
        }

        /** See {@link SimOptions#nodeImagesReportDelay()}. */
        public Builder nodeImagesReportDelay(Duration d) {
            this.nodeImagesReportDelay = nonNegative(d);
            return this;
        }

        /** CIDRs kept from automatic assignment; none reproduces a cluster where a reserved address can be stolen. */
        public Builder reservedCidrs(List<String> cidrs) {
            this.reservedCidrs = List.copyOf(cidrs);
            return this;
        }

        /**
         * Makes the registry {@code host} require this login: the kubelet pulls its images only with a matching pull
         * secret (the pod's {@code imagePullSecrets} or its service account's), else ErrImagePull (401 Unauthorized).
         */
        public Builder registryLogin(String host, String username, String password) {
            registryLogins.put(Objects.requireNonNull(host), new RegistryLogin(username, password));
            return this;
        }

        private static Duration nonNegative(Duration d) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("delay must not be negative");
            }
            return d;
        }

        public SimOptions build() {
            return new SimOptions(this);
        }
    }
}
