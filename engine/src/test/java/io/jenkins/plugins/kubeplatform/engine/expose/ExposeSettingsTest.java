package io.jenkins.plugins.kubeplatform.engine.expose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kubeplatform.engine.config.PlatformConfig;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ExposeSettingsTest {

    @Test
    void readsTheDomainsSectionOfTheExampleConfiguration() {
        Path dir = Path.of("").toAbsolutePath();
        while (!Files.exists(dir.resolve("docs/examples/kubeplatform.yaml"))) {
            dir = dir.getParent();
        }
        ExposeSettings settings = DomainsSchema.settings(PlatformConfig.load(dir.resolve(
                "docs/examples/kubeplatform.yaml")).raw("domains")).validated();

        assertThat(settings.suffix()).isEqualTo("apps.example.test");
        assertThat(settings.ingressClassName()).isEqualTo("nginx");
        assertThat(settings.routeKind()).isEqualTo(RouteKind.INGRESS);
        assertThat(settings.gateway().name()).isEqualTo("platform-gateway");
    }

    @Test
    void fillsDefaults() {
        ExposeSettings s = ExposeSettings.defaults().validated();

        assertThat(s.template()).isEqualTo(DomainTemplate.DEFAULT);
        assertThat(s.claimNamespace()).isEqualTo("kubeplatform-system");
        assertThat(s.conflictPolicy()).isEqualTo(ConflictPolicy.FAIL);
        assertThat(s.nginxMode()).isEmpty();
    }

    @Test
    void namesTheBadSetting() {
        assertThatThrownBy(() -> ExposeSettings.builder().suffix("Apps_Example").build()
                .validated()).isInstanceOf(InvalidInputException.class).hasMessageStartingWith("domains.suffix");
        assertThatThrownBy(() -> ExposeSettings.builder().route("loadbalancer").build()
                .validated()).hasMessageStartingWith("domains.route");
        assertThatThrownBy(() -> ExposeSettings.builder().tls(new ExposeSettings.Tls(null, "a", "b")).build()
                .validated())
                .hasMessageStartingWith("domains.tls");
        assertThatThrownBy(() -> ExposeSettings.builder()
                .nginx(new ExposeSettings.Nginx("relative/dir", null, null, null)).build().validated())
                .hasMessageStartingWith("domains.nginxConfDir");
        assertThatThrownBy(() -> ExposeSettings.builder()
                .nginx(new ExposeSettings.Nginx("/etc/nginx/k.d", null, null, "80; include x")).build().validated())
                .hasMessageStartingWith("domains.nginxListen");
    }

    @Test
    void readsTheIngressTierSettingsFromYaml() {
        ExposeSettings s = DomainsSchema.settings(PlatformConfig.parse("test.yaml", """
                domains:
                  managedNamespaces: [team-a, team-b]
                  nginx:
                    confDir: /etc/nginx/kubeplatform.d
                    listen: "80"
                    httpsListen: "443"
                    redirectToHttps: true
                    certificateFile: /etc/ssl/wildcard.crt
                    keyFile: /etc/ssl/wildcard.key
                    clusterIpFallback: true
                    reloadInterval: 5s
                """).raw("domains")).validated();

        assertThat(s.generateIn()).containsExactly("team-a", "team-b");
        ExposeSettings.Nginx n = s.nginxMode().orElseThrow();
        assertThat(n.https()).contains("443");
        assertThat(n.redirects()).isTrue();
        assertThat(n.fallsBackToClusterIp()).isTrue();
        assertThat(n.reloadEvery()).hasSeconds(5);
        assertThat(n.certificateFile()).isEqualTo("/etc/ssl/wildcard.crt");
    }

    @Test
    void namesTheBadIngressTierSetting() {
        assertThatThrownBy(() -> withNginx(new ExposeSettings.Nginx("/etc/nginx/k.d", null, null, "80", "443;", null,
                null, null, null, null))).hasMessageStartingWith("domains.nginxHttpsListen");
        assertThatThrownBy(() -> withNginx(new ExposeSettings.Nginx("/etc/nginx/k.d", null, null, "80", "443", null,
                "/etc/ssl/a.crt", null, null, null))).hasMessageStartingWith("domains.nginxKeyFile");
        assertThatThrownBy(() -> withNginx(new ExposeSettings.Nginx("/etc/nginx/k.d", null, null, "80", "443", null,
                "/etc/ssl/a.crt;include /x", "/etc/ssl/a.key", null, null)))
                .hasMessageStartingWith("domains.nginxCertificateFile");
        assertThatThrownBy(() -> withNginx(new ExposeSettings.Nginx("/etc/nginx/k.d", null, null, "80", "80", null,
                null, null, null, null))).hasMessageStartingWith("domains.nginxHttpsListen");
        assertThatThrownBy(() -> withNginx(new ExposeSettings.Nginx("/etc/nginx/k.d", null, null, "80", null, null,
                null, null, null, "soon"))).hasMessageStartingWith("domains.nginxReloadInterval");
        assertThatThrownBy(() -> ExposeSettings.builder().managedNamespaces(java.util.List.of("Team_A")).build()
                .validated()).hasMessageStartingWith("domains.managedNamespaces");
    }

    private static ExposeSettings withNginx(ExposeSettings.Nginx nginx) {
        return ExposeSettings.builder().nginx(nginx).build().validated();
    }
}
