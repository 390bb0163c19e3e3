package io.jenkins.plugins.kubeplatform.engine.edgevm;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.kubeplatform.engine.config.PlatformConfig;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.core.Require;
import io.jenkins.plugins.kubeplatform.engine.schema.Setting;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The engine's settings of edge VMs, declared by {@link EdgeVmsSchema} (section {@code edgeVms}; files written for
 * earlier versions may have the nested section {@code edge} instead, bound as it is): edge sites that host VMs, edge clusters the VMs join, how new edge clusters are made, tenant quotas and timeouts.
 * Secrets are never part of it: join tokens are named by Jenkins credentials ID or, for the CLI, by a file. Built with
 * {@link #builder()}.
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

    /** The section of files written for earlier versions (nested {@code capacity:}, {@code newClusters:} ...). */
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

    /**
     * Reads and validates the {@code edgeVms} section ({@link EdgeVmsSchema}; empty: the defaults, no sites), else the
     * {@code edge} section of a file written for an earlier version; neither is an input error naming the section.
     */
    public static EdgeSettings from(PlatformConfig config) {
        JsonNode edgeVms = config.raw(EdgeVmsSchema.SECTION.path());
        if (!edgeVms.isMissingNode()) {
            return EdgeVmsSchema.settings(edgeVms).validated();
        }
        return config.section(SECTION, EdgeSettings.class)
                .orElseThrow(() -> new InvalidInputException("--config section 'edgeVms'",
                        "is required for edge VMs: define sites, edgeClusters and quotas (see docs/edge-vm.md)"))
                .validated();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A site: a cluster running KubeVirt (namespace) that hosts the VMs, with its place and capacity. */
    public record Site(String name, String cluster, String namespace, String location, String region, String zone,
                       Capacity capacity) {

        public GeoPoint point() {
            return GeoPoint.parse(where(name) + ".location", location);
        }

        public static SiteBuilder builder() {
            return new SiteBuilder();
        }

        static String where(String name) {
            return "edgeVms.sites[" + name + "]";
        }

        void validate(Set<String> names) {
            String f = where(name);
            EdgeVmsSchema.rule(EdgeVmsSchema.SITE_NAME, f + ".name", name);
            if (!names.add("site/" + name)) {
                throw new InvalidInputException(f, "is defined twice");
            }
            EdgeVmsSchema.rule(EdgeVmsSchema.SITE_NAMESPACE, f + ".namespace", namespace);
            EdgeVmsSchema.rule(EdgeVmsSchema.SITE_LOCATION, f + ".location", location);
            if (capacity == null || capacity.cpu() == null || capacity.memory() == null || capacity.vms() == null) {
                throw new InvalidInputException(f, "must give cpu, memory and vms");
            }
            EdgeVmsSchema.rule(EdgeVmsSchema.SITE_CPU, f + ".cpu", capacity.cpu());
            EdgeVmsSchema.rule(EdgeVmsSchema.SITE_MEMORY, f + ".memory", capacity.memory());
            EdgeVmsSchema.rule(EdgeVmsSchema.SITE_VMS, f + ".vms", capacity.vms());
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
            return GeoPoint.parse(where(name) + ".location", location);
        }

        public JoinMethod method() {
            return JoinMethod.parse(where(name) + ".joinMethod", joinMethod);
        }

        public static EdgeClusterBuilder builder() {
            return new EdgeClusterBuilder();
        }

        static String where(String name) {
            return "edgeVms.edgeClusters[" + name + "]";
        }

        void validate(Set<String> names) {
            String f = where(name);
            EdgeVmsSchema.rule(EdgeVmsSchema.CLUSTER_NAME, f + ".name", name);
            if (!names.add("cluster/" + name)) {
                throw new InvalidInputException(f, "is defined twice");
            }
            EdgeVmsSchema.rule(EdgeVmsSchema.CLUSTER_LOCATION, f + ".location", location);
            EdgeVmsSchema.rule(EdgeVmsSchema.CLUSTER_MAX_NODES.required(), f + ".maxNodes", maxNodes);
            EdgeVmsSchema.rule(EdgeVmsSchema.CLUSTER_SERVER, f + ".server", server);
            method().checkCaHash(f + ".caCertHash", caCertHash);
        }
    }

    /**
     * How a new edge cluster (a new node group) is made when a request is exclusive or every edge cluster is full:
     * it is named {@code namePrefix-<site>-<n>}, lives in {@code cluster} and is joined like a configured one.
     */
    public record NewClusters(String namePrefix, String cluster, Integer maxNodes, String joinMethod, String server,
                              String tokenCredentialsId, String tokenFile, String caCertHash) {

        public static NewClustersBuilder builder() {
            return new NewClustersBuilder();
        }

        /** The settings of a new edge cluster named {@code name} at {@code location}, made from this template. */
        public EdgeCluster edgeCluster(String name, String location) {
            return EdgeCluster.builder().name(name).cluster(cluster).location(location).maxNodes(maxNodes)
                    .joinMethod(joinMethod).server(server).tokenCredentialsId(tokenCredentialsId).tokenFile(tokenFile)
                    .caCertHash(caCertHash).build();
        }

        void validate() {
            EdgeVmsSchema.rule(EdgeVmsSchema.NEW_CLUSTER_PREFIX.required(), "edgeVms.newClusterPrefix", namePrefix);
            EdgeVmsSchema.rule(EdgeVmsSchema.NEW_CLUSTER_MAX_NODES.required(), "edgeVms.newClusterMaxNodes",
                    maxNodes);
            EdgeVmsSchema.rule(EdgeVmsSchema.NEW_CLUSTER_SERVER.required(), "edgeVms.newClusterServer", server);
            JoinMethod.parse("edgeVms.newClusterJoinMethod", joinMethod)
                    .checkCaHash("edgeVms.newClusterCaCertHash", caCertHash);
        }
    }

    /** What one tenant may hold at once (running and idle VMs together). */
    public record TenantQuota(String tenant, Integer cpu, String memory, Integer vms) {

        public static TenantQuotaBuilder builder() {
            return new TenantQuotaBuilder();
        }

        void validate(Set<String> names) {
            String f = "edgeVms.quotas[" + tenant + "]";
            EdgeVmsSchema.rule(EdgeVmsSchema.QUOTA_TENANT, f + ".tenant", tenant);
            if (!names.add("quota/" + tenant)) {
                throw new InvalidInputException(f, "is defined twice");
            }
            EdgeVmsSchema.rule(EdgeVmsSchema.QUOTA_CPU, f + ".cpu", cpu);
            EdgeVmsSchema.rule(EdgeVmsSchema.QUOTA_MEMORY, f + ".memory", memory);
            EdgeVmsSchema.rule(EdgeVmsSchema.QUOTA_VMS, f + ".vms", vms);
        }
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
        return duration(EdgeVmsSchema.START_TIMEOUT, startTimeout);
    }

    public Duration joinTimeoutDuration() {
        return duration(EdgeVmsSchema.JOIN_TIMEOUT, joinTimeout);
    }

    /** How long a create waits for the node to join Ready before handing over to the sync loop. */
    public Duration waitTimeoutDuration() {
        return duration(EdgeVmsSchema.WAIT_TIMEOUT, waitTimeout);
    }

    public int maxAttemptsValue() {
        return maxAttempts == null ? EdgeVmsSchema.MAX_ATTEMPTS.defaultValue("edgeVms.maxAttempts").orElseThrow()
                : EdgeVmsSchema.rule(EdgeVmsSchema.MAX_ATTEMPTS, "edgeVms.maxAttempts", maxAttempts);
    }

    /** The value of a duration key, else its declared default. */
    private static Duration duration(Setting<String> key, String value) {
        String path = "edgeVms." + key.name();
        return Require.duration(path, value == null || value.isBlank() ? key.defaultText().orElseThrow() : value);
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

    /**
     * Checks every rule once (the declared rule of each key, {@link EdgeVmsSchema}, and the rules between keys), so
     * that a bad configuration fails before anything is planned or changed; an error names the key
     * ({@code edgeVms.sites[lisbon].namespace}).
     */
    public EdgeSettings validated() {
        Set<String> names = new HashSet<>();
        sites.forEach(s -> s.validate(names));
        edgeClusters.forEach(c -> c.validate(names));
        if (newClusters != null) {
            newClusters.validate();
        }
        quotas.forEach(q -> q.validate(names));
        startTimeoutDuration();
        joinTimeoutDuration();
        waitTimeoutDuration();
        maxAttemptsValue();
        EdgeVmsSchema.rule(EdgeVmsSchema.SCORING_LOAD_WEIGHT, "edgeVms.scoringLoadWeight", scoring.loadWeight());
        EdgeVmsSchema.rule(EdgeVmsSchema.SCORING_DISTANCE_WEIGHT, "edgeVms.scoringDistanceWeight",
                scoring.distanceWeight());
        EdgeVmsSchema.rule(EdgeVmsSchema.SCORING_DISTANCE_SCALE_KM, "edgeVms.scoringDistanceScaleKm",
                scoring.distanceScaleKm());
        return this;
    }

    /** Builds {@link EdgeSettings}; lists are added to item by item or set whole, a key left unset is absent. */
    public static final class Builder {
        private final List<Site> sites = new ArrayList<>();
        private final List<EdgeCluster> edgeClusters = new ArrayList<>();
        private final List<TenantQuota> quotas = new ArrayList<>();
        private NewClusters newClusters;
        private String startTimeout;
        private String joinTimeout;
        private String waitTimeout;
        private Integer maxAttempts;
        private Scoring scoring;

        private Builder() {
        }

        public Builder site(Site v) { sites.add(v); return this; }
        public Builder sites(List<Site> v) { sites.clear(); sites.addAll(v); return this; }
        public Builder edgeCluster(EdgeCluster v) { edgeClusters.add(v); return this; }
        public Builder edgeClusters(List<EdgeCluster> v) { edgeClusters.clear(); edgeClusters.addAll(v); return this; }
        public Builder quota(TenantQuota v) { quotas.add(v); return this; }
        public Builder quotas(List<TenantQuota> v) { quotas.clear(); quotas.addAll(v); return this; }
        public Builder newClusters(NewClusters v) { newClusters = v; return this; }
        public Builder startTimeout(String v) { startTimeout = v; return this; }
        public Builder joinTimeout(String v) { joinTimeout = v; return this; }
        public Builder waitTimeout(String v) { waitTimeout = v; return this; }
        public Builder maxAttempts(Integer v) { maxAttempts = v; return this; }
        public Builder scoring(Scoring v) { scoring = v; return this; }
        public Builder scoring(Double loadWeight, Double distanceWeight, Double distanceScaleKm) {
            scoring = new Scoring(loadWeight, distanceWeight, distanceScaleKm);
            return this;
        }

        public EdgeSettings build() {
            return new EdgeSettings(sites, edgeClusters, newClusters, quotas, startTimeout, joinTimeout, waitTimeout,
                    maxAttempts, scoring);
        }
    }

    /** Builds a {@link Site}. */
    public static final class SiteBuilder {
        private String name;
        private String cluster;
        private String namespace;
        private String location;
        private String region;
        private String zone;
        private Capacity capacity;

        private SiteBuilder() {
        }

        public SiteBuilder name(String v) { name = v; return this; }
        public SiteBuilder cluster(String v) { cluster = v; return this; }
        public SiteBuilder namespace(String v) { namespace = v; return this; }
        public SiteBuilder location(String v) { location = v; return this; }
        public SiteBuilder region(String v) { region = v; return this; }
        public SiteBuilder zone(String v) { zone = v; return this; }
        public SiteBuilder capacity(Integer cpu, String memory, Integer vms) {
            capacity = new Capacity(cpu, memory, vms);
            return this;
        }

        public Site build() {
            return new Site(name, cluster, namespace, location, region, zone, capacity);
        }
    }

    /** Builds an {@link EdgeCluster}. */
    public static final class EdgeClusterBuilder {
        private String name;
        private String cluster;
        private String location;
        private Integer maxNodes;
        private String joinMethod;
        private String server;
        private String tokenCredentialsId;
        private String tokenFile;
        private String caCertHash;

        private EdgeClusterBuilder() {
        }

        public EdgeClusterBuilder name(String v) { name = v; return this; }
        public EdgeClusterBuilder cluster(String v) { cluster = v; return this; }
        public EdgeClusterBuilder location(String v) { location = v; return this; }
        public EdgeClusterBuilder maxNodes(Integer v) { maxNodes = v; return this; }
        public EdgeClusterBuilder joinMethod(String v) { joinMethod = v; return this; }
        public EdgeClusterBuilder server(String v) { server = v; return this; }
        public EdgeClusterBuilder tokenCredentialsId(String v) { tokenCredentialsId = v; return this; }
        public EdgeClusterBuilder tokenFile(String v) { tokenFile = v; return this; }
        public EdgeClusterBuilder caCertHash(String v) { caCertHash = v; return this; }

        public EdgeCluster build() {
            return new EdgeCluster(name, cluster, location, maxNodes, joinMethod, server, tokenCredentialsId,
                    tokenFile, caCertHash);
        }
    }

    /** Builds the {@link NewClusters} template. */
    public static final class NewClustersBuilder {
        private String namePrefix;
        private String cluster;
        private Integer maxNodes;
        private String joinMethod;
        private String server;
        private String tokenCredentialsId;
        private String tokenFile;
        private String caCertHash;

        private NewClustersBuilder() {
        }

        public NewClustersBuilder namePrefix(String v) { namePrefix = v; return this; }
        public NewClustersBuilder cluster(String v) { cluster = v; return this; }
        public NewClustersBuilder maxNodes(Integer v) { maxNodes = v; return this; }
        public NewClustersBuilder joinMethod(String v) { joinMethod = v; return this; }
        public NewClustersBuilder server(String v) { server = v; return this; }
        public NewClustersBuilder tokenCredentialsId(String v) { tokenCredentialsId = v; return this; }
        public NewClustersBuilder tokenFile(String v) { tokenFile = v; return this; }
        public NewClustersBuilder caCertHash(String v) { caCertHash = v; return this; }

        public NewClusters build() {
            return new NewClusters(namePrefix, cluster, maxNodes, joinMethod, server, tokenCredentialsId, tokenFile,
                    caCertHash);
        }
    }

    /** Builds a {@link TenantQuota}. */
    public static final class TenantQuotaBuilder {
        private String tenant;
        private Integer cpu;
        private String memory;
        private Integer vms;

        private TenantQuotaBuilder() {
        }

        public TenantQuotaBuilder tenant(String v) { tenant = v; return this; }
        public TenantQuotaBuilder cpu(Integer v) { cpu = v; return this; }
        public TenantQuotaBuilder memory(String v) { memory = v; return this; }
        public TenantQuotaBuilder vms(Integer v) { vms = v; return this; }

        public TenantQuota build() {
            return new TenantQuota(tenant, cpu, memory, vms);
        }
    }
}
