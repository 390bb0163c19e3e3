package io.jenkins.plugins.kubeplatform.engine.edgevm;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.core.Require;
import io.jenkins.plugins.kubeplatform.engine.schema.SectionValues;
import io.jenkins.plugins.kubeplatform.engine.schema.Setting;
import io.jenkins.plugins.kubeplatform.engine.schema.SettingsSection;
import java.util.List;

/**
 * The {@code edgeVms:} section declared once: every key of the section, of its sites, edge clusters and tenant quotas,
 * with its type, rule, default and meaning. The CLI loader, the Jenkins forms ({@code EdgeVmConfiguration},
 * {@code EdgeSiteConfig}, {@code EdgeClusterConfig}, {@code TenantQuotaConfig}), the engine's {@link EdgeSettings} and
 * {@link InventoryStoreSettings}, and the tables in docs/configuration.md are derived from these declarations;
 * {@link EdgeSettings#validated()} applies the same rules (and the rules between keys) to settings however they were
 * built.
 *
 * <p>An empty section ({@code edgeVms:}, {@code edgeVms: ~}, {@code edgeVms: {}}) means the defaults: an edge
 * configuration with no sites, edge clusters or quotas. Edge VMs are "not configured" only when the section is absent.
 */
public final class EdgeVmsSchema {

    static final int MAX_AMOUNT = 1_000_000;
    static final int MAX_NODES = 100_000;

    public static final Setting<String> SITE_NAME = Setting.dnsLabel("name", null, 63,
            "Site name, as a step's `site` names it; unique among the sites").required();
    public static final Setting<String> SITE_NAMESPACE = Setting.dnsLabel("namespace", null, 63,
            "Namespace of the site's KubeVirt VMs").required();
    public static final Setting<String> SITE_LOCATION = location("Where the site is, for placement by distance")
            .required();
    public static final Setting<String> SITE_CLUSTER = Setting.text("cluster", null,
            "The cluster connection running KubeVirt for this site; none: the default cluster");
    public static final Setting<String> SITE_REGION = Setting.text("region", null,
            "Region of the site: a request with a region but no location prefers its sites");
    public static final Setting<String> SITE_ZONE = Setting.text("zone", null,
            "Zone of the site: a request with a zone but no location prefers its sites (before region)");
    public static final Setting<Integer> SITE_CPU = Setting.integer("cpu", 16, 1, MAX_AMOUNT,
            "vCPUs the site hosts in total");
    public static final Setting<String> SITE_MEMORY = memory("memory", "64Gi", "Memory the site hosts in total");
    public static final Setting<Integer> SITE_VMS = Setting.integer("vms", 8, 1, MAX_AMOUNT,
            "VMs the site hosts at most, running and idle together");

    /** The items of {@code edgeVms.sites}. */
    public static final SettingsSection SITE = new SettingsSection("edgeVms.sites[]", List.of(SITE_NAME,
            SITE_NAMESPACE, SITE_LOCATION, SITE_CLUSTER, SITE_REGION, SITE_ZONE, SITE_CPU, SITE_MEMORY, SITE_VMS));

    public static final Setting<String> CLUSTER_NAME = Setting.dnsLabel("name", null, 63,
            "Edge cluster name: the node label `kubeplatform.jenkins.io/edge-cluster` (and OpenYurt NodePool) of its "
                    + "nodes; unique among the edge clusters").required();
    public static final Setting<String> CLUSTER_LOCATION = location("Where the edge cluster is, for the distance "
            + "score").required();
    public static final Setting<String> CLUSTER_SERVER = Setting.text("server", null,
            "API server URL the VMs join").required();
    public static final Setting<String> CLUSTER_CLUSTER = Setting.text("cluster", null,
            "The cluster connection the nodes register in; none: the default cluster");
    public static final Setting<Integer> CLUSTER_MAX_NODES = Setting.integer("maxNodes", 8, 1, MAX_NODES,
            "Nodes the edge cluster takes before it counts as full (its load is nodes / maxNodes)");
    public static final Setting<String> CLUSTER_JOIN_METHOD = joinMethod("joinMethod",
            "How VMs join: `k3s`, `kubeadm` or `openyurt`");
    public static final Setting<String> CLUSTER_TOKEN_CREDENTIALS_ID = Setting.text("tokenCredentialsId", null,
            "Secret text credential holding the join token").only(Setting.Scope.JENKINS);
    public static final Setting<String> CLUSTER_TOKEN_FILE = Setting.text("tokenFile", null,
            "File holding the join token, relative to the configuration file").only(Setting.Scope.CLI);
    public static final Setting<String> CLUSTER_CA_CERT_HASH = Setting.text("caCertHash", null,
            "`sha256:<64 hex digits>` of the control plane's CA; required for `kubeadm` and `openyurt` joins");

