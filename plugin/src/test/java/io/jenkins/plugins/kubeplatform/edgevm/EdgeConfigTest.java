package io.jenkins.plugins.kubeplatform.edgevm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kubeplatform.core.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

class EdgeConfigTest {

    static EdgeSettings settings(EdgeSiteConfig site, EdgeClusterConfig cluster, TenantQuotaConfig quota) {
        return new EdgeSettings(List.of(site.toSite()), List.of(cluster.toEdgeCluster()), null, List.of(quota.toQuota()),
                "10m", "5m", "15m", 3, null).validated();
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
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("caCertHash");
    }
}
