package io.jenkins.plugins.kubeplatform.engine.edgevm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kubeplatform.engine.config.PlatformConfig;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.sections.ConfigSections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code edgeVms:} section read through its declaration, and older files that still load. */
class EdgeVmsSchemaTest {

    private static EdgeSettings edge(String yaml) {
        return EdgeSettings.from(PlatformConfig.parse("t.yaml", yaml));
    }

    @Test
    void fillsTheDeclaredDefaultsWhenSiteAndEdgeClusterFieldsAreMissingOrBlank() {
        EdgeSettings settings = edge("""
                edgeVms:
                  sites:
                    - {name: s, namespace: edge-s, location: "1,2", cpu: null, memory: ""}
                  edgeClusters:
                    - {name: e, location: "1,2", server: "https://e:6443", joinMethod: ""}
                """);

        assertThat(settings.sites()).containsExactly(EdgeSettings.Site.builder().name("s").namespace("edge-s")
                .location("1,2").capacity(16, "64Gi", 8).build());
        assertThat(settings.edgeClusters()).containsExactly(EdgeSettings.EdgeCluster.builder().name("e")
                .location("1,2").server("https://e:6443").maxNodes(8).joinMethod("k3s").build());
        assertThat(settings.startTimeout()).isEqualTo("10m");
        assertThat(settings.joinTimeout()).isEqualTo("5m");
        assertThat(settings.waitTimeout()).isEqualTo("15m");
        assertThat(settings.maxAttempts()).isEqualTo(3);
        assertThat(settings.newClusters()).isNull();
    }

    @Test
    void makesNewClustersWithTheirDefaultsOnlyWhenAPrefixIsGiven() {
        EdgeSettings withPrefix = edge("edgeVms: {newClusterPrefix: edge, newClusterServer: \"https://new:6443\"}\n");
        EdgeSettings blankPrefix = edge("edgeVms: {newClusterPrefix: \"\", newClusterServer: \"https://new:6443\"}\n");

        assertThat(withPrefix.newClusters()).isEqualTo(EdgeSettings.NewClusters.builder().namePrefix("edge")
                .server("https://new:6443").maxNodes(4).joinMethod("k3s").build());
        assertThat(blankPrefix.newClusters()).isNull();
        assertThat(edge("edgeVms: {sites: []}\n").newClusters()).isNull();
    }

    @Test
    void ignoresTheJenkinsOnlyKeysWhenTheCommandLineReadsThem() {
        EdgeSettings withJenkinsKeys = edge("""
                edgeVms:
                  syncEnabled: false
                  quotas: [{tenant: t, cpu: 1, memory: 1Gi, vms: 1, allowedJobs: "team-t"}]
                """);

        assertThat(withJenkinsKeys).isEqualTo(edge("edgeVms: {quotas: [{tenant: t, cpu: 1, memory: 1Gi, vms: 1}]}\n"));
        assertThat(withJenkinsKeys.quota("t")).contains(new EdgeSettings.TenantQuota("t", 1, "1Gi", 1));
    }

    @Test
    void namesTheKeyAndTheRuleWhenAValueIsBad() {
        assertThatThrownBy(() -> edge("edgeVms: {sites: [{name: lisbon, namespace: edge-l, location: \"1,2\", "
                + "memory: lots}]}\n")).isInstanceOf(InvalidInputException.class)
                .hasMessage("edgeVms.sites[lisbon].memory: must be a Kubernetes quantity such as 4Gi or 512Mi; "
                        + "got 'lots'");
        assertThatThrownBy(() -> edge("edgeVms: {sites: [{name: lisbon, location: \"1,2\"}]}\n"))
                .hasMessage("edgeVms.sites[lisbon].namespace: is required");
        assertThatThrownBy(() -> edge("edgeVms: {quotas: [{tenant: t, cpu: -1, memory: 1Gi, vms: 1}]}\n"))
                .hasMessage("edgeVms.quotas[t].cpu: must be between 0 and 1000000; got -1");
        assertThatThrownBy(() -> edge("edgeVms: {edgeClusters: [{name: e, location: north, server: s}]}\n"))
                .hasMessageStartingWith("edgeVms.edgeClusters[e].location: must be LATITUDE,LONGITUDE");
        assertThatThrownBy(() -> edge("edgeVms: {startTimeout: soon}\n"))
                .hasMessageStartingWith("edgeVms.startTimeout: must be a duration");
        assertThatThrownBy(() -> edge("edgeVms: {inventoryStore: etcd}\n"))
                .hasMessage("edgeVms.inventoryStore: must be 'file' or 'cluster'; got 'etcd'");
    }

    @Test
    void readsThePlacementScoreWeightsFromTheFlatKeys() {
        EdgeSettings weighted = edge("edgeVms: {scoringLoadWeight: 2, scoringDistanceWeight: \"0.5\", "
                + "scoringDistanceScaleKm: 300}\n");

        assertThat(weighted.scoring()).isEqualTo(new EdgeSettings.Scoring(2.0, 0.5, 300.0));
        assertThat(edge("edgeVms: {}\n").scoring()).isEqualTo(new EdgeSettings.Scoring(1.0, 1.0, 1000.0));
        assertThatThrownBy(() -> edge("edgeVms: {scoringDistanceScaleKm: 0}\n"))
                .hasMessage("edgeVms.scoringDistanceScaleKm: must be a number above 0; got '0'");
        assertThatThrownBy(() -> edge("edgeVms: {scoringLoadWeight: -1}\n"))
                .hasMessage("edgeVms.scoringLoadWeight: must be a number, 0 or more; got '-1'");
        assertThatThrownBy(() -> EdgeSettings.builder().scoring(new EdgeSettings.Scoring(1.0, -0.5, 10.0)).build()
                .validated()).hasMessage("edgeVms.scoringDistanceWeight: must be a number, 0 or more; got '-0.5'");
    }

