package io.jenkins.plugins.kubeplatform.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.jenkins.plugins.kubeplatform.edgevm.DetachedEdgeVmConfiguration;
import io.jenkins.plugins.kubeplatform.edgevm.EdgeVmConfiguration;
import io.jenkins.plugins.kubeplatform.engine.config.ClusterSettings;
import io.jenkins.plugins.kubeplatform.engine.config.PlatformConfig;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.edgevm.EdgeSettings;
import io.jenkins.plugins.kubeplatform.engine.expose.ExposeSettings;
import io.jenkins.plugins.kubeplatform.engine.repair.RepairSettings;
import io.jenkins.plugins.kubeplatform.engine.sections.ConfigSections;
import io.jenkins.plugins.kubeplatform.engine.stickyip.IpPool;
import io.jenkins.plugins.kubeplatform.engine.stickyip.StickyIpConfig;
import io.jenkins.plugins.kubeplatform.expose.DetachedDomainSettingsConfiguration;
import io.jenkins.plugins.kubeplatform.expose.DomainSettingsConfiguration;
import io.jenkins.plugins.kubeplatform.kube.ClusterConnectionConfig;
import io.jenkins.plugins.kubeplatform.kube.DetachedKubePlatformConfiguration;
import io.jenkins.plugins.kubeplatform.kube.KubePlatformConfiguration;
import io.jenkins.plugins.kubeplatform.repair.DetachedRepairConfiguration;
import io.jenkins.plugins.kubeplatform.repair.RepairConfiguration;
import io.jenkins.plugins.kubeplatform.stickyip.DetachedStickyIpConfiguration;
import io.jenkins.plugins.kubeplatform.stickyip.StickyIpConfiguration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jenkins.model.GlobalConfiguration;
import org.jenkinsci.Symbol;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * docs/examples/kubeplatform.yaml is one configuration for Jenkins (Configuration as Code, under
 * {@code unclassified:}) and for the command line ({@code --config}): bound both ways, it gives equal engine settings.
 */
class ConfigurationSchemaTest {

    static final Path EXAMPLE = Path.of("..", "docs", "examples", "kubeplatform.yaml");

    final Map<String, GlobalConfiguration> jenkins = new LinkedHashMap<>();
    JsonNode yaml;
    PlatformConfig cli;

    @BeforeEach
    void bindTheExampleBothWays() throws IOException {
        bindBothWays(Files.readString(EXAMPLE));
    }

    void bindBothWays(String text) throws IOException {
        jenkins.clear();
        for (GlobalConfiguration c : List.of(DetachedKubePlatformConfiguration.create(),
                DetachedStickyIpConfiguration.create(), DetachedDomainSettingsConfiguration.create(),
                DetachedRepairConfiguration.create(), DetachedEdgeVmConfiguration.create())) {
            jenkins.put(symbol(c), c);
        }
        yaml = new ObjectMapper(new YAMLFactory()).readTree(text);
        casc(yaml);
        cli = PlatformConfig.parse("test", text);
    }

    /** What JCasC does with the sections under {@code unclassified:}: find the configuration by symbol, set it. */
    void casc(JsonNode unclassified) {
        unclassified.fieldNames().forEachRemaining(section -> {
            GlobalConfiguration target = jenkins.get(section);
            if (target == null) {
                throw new IllegalArgumentException("unclassified." + section + ": no global configuration has this "
                        + "@Symbol; known: " + jenkins.keySet());
            }
            CascBinding.configure(target, unclassified.get(section), "unclassified." + section);
        });
    }

    static String symbol(GlobalConfiguration c) {
        for (Class<?> k = c.getClass(); k != null; k = k.getSuperclass()) {
            Symbol s = k.getAnnotation(Symbol.class);
            if (s != null) {
                return s.value()[0];
            }
        }
        throw new IllegalStateException(c.getClass() + " has no @Symbol");
    }

    @SuppressWarnings("unchecked")
    <T> T section(Class<T> type) {
        return (T) jenkins.values().stream().filter(type::isInstance).findFirst().orElseThrow();
    }

    @Test
    void namesEveryGlobalConfigurationWhenTheExampleIsReadAsJcasc() {
        List<String> sections = new ArrayList<>();
        yaml.fieldNames().forEachRemaining(sections::add);

        assertThat(sections).containsExactlyInAnyOrder("kubePlatform", "stickyIp", "domains", "repair", "edgeVms");
    }

