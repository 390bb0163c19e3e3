package io.jenkins.plugins.kubeplatform.expose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kubeplatform.config.PlatformConfig;
import io.jenkins.plugins.kubeplatform.core.InvalidInputException;
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
        ExposeSettings settings = PlatformConfig.load(dir.resolve("docs/examples/kubeplatform.yaml"))
                .section("domains", ExposeSettings.class).orElseThrow().validated();

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
        assertThatThrownBy(() -> new ExposeSettings("Apps_Example", null, null, null, null, null, null, null, null, null)
                .validated()).isInstanceOf(InvalidInputException.class).hasMessageStartingWith("domains.suffix");
        assertThatThrownBy(() -> new ExposeSettings(null, null, "loadbalancer", null, null, null, null, null, null, null)
                .validated()).hasMessageStartingWith("domains.route");
        assertThatThrownBy(() -> new ExposeSettings(null, null, null, null,
                new ExposeSettings.Tls(null, "a", "b"), null, null, null, null, null).validated())
                .hasMessageStartingWith("domains.tls");
        assertThatThrownBy(() -> new ExposeSettings(null, null, null, null, null, null, null, null, null,
                new ExposeSettings.Nginx("relative/dir", null, null, null)).validated())
                .hasMessageStartingWith("domains.nginx.confDir");
        assertThatThrownBy(() -> new ExposeSettings(null, null, null, null, null, null, null, null, null,
                new ExposeSettings.Nginx("/etc/nginx/k.d", null, null, "80; include x")).validated())
                .hasMessageStartingWith("domains.nginx.listen");
    }
}