    @Test
    void refusesAMisspelledKeyNamingItWhenTheCommandLineLoadsTheFile() {
        PlatformConfig config = PlatformConfig.parse("t.yaml", "edgeVms: {inventoryStor: cluster}\n");

        assertThatThrownBy(() -> ConfigSections.check(config)).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("edgeVms.inventoryStor: is not a key of section 'edgeVms'; did you mean "
                        + "'inventoryStore'?");
    }

    @Test
    void appliesTheRulesBetweenKeysWhateverBuiltTheSettings() {
        EdgeSettings.Site site = EdgeSettings.Site.builder().name("lisbon").namespace("edge-l").location("38.7,-9.1")
                .capacity(4, "8Gi", 2).build();
        EdgeSettings twice = EdgeSettings.builder().site(site).site(site).build();
        EdgeSettings kubeadmWithoutHash = EdgeSettings.builder().edgeCluster(EdgeSettings.EdgeCluster.builder()
                .name("e").location("1,2").maxNodes(2).joinMethod("kubeadm").server("https://e:6443").build()).build();
        EdgeSettings prefixWithoutServer = EdgeSettings.builder().newClusters(EdgeSettings.NewClusters.builder()
                .namePrefix("edge").maxNodes(4).joinMethod("k3s").build()).build();

        assertThatThrownBy(twice::validated).hasMessage("edgeVms.sites[lisbon]: is defined twice");
        assertThatThrownBy(kubeadmWithoutHash::validated)
                .hasMessageStartingWith("edgeVms.edgeClusters[e].caCertHash: is required for kubeadm joins");
        assertThatThrownBy(prefixWithoutServer::validated).hasMessage("edgeVms.newClusterServer: is required");
    }

    @Test
    void readsTheInventoryStoreFromTheSectionWithItsDefaults() {
        assertThat(InventoryStoreSettings.of(PlatformConfig.parse("t.yaml", "edgeVms: {}\n")))
                .isEqualTo(new InventoryStoreSettings(InventoryStoreSettings.Store.FILE, "kube-platform"));
        assertThat(InventoryStoreSettings.of(PlatformConfig.parse("t.yaml",
                "edgeVms: {inventoryStore: cluster, inventoryNamespace: vms}\n")))
                .isEqualTo(new InventoryStoreSettings(InventoryStoreSettings.Store.CLUSTER, "vms"));
        assertThat(InventoryStoreSettings.of(PlatformConfig.empty())).isEqualTo(InventoryStoreSettings.file());
    }

    /** A file of the previous version (before the section was declared) gives the same settings as before. */
    @Test
    void readsAFileOfThePreviousVersionAsBefore() {
        EdgeSettings old = edge("""
                edgeVms:
                  sites:
                    - {name: frankfurt, namespace: edge-frankfurt, location: "50.1109,8.6821", region: eu-central,
                       zone: eu-central-1a, cpu: 16, memory: 64Gi, vms: 8}
                  edgeClusters:
                    - {name: edge-par, location: "48.86,2.35", maxNodes: 4, joinMethod: kubeadm,
                       server: "https://edge-par.sim:6443", tokenCredentialsId: par-token, tokenFile: par.token,
                       caCertHash: "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}
                  newClusterPrefix: edge
                  newClusterMaxNodes: 2
                  newClusterServer: "https://edge-pool.sim:6443"
                  startTimeout: 20m
                  maxAttempts: 5
                  syncEnabled: true
                  inventoryStore: file
                  quotas:
                    - {tenant: demo, cpu: 8, memory: 16Gi, vms: 4, allowedJobs: ""}
                """);

        EdgeSettings expected = new EdgeSettings(
                List.of(new EdgeSettings.Site("frankfurt", null, "edge-frankfurt", "50.1109,8.6821", "eu-central",
                        "eu-central-1a", new EdgeSettings.Capacity(16, "64Gi", 8))),
                List.of(new EdgeSettings.EdgeCluster("edge-par", null, "48.86,2.35", 4, "kubeadm",
                        "https://edge-par.sim:6443", "par-token", "par.token",
                        "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")),
                new EdgeSettings.NewClusters("edge", null, 2, "k3s", "https://edge-pool.sim:6443", null, null, null),
                List.of(new EdgeSettings.TenantQuota("demo", 8, "16Gi", 4)), "20m", "5m", "15m", 5, null);
        assertThat(old).isEqualTo(expected);
    }

    /** The nested {@code edge:} section of still older files is bound as it is. */
    @Test
    void readsTheNestedEdgeSectionOfOlderFiles() {
        EdgeSettings nested = edge("""
                edge:
                  sites:
                    - {name: s, namespace: edge-s, location: "1,2", capacity: {cpu: 4, memory: 8Gi, vms: 2}}
                  newClusters: {namePrefix: edge, maxNodes: 3, joinMethod: k3s, server: "https://n:6443"}
                  quotas: [{tenant: t, cpu: 1, memory: 1Gi, vms: 1}]
                  scoring: {loadWeight: 2.0}
                """);

        assertThat(nested.site("s").orElseThrow().capacity()).isEqualTo(new EdgeSettings.Capacity(4, "8Gi", 2));
        assertThat(nested.newClusters().maxNodes()).isEqualTo(3);
        assertThat(nested.scoring()).isEqualTo(new EdgeSettings.Scoring(2.0, 1.0, 1000.0));
        assertThat(nested.startTimeoutDuration()).hasMinutes(10);
    }
}