    @Test
    void givesEqualClusterSettingsWhenTheExampleIsBoundByJcascAndTheCli() {
        KubePlatformConfiguration kube = section(KubePlatformConfiguration.class);
        List<ClusterSettings> fromJenkins = kube.getClusters().stream().map(ClusterConnectionConfig::toSettings).toList();

        assertThat(fromJenkins).isEqualTo(cli.clusters());
        assertThat(fromJenkins).containsExactly(ClusterSettings.builder().name("sim").serverUrl("http://127.0.0.1:8001")
                .namespace("default").build());
        assertThat(kube.findCluster("").orElseThrow().getName()).isEqualTo(cli.defaultCluster().orElseThrow().name())
                .isEqualTo("sim");
    }

    @Test
    void givesEqualLedgerSettingsWhenTheExampleIsBoundByJcascAndTheCli() {
        io.jenkins.plugins.kubeplatform.engine.stickyip.LedgerSettings fromJenkins =
                section(StickyIpConfiguration.class).ledgerSettings();

        assertThat(fromJenkins).isEqualTo(io.jenkins.plugins.kubeplatform.engine.stickyip.LedgerSettings.of(cli));
        assertThat(fromJenkins.store()).isEqualTo(io.jenkins.plugins.kubeplatform.engine.stickyip.LedgerSettings.Store.FILE);
        assertThat(fromJenkins.namespace()).isEqualTo("kube-platform");
    }

    @Test
    void givesEqualPoolsWhenTheExampleIsBoundByJcascAndTheCli() {
        Map<String, IpPool> fromJenkins = section(StickyIpConfiguration.class).validatedPools();

        assertThat(fromJenkins).usingRecursiveComparison().isEqualTo(StickyIpConfig.pools(cli));
        assertThat(fromJenkins.get("default").keepNamespaces()).containsExactly("keep");
        // 10.42.200.0/24: 256 addresses less network, broadcast and the excluded 10.42.200.1
        assertThat(fromJenkins.get("default").addresses().size()).isEqualTo(253);
    }

    @Test
    void givesEqualDomainSettingsWhenTheExampleIsBoundByJcascAndTheCli() {
        ExposeSettings fromJenkins = section(DomainSettingsConfiguration.class).toSettings().validated();
        ExposeSettings fromCli = io.jenkins.plugins.kubeplatform.engine.expose.DomainsSchema.settings(cli.raw("domains")).validated();

        assertThat(fromJenkins).usingRecursiveComparison().isEqualTo(fromCli);
        assertThat(fromJenkins.suffix()).isEqualTo("apps.example.test");
        assertThat(fromJenkins.gateway()).isEqualTo(new ExposeSettings.Gateway("gateway-system", "platform-gateway",
                fromJenkins.gateway().sectionName()));
    }

    @Test
    void givesEqualRepairSettingsWhenTheExampleIsBoundByJcascAndTheCli() {
        RepairSettings fromJenkins = section(RepairConfiguration.class).settings();

        assertThat(fromJenkins).usingRecursiveComparison().isEqualTo(RepairSettings.from(cli));
        assertThat(fromJenkins.faultConditions()).containsExactly("KernelDeadlock", "ReadonlyFilesystem");
        assertThat(fromJenkins.stabilizationWindow()).hasSeconds(5);
        assertThat(fromJenkins.pools()).extracting(io.jenkins.plugins.kubeplatform.engine.repair.PoolSettings::name).containsExactly("workers");
    }

    @Test
    void givesEqualEdgeSettingsWhenTheExampleIsBoundByJcascAndTheCli() {
        EdgeSettings fromJenkins = section(EdgeVmConfiguration.class).toSettings().validated();

        assertThat(fromJenkins).usingRecursiveComparison().isEqualTo(EdgeSettings.from(cli));
        assertThat(fromJenkins.site("frankfurt").orElseThrow().capacity()).isEqualTo(
                new EdgeSettings.Capacity(16, "64Gi", 8));
        assertThat(fromJenkins.newClusters().namePrefix()).isEqualTo("edge");
        assertThat(fromJenkins.edgeCluster("edge-ams").orElseThrow().tokenFile()).isEqualTo("edge-join-token.sim");
    }

