package io.jenkins.plugins.kubeplatform.edgevm;

import io.jenkins.plugins.kubeplatform.config.PlatformConfig;
import io.jenkins.plugins.kubeplatform.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.core.Require;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code edge} section of the platform configuration (the same structure as the Jenkins global configuration):
 * edge sites that host VMs, edge clusters the VMs join, how new edge clusters are made, tenant quotas and timeouts.
 * Secrets are never part of it: join tokens are named by Jenkins credentials ID or, for the CLI, by a file.
 */
public record EdgeSettings(
        List<Site> sites,
        List<EdgeCluster> edgeClusters,
        NewClusters newClusters,
        List<TenantQuota> quotas,
        String startTimeout,
        String joinTimeout,
        String waitTimeout,
        Integer maxAttempts,
        Scoring scoring) {

    public static final String SECTION = "edge";

    public EdgeSettings {
        sites = sites == null ? List.of() : List.copyOf(sites);
        edgeClusters = edgeClusters == null ? List.of() : List.copyOf(edgeClusters);
        quotas = quotas == null ? List.of() : List.copyOf(quotas);
        scoring = scoring == null ? Scoring.DEFAULT : scoring;
    }

    /**
     * The edge section of docs/examples/kubeplatform.yaml, for the demo against the simulated cluster (its seeded
     * namespaces edge-frankfurt and edge-paris): two sites, three edge clusters of different size and place, a new
     * cluster template, and tenant {@code demo} with a quota.
     */
    public static EdgeSettings demo() {
        return from(PlatformConfig.parse("demo", DEMO_YAML));
    }

    static final String DEMO_YAML = """
            edgeVms:
              sites:
                - {name: frankfurt, namespace: edge-frankfurt, location: "50.1109,8.6821", region: eu-central,
                   zone: eu-central-1a, cpu: 16, memory: 64Gi, vms: 8}
                - {name: paris, namespace: edge-paris, location: "48.8566,2.3522", region: eu-west,
                   zone: eu-west-3a, cpu: 16, memory: 64Gi, vms: 8}
              edgeClusters:
                - {name: edge-fra, location: "50.11,8.68", maxNodes: 2, joinMethod: k3s,
                   server: "https://edge-fra.sim:6443"}
                - {name: edge-par, location: "48.86,2.35", maxNodes: 4, joinMethod: k3s,
                   server: "https://edge-par.sim:6443"}
                - {name: edge-ams, location: "52.37,4.90", maxNodes: 8, joinMethod: k3s,
                   server: "https://edge-ams.sim:6443"}
              newClusterPrefix: edge
              newClusterMaxNodes: 4
              newClusterJoinMethod: k3s
              newClusterServer: "https://edge-pool.sim:6443"
              quotas:
                - {tenant: demo, cpu: 8, memory: 16Gi, vms: 4}
            """;

    /** Reads and validates the {@code edge} section; an absent section is an input error naming it. */
    public static EdgeSettings from(PlatformConfig config) {
        return config.section(SECTION, EdgeSettings.class)
                .orElseThrow(() -> new InvalidInputException("--config section 'edge'",
                        "is required for edge VMs: define sites, edgeClusters and quotas (see docs/edge-vm.md)"))
                .validated();
    }

    /** A site: a cluster running KubeVirt (namespace) that hosts the VMs, with its place and capacity. */
    public record Site(String name, String cluster, String namespace, String location, String region, String zone,
                       Capacity capacity) {

        public GeoPoint point() {
            return GeoPoint.parse("edge site '" + name + "' location", location);
        }
    }

    /** What a site can host in total: vCPUs, memory (a Kubernetes quantity such as 128Gi) and VM count. */
    public record Capacity(Integer cpu, String memory, Integer vms) {

        public long memoryMi(String field) {
            return Quantities.mebibytes(field, memory);
        }
    }

    /**
     * An edge cluster: a group of nodes (label {@code kubeplatform.jenkins.io/edge-cluster}, and an OpenYurt
     * NodePool with the openyurt join method) in the cluster named by {@code cluster}, which VMs join as nodes.
     */
    public record EdgeCluster(String name, String cluster, String location, Integer maxNodes, String joinMethod,
                              String server, String tokenCredentialsId, String tokenFile, String caCertHash) {

        public GeoPoint point() {
            return GeoPoint.parse("edge cluster '" + name + "' location", location);
        }

        public JoinMethod method() {
            return JoinMethod.parse("edge cluster '" + name + "' joinMethod", joinMethod);
        }
    }

    /**
     * How a new edge cluster (a new node group) is made when a request is exclusive or every edge cluster is full:
     * it is named {@code namePrefix-<site>-<n>}, lives in {@code cluster} and is joined like a configured one.
     */
    public record NewClusters(String namePrefix, String cluster, Integer maxNodes, String joinMethod, String server,
                              String tokenCredentialsId, String tokenFile, String caCertHash) {
    }

    /** What one tenant may hold at once (running and idle VMs together). */
    public record TenantQuota(String tenant, Integer cpu, String memory, Integer vms) {
    }

    /**
     * The weights of the edge-cluster score {@code loadWeight * nodes/maxNodes + distanceWeight * km/distanceScaleKm}
     * (lower is better).
     */
    public record Scoring(Double loadWeight, Double distanceWeight, Double distanceScaleKm) {

        static final Scoring DEFAULT = new Scoring(1.0, 1.0, 1000.0);

        public Scoring {
            loadWeight = loadWeight == null ? 1.0 : loadWeight;
            distanceWeight = distanceWeight == null ? 1.0 : distanceWeight;
            distanceScaleKm = distanceScaleKm == null ? 1000.0 : distanceScaleKm;
        }
    }

    public Duration startTimeoutDuration() {
        return startTimeout == null ? Duration.ofMinutes(10) : Require.duration("edge startTimeout", startTimeout);
    }

    public Duration joinTimeoutDuration() {
        return joinTimeout == null ? Duration.ofMinutes(5) : Require.duration("edge joinTimeout", joinTimeout);
    }

    /** How long a create waits for the node to join Ready before handing over to the sync loop. */
    public Duration waitTimeoutDuration() {
        return waitTimeout == null ? Duration.ofMinutes(15) : Require.duration("edge waitTimeout", waitTimeout);
    }

    public int maxAttemptsValue() {
        return maxAttempts == null ? 3 : Require.range("edge maxAttempts", maxAttempts, 1, 100);
    }

    public Optional<Site> site(String name) {
        return sites.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    public Optional<EdgeCluster> edgeCluster(String name) {
        return edgeClusters.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    public Optional<TenantQuota> quota(String tenant) {
        return quotas.stream().filter(q -> q.tenant().equals(tenant)).findFirst();
    }

    /** Checks every rule once, so that a bad configuration fails before anything is planned or changed. */
    public EdgeSettings validated() {
        Set<String> names = new HashSet<>();
        for (Site s : sites) {
            String f = "edge site '" + s.name() + "'";
            Require.dnsLabel("edge site name", s.name());
            if (!names.add("site/" + s.name())) {
                throw new InvalidInputException(f, "is defined twice");
            }
            Require.dnsLabel(f + " namespace", s.namespace());
            Require.nonBlank(f + " location", s.location());
            s.point();
            if (s.capacity() == null || s.capacity().cpu() == null || s.capacity().memory() == null
                    || s.capacity().vms() == null) {
                throw new InvalidInputException(f + " capacity", "must give cpu, memory and vms");
            }
            Require.range(f + " capacity.cpu", s.capacity().cpu(), 1, 1_000_000);
            Require.range(f + " capacity.vms", s.capacity().vms(), 1, 1_000_000);
            s.capacity().memoryMi(f + " capacity.memory");
        }
        for (EdgeCluster c : edgeClusters) {
            String f = "edge cluster '" + c.name() + "'";
            Require.dnsLabel("edge cluster name", c.name());
            if (!names.add("cluster/" + c.name())) {
                throw new InvalidInputException(f, "is defined twice");
            }
            Require.nonBlank(f + " location", c.location());
            c.point();
            Require.range(f + " maxNodes", c.maxNodes() == null ? 0 : c.maxNodes(), 1, 100_000);
            c.method();
            Require.nonBlank(f + " server", c.server());
            JoinMethod.parse(f + " joinMethod", c.joinMethod()).checkCaHash(f + " caCertHash", c.caCertHash());
        }
        if (newClusters != null) {
            String f = "edge newClusters";
            Require.dnsLabel(f + " namePrefix", newClusters.namePrefix());
            Require.range(f + " maxNodes", newClusters.maxNodes() == null ? 0 : newClusters.maxNodes(), 1, 100_000);
            Require.nonBlank(f + " server", newClusters.server());
            JoinMethod.parse(f + " joinMethod", newClusters.joinMethod())
                    .checkCaHash(f + " caCertHash", newClusters.caCertHash());
        }
        for (TenantQuota q : quotas) {
            String f = "edge quota of tenant '" + q.tenant() + "'";
            Require.dnsLabel("edge quota tenant", q.tenant());
            if (!names.add("quota/" + q.tenant())) {
                throw new InvalidInputException(f, "is defined twice");
            }
            if (q.cpu() == null || q.memory() == null || q.vms() == null) {
                throw new InvalidInputException(f, "must give cpu, memory and vms");
            }
            Require.range(f + " cpu", q.cpu(), 0, 1_000_000);
            Require.range(f + " vms", q.vms(), 0, 1_000_000);
            Quantities.mebibytes(f + " memory", q.memory());
        }
        startTimeoutDuration();
        joinTimeoutDuration();
        waitTimeoutDuration();
        maxAttemptsValue();
        if (scoring.loadWeight() < 0 || scoring.distanceWeight() < 0 || !(scoring.distanceScaleKm() > 0)) {
            throw new InvalidInputException("edge scoring", "weights must be >= 0 and distanceScaleKm > 0");
        }
        return this;
    }
}