    /** The items of {@code edgeVms.edgeClusters}. */
    public static final SettingsSection EDGE_CLUSTER = new SettingsSection("edgeVms.edgeClusters[]", List.of(
            CLUSTER_NAME, CLUSTER_LOCATION, CLUSTER_SERVER, CLUSTER_CLUSTER, CLUSTER_MAX_NODES, CLUSTER_JOIN_METHOD,
            CLUSTER_TOKEN_CREDENTIALS_ID, CLUSTER_TOKEN_FILE, CLUSTER_CA_CERT_HASH));

    public static final Setting<String> QUOTA_TENANT = Setting.dnsLabel("tenant", null, 63,
            "Tenant name, as a step's `tenant` names it; unique among the quotas").required();
    public static final Setting<Integer> QUOTA_CPU = Setting.integer("cpu", null, 0, MAX_AMOUNT,
            "vCPUs the tenant's VMs may hold at once (running and idle)").required();
    public static final Setting<String> QUOTA_MEMORY = memory("memory", null,
            "Memory the tenant's VMs may hold at once").required();
    public static final Setting<Integer> QUOTA_VMS = Setting.integer("vms", null, 0, MAX_AMOUNT,
            "VMs the tenant may hold at once").required();
    public static final Setting<String> QUOTA_ALLOWED_JOBS = Setting.text("allowedJobs", "",
            "Folders and jobs that may run VMs for the tenant, one per line; empty: every job")
            .only(Setting.Scope.JENKINS);

    /** The items of {@code edgeVms.quotas}. */
    public static final SettingsSection QUOTA = new SettingsSection("edgeVms.quotas[]", List.of(QUOTA_TENANT,
            QUOTA_CPU, QUOTA_MEMORY, QUOTA_VMS, QUOTA_ALLOWED_JOBS));

    public static final Setting<List<SectionValues>> SITES = Setting.items("sites", SITE,
            "Edge sites: namespaces of clusters running KubeVirt that host the VMs");
    public static final Setting<List<SectionValues>> EDGE_CLUSTERS = Setting.items("edgeClusters", EDGE_CLUSTER,
            "Edge clusters: node groups the VMs join as nodes");
    public static final Setting<List<SectionValues>> QUOTAS = Setting.items("quotas", QUOTA,
            "Tenant quotas; a tenant without one cannot create VMs");
    public static final Setting<String> NEW_CLUSTER_PREFIX = Setting.dnsLabel("newClusterPrefix", null, 63,
            "New edge clusters are named `<prefix>-<site>-<n>`; none: no new edge clusters are made (exclusive "
                    + "requests and full fleets fail)");
    public static final Setting<String> NEW_CLUSTER_CLUSTER = Setting.text("newClusterCluster", null,
            "The cluster connection new edge clusters' nodes register in; none: the default cluster");
    public static final Setting<Integer> NEW_CLUSTER_MAX_NODES = Setting.integer("newClusterMaxNodes", 4, 1,
            MAX_NODES, "Nodes a new edge cluster takes at most");
    public static final Setting<String> NEW_CLUSTER_JOIN_METHOD = joinMethod("newClusterJoinMethod",
            "How VMs join a new edge cluster");
    public static final Setting<String> NEW_CLUSTER_SERVER = Setting.text("newClusterServer", null,
            "API server URL new edge clusters' VMs join; required with `newClusterPrefix`");
    public static final Setting<String> NEW_CLUSTER_TOKEN_CREDENTIALS_ID = Setting.text(
            "newClusterTokenCredentialsId", null, "Secret text credential holding new edge clusters' join token")
            .only(Setting.Scope.JENKINS);
    public static final Setting<String> NEW_CLUSTER_TOKEN_FILE = Setting.text("newClusterTokenFile", null,
            "File holding new edge clusters' join token, relative to the configuration file").only(Setting.Scope.CLI);
    public static final Setting<String> NEW_CLUSTER_CA_CERT_HASH = Setting.text("newClusterCaCertHash", null,
            "CA hash for `kubeadm` and `openyurt` joins of new edge clusters");
    public static final Setting<String> START_TIMEOUT = durationText("startTimeout", "10m",
            "How long a VM may stay missing or not running before the state sync recreates it");
    public static final Setting<String> JOIN_TIMEOUT = durationText("joinTimeout", "5m",
            "How long a Running VM may be without a Ready node before the state sync restarts it");
    public static final Setting<String> WAIT_TIMEOUT = durationText("waitTimeout", "15m",
            "How long a create waits for the node to join Ready; the state sync takes over after that");
    public static final Setting<Integer> MAX_ATTEMPTS = Setting.integer("maxAttempts", 3, 1, 100,
            "How often the state sync recreates a VM in one failure episode before it marks the VM FAILED");
    public static final Setting<Double> SCORING_LOAD_WEIGHT = number("scoringLoadWeight", "1", false,
            "Placement score: weight of an edge cluster's load (nodes / maxNodes); lower scores win");
    public static final Setting<Double> SCORING_DISTANCE_WEIGHT = number("scoringDistanceWeight", "1", false,
            "Placement score: weight of the distance from the site (km / scoringDistanceScaleKm)");
    public static final Setting<Double> SCORING_DISTANCE_SCALE_KM = number("scoringDistanceScaleKm", "1000", true,
            "Placement score: the distance in km that weighs as much as a full edge cluster");
    public static final Setting<Boolean> SYNC_ENABLED = Setting.flag("syncEnabled", true,
            "Run the edge VM state sync every minute").only(Setting.Scope.JENKINS);
    public static final Setting<InventoryStoreSettings.Store> INVENTORY_STORE = Setting.choice("inventoryStore",
            InventoryStoreSettings.Store.class, InventoryStoreSettings.Store.FILE,
            "Where the VM inventory lives: a file in the state directory (one controller) or ConfigMaps in the "
                    + "default cluster (shared)");
    public static final Setting<String> INVENTORY_NAMESPACE = Setting.dnsLabel("inventoryNamespace",
            InventoryStoreSettings.DEFAULT_NAMESPACE, 63, "Namespace of the cluster inventory's ConfigMaps");