    /** A key left out means the same default on both sides. */
    @Test
    void givesEqualSettingsWhenADocumentLeavesOutEveryOptionalKey() throws IOException {
        bindBothWays("""
                kubePlatform: {clusters: [{name: a, serverUrl: "https://a.example:6443"}]}
                stickyIp: {pools: [{name: p, ranges: "10.0.0.0/28"}]}
                domains: {suffix: apps.example.test}
                repair: {pools: [{name: w, nodeSelector: role=worker}]}
                edgeVms:
                  sites: [{name: s, namespace: edge-s, location: "1,2"}]
                  edgeClusters: [{name: e, location: "1,2", server: "https://e.example:6443"}]
                  newClusterPrefix: edge
                  newClusterServer: "https://n.example:6443"
                  quotas: [{tenant: t, cpu: 4, memory: 8Gi, vms: 2}]
                """);

        assertThat(section(KubePlatformConfiguration.class).getClusters().stream()
                .map(ClusterConnectionConfig::toSettings).toList()).isEqualTo(cli.clusters());
        assertThat(section(StickyIpConfiguration.class).validatedPools()).usingRecursiveComparison()
                .isEqualTo(StickyIpConfig.pools(cli));
        assertThat(section(DomainSettingsConfiguration.class).toSettings().validated()).usingRecursiveComparison()
                .isEqualTo(io.jenkins.plugins.kubeplatform.engine.expose.DomainsSchema.settings(cli.raw("domains")).validated());
        assertThat(section(RepairConfiguration.class).settings()).usingRecursiveComparison()
                .isEqualTo(RepairSettings.from(cli));
        assertThat(section(EdgeVmConfiguration.class).toSettings().validated()).usingRecursiveComparison()
                .isEqualTo(EdgeSettings.from(cli));
    }

    /** The CLI refuses the keys JCasC would refuse: its key list is the plugin's data-bound fields, no more, no less. */
    @Test
    void knowsExactlyTheDataBoundFieldsWhenTheCliChecksKeys() {
        Map<String, Class<?>> classes = Map.ofEntries(
                Map.entry("kubePlatform", KubePlatformConfiguration.class),
                Map.entry("kubePlatform.clusters[]", ClusterConnectionConfig.class),
                Map.entry("stickyIp", StickyIpConfiguration.class),
                Map.entry("stickyIp.pools[]", io.jenkins.plugins.kubeplatform.stickyip.PoolConfig.class),
                Map.entry("domains", DomainSettingsConfiguration.class),
                Map.entry("repair", RepairConfiguration.class),
                Map.entry("repair.pools[]", io.jenkins.plugins.kubeplatform.repair.RepairPoolConfig.class),
                Map.entry("edgeVms", EdgeVmConfiguration.class),
                Map.entry("edgeVms.sites[]", io.jenkins.plugins.kubeplatform.edgevm.EdgeSiteConfig.class),
                Map.entry("edgeVms.edgeClusters[]", io.jenkins.plugins.kubeplatform.edgevm.EdgeClusterConfig.class),
                Map.entry("edgeVms.quotas[]", io.jenkins.plugins.kubeplatform.edgevm.TenantQuotaConfig.class));

        Map<String, java.util.Set<String>> keys = ConfigSections.keys();
        assertThat(keys.keySet()).containsExactlyInAnyOrderElementsOf(classes.keySet());
        classes.forEach((path, type) -> assertThat(keys.get(path)).as(path)
                .containsExactlyInAnyOrderElementsOf(boundFields(type)));
    }

    /** Adding a key to a declared section means its declaration, its setter and its help file: the help is there. */
    @Test
    void hasAHelpFileForEveryKeyWhenASectionIsDeclaredWithTheSchema() {
        Map<String, Class<?>> forms = Map.ofEntries(Map.entry("kubePlatform", KubePlatformConfiguration.class),
                Map.entry("kubePlatform.clusters[]", ClusterConnectionConfig.class),
                Map.entry("stickyIp", StickyIpConfiguration.class),
                Map.entry("stickyIp.pools[]", io.jenkins.plugins.kubeplatform.stickyip.PoolConfig.class),
                Map.entry("domains", DomainSettingsConfiguration.class),
                Map.entry("repair", RepairConfiguration.class),
                Map.entry("repair.pools[]", io.jenkins.plugins.kubeplatform.repair.RepairPoolConfig.class),
                Map.entry("edgeVms", EdgeVmConfiguration.class),
                Map.entry("edgeVms.sites[]", io.jenkins.plugins.kubeplatform.edgevm.EdgeSiteConfig.class),
                Map.entry("edgeVms.edgeClusters[]", io.jenkins.plugins.kubeplatform.edgevm.EdgeClusterConfig.class),
                Map.entry("edgeVms.quotas[]", io.jenkins.plugins.kubeplatform.edgevm.TenantQuotaConfig.class));
        List<String> missing = new ArrayList<>();
        forms.forEach((path, type) -> {
            for (String key : ConfigSections.keys().get(path)) {
                String help = type.getSimpleName() + "/help-" + key + ".html";
                if (type.getResource(help) == null) {
                    missing.add(path + "." + key + " (" + help + ")");
                }
            }
        });

        assertThat(missing).isEmpty();
    }

