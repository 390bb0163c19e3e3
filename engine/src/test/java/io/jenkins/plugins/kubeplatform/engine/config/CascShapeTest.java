package io.jenkins.plugins.kubeplatform.engine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.edgevm.EdgeSettings;
import io.jenkins.plugins.kubeplatform.engine.expose.ExposeSettings;
import io.jenkins.plugins.kubeplatform.engine.repair.RepairSettings;
import io.jenkins.plugins.kubeplatform.engine.stickyip.StickyIpConfig;
import org.junit.jupiter.api.Test;

class CascShapeTest {

    @Test
    void readsTheJenkinsFormShapeWhenSectionsUseTheJcascSymbols() {
        PlatformConfig config = PlatformConfig.parse("test", """
                kubePlatform:
                  defaultCluster: b
                  clusters:
                    - {name: a, serverUrl: "https://a:6443", context: ignored-by-the-cli}
                    - {name: b, serverUrl: "https://b:6443", credentialsId: jenkins-only, tokenFile: b.token}
                stickyIp:
                  cluster: b
                  pools:
                    - {name: p, ranges: "10.0.0.0/30, 10.0.1.1", exclude: "10.0.0.1", keepNamespaces: "x y"}
                domains:
                  gatewayNamespace: gw
                  gatewayName: main
                  nginxConfDir: /etc/nginx/kp.d
                  nginxListen: "8080"
                  syncEnabled: true
                repair:
                  faultConditions: "A, B"
                edgeVms:
                  sites:
                    - {name: s, namespace: edge-s, location: "1,2", cpu: 4, memory: 8Gi, vms: 2}
                  edgeClusters:
                    - {name: e, location: "1,2", server: "https://e:6443", tokenFile: t}
                  newClusterPrefix: ""
                  newClusterServer: "https://ignored:6443"
                  quotas:
                    - {tenant: t, cpu: 4, memory: 8Gi, vms: 2}
                """);

        assertThat(config.defaultCluster().orElseThrow().tokenFile()).isEqualTo("b.token");
        assertThat(config.clusters()).hasSize(2);
        assertThat(StickyIpConfig.pools(config).get("p").keepNamespaces()).containsExactlyInAnyOrder("x", "y");
        assertThat(StickyIpConfig.pools(config).get("p").addresses().covers(ip("10.0.1.1"))).isTrue();
        ExposeSettings domains = io.jenkins.plugins.kubeplatform.engine.expose.DomainsSchema.settings(config.raw("domains"));
        assertThat(domains.gateway()).isEqualTo(new ExposeSettings.Gateway("gw", "main", null));
        assertThat(domains.nginx()).isEqualTo(new ExposeSettings.Nginx("/etc/nginx/kp.d", "nginx", null, "8080", null,
                false, null, null, false, "2s"));
        assertThat(RepairSettings.from(config).faultConditions()).containsExactly("A", "B");
        EdgeSettings edge = EdgeSettings.from(config);
        assertThat(edge.site("s").orElseThrow().capacity()).isEqualTo(new EdgeSettings.Capacity(4, "8Gi", 2));
        assertThat(edge.newClusters()).isNull();
    }

    @Test
    void acceptsAndIgnoresTheJenkinsFolderRestrictionsWhenTheCliReadsThem() {
        PlatformConfig config = PlatformConfig.parse("test", """
                kubePlatform:
                  clusters:
                    - {name: a, serverUrl: "https://a:6443", allowedJobs: "team-a, team-b/*"}
                stickyIp:
                  pools:
                    - {name: p, ranges: "10.0.0.0/30", allowedJobs: "team-a"}
                domains:
                  suffix: apps.example.com
                  suffixAllowedJobs: "team-a"
                edgeVms:
                  quotas:
                    - {tenant: t, cpu: 4, memory: 8Gi, vms: 2, allowedJobs: "team-t"}
                """);

        assertThat(config.clusters()).singleElement().satisfies(c -> assertThat(c.name()).isEqualTo("a"));
        assertThat(StickyIpConfig.pools(config)).containsKey("p");
        assertThat(io.jenkins.plugins.kubeplatform.engine.expose.DomainsSchema.settings(config.raw("domains")).suffix()).isEqualTo("apps.example.com");
        assertThat(EdgeSettings.from(config).quotas()).hasSize(1);
    }