    /** The {@code edgeVms:} section. */
    public static final SettingsSection SECTION = new SettingsSection("edgeVms", List.of(SITES, EDGE_CLUSTERS,
            QUOTAS, NEW_CLUSTER_PREFIX, NEW_CLUSTER_CLUSTER, NEW_CLUSTER_MAX_NODES, NEW_CLUSTER_JOIN_METHOD,
            NEW_CLUSTER_SERVER, NEW_CLUSTER_TOKEN_CREDENTIALS_ID, NEW_CLUSTER_TOKEN_FILE, NEW_CLUSTER_CA_CERT_HASH,
            START_TIMEOUT, JOIN_TIMEOUT, WAIT_TIMEOUT, MAX_ATTEMPTS, SCORING_LOAD_WEIGHT, SCORING_DISTANCE_WEIGHT,
            SCORING_DISTANCE_SCALE_KM, SYNC_ENABLED, INVENTORY_STORE, INVENTORY_NAMESPACE));

    private EdgeVmsSchema() {
    }

    /**
     * The settings of an {@code edgeVms:} mapping (missing, null or empty: the defaults, no sites); a bad value or
     * unknown key is an input error naming {@code edgeVms.<key>} or {@code edgeVms.sites[<name>].<key>}. The rules
     * between keys are checked by {@link EdgeSettings#validated()}.
     */
    public static EdgeSettings settings(JsonNode section) {
        SectionValues v = SECTION.read(SECTION.path(), section);
        EdgeSettings.Builder b = EdgeSettings.builder()
                .startTimeout(v.get(START_TIMEOUT))
                .joinTimeout(v.get(JOIN_TIMEOUT))
                .waitTimeout(v.get(WAIT_TIMEOUT))
                .maxAttempts(v.get(MAX_ATTEMPTS))
                .scoring(v.get(SCORING_LOAD_WEIGHT), v.get(SCORING_DISTANCE_WEIGHT), v.get(SCORING_DISTANCE_SCALE_KM));
        v.given(NEW_CLUSTER_PREFIX).ifPresent(prefix -> b.newClusters(EdgeSettings.NewClusters.builder()
                .namePrefix(prefix)
                .cluster(v.given(NEW_CLUSTER_CLUSTER).orElse(null))
                .maxNodes(v.get(NEW_CLUSTER_MAX_NODES))
                .joinMethod(v.get(NEW_CLUSTER_JOIN_METHOD))
                .server(v.given(NEW_CLUSTER_SERVER).orElse(null))
                .tokenCredentialsId(v.given(NEW_CLUSTER_TOKEN_CREDENTIALS_ID).orElse(null))
                .tokenFile(v.given(NEW_CLUSTER_TOKEN_FILE).orElse(null))
                .caCertHash(v.given(NEW_CLUSTER_CA_CERT_HASH).orElse(null))
                .build()));
        for (SectionValues s : v.given(SITES).orElse(List.of())) {
            b.site(site(s));
        }
        for (SectionValues c : v.given(EDGE_CLUSTERS).orElse(List.of())) {
            b.edgeCluster(edgeCluster(c));
        }
        for (SectionValues q : v.given(QUOTAS).orElse(List.of())) {
            b.quota(EdgeSettings.TenantQuota.builder().tenant(q.get(QUOTA_TENANT)).cpu(q.get(QUOTA_CPU))
                    .memory(q.get(QUOTA_MEMORY)).vms(q.get(QUOTA_VMS)).build());
        }
        return b.build();
    }

