package io.jenkins.plugins.kubeplatform.edgevm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.edgevm.EdgeSettings;
import io.jenkins.plugins.kubeplatform.engine.edgevm.InventoryStoreSettings;
import io.jenkins.plugins.kubeplatform.engine.edgevm.JoinMethod;
import java.util.List;
import org.junit.jupiter.api.Test;

class EdgeConfigTest {

    static EdgeSettings settings(EdgeSiteConfig site, EdgeClusterConfig cluster, TenantQuotaConfig quota) {
        EdgeVmConfiguration form = DetachedEdgeVmConfiguration.create();
        form.setSites(List.of(site));
        form.setEdgeClusters(List.of(cluster));
        form.setQuotas(List.of(quota));
        return form.toSettings().validated();
    }

    @Test
    void mapsTheFormsToValidEngineSettings() {
        EdgeSiteConfig site = new EdgeSiteConfig("paris", "edge-paris", "48.8566,2.3522");
        site.setCpu(32);
        site.setMemory("128Gi");
        EdgeClusterConfig cluster = new EdgeClusterConfig("edge-par", "48.86,2.35", "https://edge-par.example:6443");
        cluster.setJoinMethod("kubeadm");
        cluster.setCaCertHash("sha256:" + "ab".repeat(32));
        cluster.setTokenCredentialsId("edge-token");

        EdgeSettings settings = settings(site, cluster, new TenantQuotaConfig("demo", 8, "16Gi", 4));

        assertThat(settings.site("paris").orElseThrow().capacity().cpu()).isEqualTo(32);
        assertThat(settings.edgeCluster("edge-par").orElseThrow().method()).isEqualTo(JoinMethod.KUBEADM);
        assertThat(settings.edgeCluster("edge-par").orElseThrow().tokenCredentialsId()).isEqualTo("edge-token");
        assertThat(settings.quota("demo").orElseThrow().vms()).isEqualTo(4);
    }