    @Test
    void refusesTheFormValueTheDeclarationRefusesWhenAFieldIsChecked() {
        RepairConfiguration form = DetachedRepairConfiguration.create();
        form.setLeaseTtl("soon");

        assertThatThrownBy(form::settings).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("repair.leaseTtl: must be a duration");
        form.setLeaseTtl("");
        form.setMaxConcurrent(0);
        assertThatThrownBy(form::settings).isInstanceOf(InvalidInputException.class)
                .hasMessage("repair.maxConcurrent: must be between 1 and 1000; got 0");
    }

    @Test
    void refusesThePoolValueTheDeclarationRefusesWhenTheFormIsSaved() {
        StickyIpConfiguration form = DetachedStickyIpConfiguration.create();
        io.jenkins.plugins.kubeplatform.stickyip.PoolConfig pool =
                new io.jenkins.plugins.kubeplatform.stickyip.PoolConfig("web", "10.42.200.0/24");
        pool.setNodePinning("always");
        form.setPools(List.of(pool));

        assertThatThrownBy(form::validatedPools).isInstanceOf(InvalidInputException.class)
                .hasMessage("stickyIp.pools[web].nodePinning: must be preferred, required or off; got 'always'");
        form.setLedgerNamespace("Not_A_Label");
        assertThatThrownBy(form::ledgerSettings).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("stickyIp.ledgerNamespace: must be a DNS-1123 label");
    }

    @Test
    void refusesTheEdgeFormValueTheDeclarationRefusesWhenAFieldIsChecked() {
        EdgeVmConfiguration form = DetachedEdgeVmConfiguration.create();
        form.setWaitTimeout("soon");

        assertThatThrownBy(form::toSettings).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("edgeVms.waitTimeout: must be a duration");
        form.setWaitTimeout("");
        form.setMaxAttempts(0);
        assertThatThrownBy(form::toSettings).isInstanceOf(InvalidInputException.class)
                .hasMessage("edgeVms.maxAttempts: must be between 1 and 100; got 0");
    }

    @Test
    void refusesAMisspelledKeyNamingItWhenTheCliLoadsTheFile() {
        assertThatThrownBy(() -> ConfigSections.check(PlatformConfig.parse("test", "domains: {gatewayNamespce: gw}\n")))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("domains.gatewayNamespce: is not a key "
                        + "of section 'domains'; did you mean 'gatewayNamespace'?");
    }

    static List<String> boundFields(Class<?> type) {
        List<String> out = new ArrayList<>();
        for (java.lang.reflect.Constructor<?> c : type.getConstructors()) {
            if (c.isAnnotationPresent(org.kohsuke.stapler.DataBoundConstructor.class)) {
                for (java.lang.reflect.Parameter p : c.getParameters()) {
                    out.add(p.getName());
                }
            }
        }
        for (java.lang.reflect.Method m : type.getMethods()) {
            if (m.isAnnotationPresent(org.kohsuke.stapler.DataBoundSetter.class) && m.getName().startsWith("set")) {
                String name = java.beans.Introspector.decapitalize(m.getName().substring(3));
                if (!out.contains(name)) {
                    out.add(name);
                }
            }
        }
        return out;
    }

    @Test
    void refusesTheOldNestedCliShapeWhenBoundLikeJcasc() throws IOException {
        JsonNode old = new ObjectMapper(new YAMLFactory()).readTree("domains: {gateway: {namespace: gw}}\n");

        assertThatThrownBy(() -> casc(old)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unclassified.domains.gateway");
    }
}
