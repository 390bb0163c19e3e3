package io.jenkins.plugins.kubeplatform.engine.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The mapping of the Jenkins Configuration as Code shape onto the internal sections, read on the internal tree
 * ({@link PlatformConfig#raw}): which flat fields are nested where, which text lists are split, which Jenkins form
 * defaults fill a missing or blank field.
 */
class CascShapeMappingTest {

    @Test
    void readsTheLedgerFieldsWithTheDeclarationWhenStickyIpNamesThem() {
        PlatformConfig config = PlatformConfig.parse("t.yaml", """
                stickyIp:
                  cluster: edge-a
                  ledgerStore: cluster
                  ledgerNamespace: kube-ledger
                """);

        io.jenkins.plugins.kubeplatform.engine.stickyip.LedgerSettings ledger =
                io.jenkins.plugins.kubeplatform.engine.stickyip.LedgerSettings.of(config);
        assertThat(ledger.store()).isEqualTo(io.jenkins.plugins.kubeplatform.engine.stickyip.LedgerSettings.Store.CLUSTER);
        assertThat(ledger.namespace()).isEqualTo("kube-ledger");
        assertThat(ledger.cluster()).contains("edge-a");
    }

    @Test
    void takesTheFileLedgerWhenStickyIpHasOnlyPools() {
        PlatformConfig config = PlatformConfig.parse("t.yaml", "stickyIp: {pools: [{name: p, ranges: 10.0.0.0/30}]}\n");

        assertThat(io.jenkins.plugins.kubeplatform.engine.stickyip.LedgerSettings.of(config))
                .isEqualTo(io.jenkins.plugins.kubeplatform.engine.stickyip.LedgerSettings.file());
        assertThat(io.jenkins.plugins.kubeplatform.engine.stickyip.StickyIpConfig.pools(config)).containsOnlyKeys("p");
    }

    @Test
    void acceptsASectionWhenItIsGivenAsNull() {
        PlatformConfig config = PlatformConfig.parse("t.yaml", "stickyIp: null\nkubePlatform:\n  clusters:\n    - {name: a, serverUrl: \"https://a:6443\"}\n");

        assertThat(config.clusters()).extracting(ClusterSettings::name).containsExactly("a");
        assertThat(io.jenkins.plugins.kubeplatform.engine.stickyip.StickyIpConfig.pools(config)).isEmpty();
    }

    @Test
    void splitsTextListsWithoutEmptyItemsWhenSeparatorsLeadOrRepeat() {
        PlatformConfig config = PlatformConfig.parse("t.yaml", """
                stickyIp:
                  pools:
                    - {name: p, ranges: ", 10.0.0.0/30,, 10.0.1.1 ", keepNamespaces: " x ,y"}
                domains:
                  managedNamespaces: " team-a,  team-b"
                """);

        io.jenkins.plugins.kubeplatform.engine.stickyip.PoolSettings pool = io.jenkins.plugins.kubeplatform.engine.stickyip
                .StickyIpSchema.poolSettings(config.raw("stickyIp")).get(0);
        assertThat(pool.ranges()).containsExactly("10.0.0.0/30", "10.0.1.1");
        assertThat(pool.keepNamespaces()).containsExactly("x", "y");
        assertThat(io.jenkins.plugins.kubeplatform.engine.expose.DomainsSchema.settings(config.raw("domains")).managedNamespaces()).containsExactly("team-a", "team-b");
    }

    @Test
    void readsTheTlsAndGatewayFieldsAndTakesBlankOnesAsLeftOutWhenDomainsGivesThemFlat() {
        PlatformConfig config = PlatformConfig.parse("t.yaml", """
                domains:
                  suffix: apps.example.com
                  tlsSecretName: wildcard
                  clusterIssuer: letsencrypt
                  issuer: ""
                  gatewayNamespace: ""
                  gatewayName: main
                """);

        io.jenkins.plugins.kubeplatform.engine.expose.ExposeSettings domains = io.jenkins.plugins.kubeplatform.engine.expose.DomainsSchema.settings(config.raw("domains"));
        assertThat(domains.tls()).isEqualTo(new io.jenkins.plugins.kubeplatform.engine.expose.ExposeSettings.Tls("wildcard",
                "letsencrypt", null));
        assertThat(domains.gateway()).isEqualTo(new io.jenkins.plugins.kubeplatform.engine.expose.ExposeSettings.Gateway(
                "gateway-system", "main", null));
    }

    @Test
    void readsTheNestedDomainBlocksWhenTheFileWasWrittenBeforeTheUnifiedSchema() {
        PlatformConfig config = PlatformConfig.parse("t.yaml", """
                domains:
                  gateway: {namespace: gw, name: main}
                  tls: {secretName: wildcard}
                  nginx: {confDir: /etc/nginx/kp.d}
                """);

        JsonNode domains = config.raw("domains");
        assertThat(domains.path("gateway").path("namespace").asText()).isEqualTo("gw");
        assertThat(domains.path("tls").path("secretName").asText()).isEqualTo("wildcard");
        assertThat(domains.path("nginx").path("confDir").asText()).isEqualTo("/etc/nginx/kp.d");
    }

    @Test
    void dropsTheJenkinsOnlyKeysWhenMappingDomains() {
        PlatformConfig config = PlatformConfig.parse("t.yaml", """
                domains: {suffix: a.example.com, syncEnabled: true, syncCluster: c, suffixAllowedJobs: "x"}
                """);

        assertThat(io.jenkins.plugins.kubeplatform.engine.expose.DomainsSchema.settings(config.raw("domains")).validated()).isEqualTo(io.jenkins.plugins.kubeplatform.engine.expose.DomainsSchema.settings(
                PlatformConfig.parse("u.yaml", "domains: {suffix: a.example.com}\n").raw("domains")).validated());
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