    @Test
    void refusesAKubeadmClusterWithoutCaHash() {
        EdgeClusterConfig cluster = new EdgeClusterConfig("edge-par", "48.86,2.35", "https://edge-par.example:6443");
        cluster.setJoinMethod("kubeadm");

        assertThatThrownBy(() -> settings(new EdgeSiteConfig("paris", "edge-paris", "48.8566,2.3522"), cluster,
                new TenantQuotaConfig("demo", 8, "16Gi", 4)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("edgeVms.edgeClusters[edge-par].caCertHash: is required for kubeadm joins");
    }

    @Test
    void namesTheItemAndTheKeyWhenASiteFieldBreaksItsDeclaredRule() {
        EdgeSiteConfig lisbon = new EdgeSiteConfig("lisbon", "edge-lisbon", "38.72,-9.14");
        lisbon.setMemory("lots");

        assertThatThrownBy(() -> settings(lisbon, new EdgeClusterConfig("edge-lis", "38.7,-9.1", "https://l:6443"),
                new TenantQuotaConfig("demo", 8, "16Gi", 4))).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("edgeVms.sites[lisbon].memory: must be a Kubernetes quantity");
    }

    /** A new item's view, its persisted field and the CLI start from the same declared default. */
    @Test
    void offersTheDeclaredDefaultsWhenTheViewShowsANewItem() {
        EdgeSiteConfig site = new EdgeSiteConfig("s", "edge-s", "1,2");
        EdgeClusterConfig cluster = new EdgeClusterConfig("e", "1,2", "https://e:6443");

        assertThat(new EdgeSiteConfig.DescriptorImpl().defaultOf("memory")).isEqualTo(site.getMemory())
                .isEqualTo("64Gi");
        assertThat(new EdgeSiteConfig.DescriptorImpl().defaultOf("cpu")).isEqualTo(String.valueOf(site.getCpu()))
                .isEqualTo("16");
        assertThat(new EdgeClusterConfig.DescriptorImpl().defaultOf("maxNodes"))
                .isEqualTo(String.valueOf(cluster.getMaxNodes())).isEqualTo("8");
        assertThat(new EdgeClusterConfig.DescriptorImpl().defaultOf("joinMethod")).isEqualTo(cluster.getJoinMethod())
                .isEqualTo("k3s");
    }

    /** An EdgeVmConfiguration.xml as the previous version saved it (before the section was declared) loads as before. */
    @Test
    void readsAConfigurationSavedByThePreviousVersion() {
        EdgeVmConfiguration saved = (EdgeVmConfiguration) io.jenkins.plugins.kubeplatform.common.JenkinsXStream.create()
                .fromXML(SAVED_XML);

        EdgeSettings settings = saved.toSettings().validated();

        assertThat(settings.site("paris")).contains(new EdgeSettings.Site("paris", null, "edge-paris",
                "48.8566,2.3522", "eu-west", null, new EdgeSettings.Capacity(16, "64Gi", 8)));
        assertThat(settings.edgeCluster("edge-par")).contains(new EdgeSettings.EdgeCluster("edge-par", null,
                "48.86,2.35", 4, "k3s", "https://edge-par.sim:6443", "par-token", null, null));
        assertThat(settings.newClusters()).isEqualTo(new EdgeSettings.NewClusters("edge", null, 4, "k3s",
                "https://edge-pool.sim:6443", null, null, null));
        assertThat(settings.quota("demo")).contains(new EdgeSettings.TenantQuota("demo", 8, "16Gi", 4));
        assertThat(settings.startTimeout()).isEqualTo("20m");
        assertThat(settings.maxAttempts()).isEqualTo(3);
        assertThat(saved.inventorySettings()).isEqualTo(InventoryStoreSettings.file());
        assertThat(saved.tenantAllowedJobs("demo")).isEqualTo("team-a/*");
    }

    static final String SAVED_XML = """
            <io.jenkins.plugins.kubeplatform.edgevm.EdgeVmConfiguration>
              <sites>
                <io.jenkins.plugins.kubeplatform.edgevm.EdgeSiteConfig>
                  <name>paris</name>
                  <namespace>edge-paris</namespace>
                  <location>48.8566,2.3522</location>
                  <cluster></cluster>
                  <region>eu-west</region>
                  <zone></zone>
                  <cpu>16</cpu>
                  <memory>64Gi</memory>
                  <vms>8</vms>
                </io.jenkins.plugins.kubeplatform.edgevm.EdgeSiteConfig>
              </sites>
              <edgeClusters>
                <io.jenkins.plugins.kubeplatform.edgevm.EdgeClusterConfig>
                  <name>edge-par</name>
                  <location>48.86,2.35</location>
                  <server>https://edge-par.sim:6443</server>
                  <cluster></cluster>
                  <maxNodes>4</maxNodes>
                  <joinMethod>k3s</joinMethod>
                  <tokenCredentialsId>par-token</tokenCredentialsId>
                  <caCertHash></caCertHash>
                </io.jenkins.plugins.kubeplatform.edgevm.EdgeClusterConfig>
              </edgeClusters>
              <quotas>
                <io.jenkins.plugins.kubeplatform.edgevm.TenantQuotaConfig>
                  <tenant>demo</tenant>
                  <cpu>8</cpu>
                  <memory>16Gi</memory>
                  <vms>4</vms>
                  <allowedJobs>team-a/*</allowedJobs>
                </io.jenkins.plugins.kubeplatform.edgevm.TenantQuotaConfig>
              </quotas>
              <newClusterPrefix>edge</newClusterPrefix>
              <newClusterCluster></newClusterCluster>
              <newClusterMaxNodes>4</newClusterMaxNodes>
              <newClusterJoinMethod>k3s</newClusterJoinMethod>
              <newClusterServer>https://edge-pool.sim:6443</newClusterServer>
              <newClusterTokenCredentialsId></newClusterTokenCredentialsId>
              <newClusterCaCertHash></newClusterCaCertHash>
              <startTimeout>20m</startTimeout>
              <joinTimeout>5m</joinTimeout>
              <waitTimeout>15m</waitTimeout>
              <maxAttempts>3</maxAttempts>
              <syncEnabled>true</syncEnabled>
            </io.jenkins.plugins.kubeplatform.edgevm.EdgeVmConfiguration>
            """;
}