    @Test
    void failsNamingTheSectionsWhenATopLevelKeyIsUnknown() {
        assertThatThrownBy(() -> PlatformConfig.parse("f.yaml", "stickyIP: {}\n"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("unknown key 'stickyIP'").hasMessageContaining("did you mean 'stickyIp'?")
                .hasMessageContaining("kubePlatform, stickyIp, domains, repair, edgeVms");
    }

    /** Every key of a section commented out leaves "stickyIp:" with nothing after it: the defaults, as "stickyIp: ~". */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"", " ~", " {}"})
    void readsEveryEmptySectionAsTheDefaultsWhetherItIsBlankOrNull(String empty) {
        PlatformConfig config = PlatformConfig.parse("f.yaml", "kubePlatform:" + empty + "\nstickyIp:" + empty
                + "\ndomains:" + empty + "\nrepair:" + empty + "\nedgeVms:" + empty + "\n");
        io.jenkins.plugins.kubeplatform.engine.sections.ConfigSections.check(config);

        assertThat(config.clusters()).isEmpty();
        assertThat(StickyIpConfig.pools(config)).isEmpty();
        assertThat(io.jenkins.plugins.kubeplatform.engine.stickyip.LedgerSettings.of(config))
                .isEqualTo(io.jenkins.plugins.kubeplatform.engine.stickyip.LedgerSettings.file());
        assertThat(io.jenkins.plugins.kubeplatform.engine.expose.DomainsSchema.settings(config.raw("domains")).validated())
                .isEqualTo(ExposeSettings.defaults().validated());
        assertThat(RepairSettings.from(config)).isEqualTo(RepairSettings.defaults());
        // an empty edgeVms section is the defaults too: an edge configuration without sites; only a file without
        // the section leaves edge VMs not configured
        assertThat(EdgeSettings.from(config)).isEqualTo(EdgeSettings.builder().startTimeout("10m").joinTimeout("5m")
                .waitTimeout("15m").maxAttempts(3).build());
        assertThatThrownBy(() -> EdgeSettings.from(PlatformConfig.empty())).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("--config section 'edgeVms': is required for edge VMs");
    }

    @Test
    void failsWhenASectionIsGivenInTheOldAndTheNewShape() {
        assertThatThrownBy(() -> PlatformConfig.parse("f.yaml", "pools: []\nstickyIp: {pools: []}\n"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("write only 'stickyIp'");
    }

    @Test
    void failsWhenAFlatAndANestedFieldDescribeTheSameBlock() {
        assertThatThrownBy(() -> io.jenkins.plugins.kubeplatform.engine.expose.DomainsSchema.settings(PlatformConfig.parse("f.yaml",
                "domains: {gatewayName: a, gateway: {name: b}}\n").raw("domains")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("gatewayName");
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "[{index}] {1}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "stickyIp: {pool: []}                                                                   | stickyIp.pool | is not a key of section 'stickyIp'; did you mean 'pools'?",
            "stickyIp: {pools: [{name: p, ranges: 10.0.0.0/30, colour: red}]}                       | stickyIp.pools[p].colour | is not a key of section 'stickyIp.pools[]'",
            "stickyIp: {pools: [{name: p, ranges: 10.0.0.0/30}, {ranges: 10.0.1.0/30, colour: red}]} | stickyIp.pools[1].colour | is not a key of section 'stickyIp.pools[]'",
            "stickyIp: {pools: {name: p}}                                                           | stickyIp.pools | must be a list",
            "domains: [a, b]                                                                        | domains | must be a mapping of keys to values",
            "domains: {gatewayNamespace: gw, colour: red}                                           | domains.colour | is not a key of section 'domains'",
            "edgeVms: {sites: [{name: lisbon, namespace: edge-l, location: '1,2', colour: red}]}   | edgeVms.sites[lisbon].colour | is not a key of section 'edgeVms.sites[]'",
            "edgeVms: {sites: {name: lisbon}}                                                       | edgeVms.sites | must be a list of mappings"})
    void failsNamingTheFieldWhenASectionOrListItemHasAnUnknownKeyOrShape(String yaml, String field, String rule) {
        // as the command line loads a file: the shape, then every section declared with the schema
        assertThatThrownBy(() -> io.jenkins.plugins.kubeplatform.engine.sections.ConfigSections.check(
                PlatformConfig.parse("f.yaml", yaml.trim() + "\n")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining(field.trim())
                .hasMessageContaining(rule.trim());
    }

    private static long ip(String dotted) {
        long v = 0;
        for (String part : dotted.split("\\.")) {
            v = v * 256 + Integer.parseInt(part);
        }
        return v;
    }
}