    private static EdgeSettings.Site site(SectionValues s) {
        return EdgeSettings.Site.builder()
                .name(s.get(SITE_NAME))
                .cluster(s.given(SITE_CLUSTER).orElse(null))
                .namespace(s.get(SITE_NAMESPACE))
                .location(s.get(SITE_LOCATION))
                .region(s.given(SITE_REGION).orElse(null))
                .zone(s.given(SITE_ZONE).orElse(null))
                .capacity(s.get(SITE_CPU), s.get(SITE_MEMORY), s.get(SITE_VMS))
                .build();
    }

    private static EdgeSettings.EdgeCluster edgeCluster(SectionValues c) {
        return EdgeSettings.EdgeCluster.builder()
                .name(c.get(CLUSTER_NAME))
                .cluster(c.given(CLUSTER_CLUSTER).orElse(null))
                .location(c.get(CLUSTER_LOCATION))
                .maxNodes(c.get(CLUSTER_MAX_NODES))
                .joinMethod(c.get(CLUSTER_JOIN_METHOD))
                .server(c.get(CLUSTER_SERVER))
                .tokenCredentialsId(c.given(CLUSTER_TOKEN_CREDENTIALS_ID).orElse(null))
                .tokenFile(c.given(CLUSTER_TOKEN_FILE).orElse(null))
                .caCertHash(c.given(CLUSTER_CA_CERT_HASH).orElse(null))
                .build();
    }

    /** Where the inventory lives, from an {@code edgeVms:} mapping (missing, null or empty: the file store). */
    public static InventoryStoreSettings inventory(JsonNode section) {
        SectionValues v = SECTION.read(SECTION.path(), section);
        return new InventoryStoreSettings(v.get(INVENTORY_STORE), v.get(INVENTORY_NAMESPACE));
    }

    /**
     * The value of {@code setting} at {@code path} checked by its declared rule: null or blank is "not given" (an
     * input error when the key is required), anything else is parsed as its text.
     */
    static <T> T rule(Setting<T> setting, String path, Object value) {
        if (value == null || value.toString().isBlank()) {
            if (setting.isRequired()) {
                throw new InvalidInputException(path, "is required");
            }
            return null;
        }
        return setting.parse(path, value.toString());
    }

    private static Setting<String> location(String doc) {
        return Setting.of("location", "LATITUDE,LONGITUDE", null, doc + " (decimal degrees, `50.11,8.68`)",
                (path, text) -> {
                    GeoPoint.parse(path, text);
                    return text.trim();
                });
    }

    private static Setting<String> memory(String name, String defaultText, String doc) {
        return Setting.of(name, "Kubernetes quantity", defaultText, doc + " (`64Gi`, `512Mi`)", (path, text) -> {
            Quantities.mebibytes(path, text.trim());
            return text.trim();
        });
    }

    private static Setting<String> joinMethod(String name, String doc) {
        return Setting.of(name, "`k3s` or `kubeadm` or `openyurt`", JoinMethod.K3S.id(), doc, (path, text) -> {
            JoinMethod.parse(path, text);
            return text.trim();
        });
    }

    private static Setting<Double> number(String name, String defaultText, boolean positive, String doc) {
        String rule = positive ? "a number above 0" : "a number, 0 or more";
        return Setting.of(name, positive ? "number above 0" : "number, 0 or more", defaultText, doc, (path, text) -> {
            try {
                double value = Double.parseDouble(text.trim());
                if (Double.isFinite(value) && (positive ? value > 0 : value >= 0)) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new InvalidInputException(path, "must be " + rule + "; got '" + Require.printable(text) + "'");
        });
    }

    private static Setting<String> durationText(String name, String defaultText, String doc) {
        return Setting.of(name, "duration", defaultText, doc, (path, text) -> {
            Require.duration(path, text.trim());
            return text.trim();
        });
    }
}
