package io.jenkins.plugins.kubeplatform.engine.expose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The {@code domains:} section read through its declaration. */
class DomainsSchemaTest {

    private static JsonNode domains(String yaml) throws IOException {
        return new ObjectMapper(new YAMLFactory()).readTree(yaml).get("domains");
    }

    @Test
    void givesTheDefaultsWhenTheSectionIsEmptyNullOrMissing() throws IOException {
        ExposeSettings expected = ExposeSettings.builder().suffix("apps.example.test")
                .template("{app}.{namespace}.{suffix}").route("ingress").ingressClassName("nginx")
                .tls(new ExposeSettings.Tls(null, null, null))
                .gateway(new ExposeSettings.Gateway("gateway-system", "platform-gateway", null))
                .claimNamespace("kubeplatform-system").onConflict("fail").admitTimeout("2m")
                .managedNamespaces(java.util.List.of()).build();

        assertThat(DomainsSchema.settings(domains("domains:\n"))).isEqualTo(expected);
        assertThat(DomainsSchema.settings(domains("domains: ~\n"))).isEqualTo(expected);
        assertThat(DomainsSchema.settings(domains("domains: {}\n"))).isEqualTo(expected);
        assertThat(DomainsSchema.settings(null)).isEqualTo(expected);
    }

    @Test
    void namesTheKeyAndTheRuleWhenAValueIsBad() {
        assertThatThrownBy(() -> DomainsSchema.settings(domains("domains: {gatewayNamespace: Gw.X}\n")))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("domains.gatewayNamespace: ");
        assertThatThrownBy(() -> DomainsSchema.settings(domains("domains: {route: loadbalancer}\n")))
                .hasMessage("domains.route: must be one of ingress, httproute, none; got 'loadbalancer'");
        assertThatThrownBy(() -> DomainsSchema.settings(domains("domains: {managedNamespaces: \"a, B_b\"}\n")))
                .hasMessageStartingWith("domains.managedNamespaces: ");
        assertThatThrownBy(() -> DomainsSchema.settings(domains("domains: {admitTimeout: soon}\n")))
                .hasMessageStartingWith("domains.admitTimeout: must be a duration");
        assertThatThrownBy(() -> DomainsSchema.settings(domains("domains: {nginxConfDir: relative/dir}\n")))
                .hasMessageStartingWith("domains.nginxConfDir: must be an absolute path");
    }

    @Test
    void buildsNginxModeFromTheFlatKeysOnlyWhenAConfDirIsGiven() throws IOException {
        assertThat(DomainsSchema.settings(domains("domains: {nginxListen: \"8080\"}\n")).nginx()).isNull();
        assertThat(DomainsSchema.settings(domains("domains: {nginxConfDir: /etc/nginx/k.d, nginxListen: \"8080\"}\n"))
                .nginx()).isEqualTo(new ExposeSettings.Nginx("/etc/nginx/k.d", "nginx", null, "8080", null, false, null,
                null, false, "2s"));
    }

    @Test
    void readsTheHttpsKeysOfNginxModeFromTheFlatKeys() throws IOException {
        ExposeSettings s = DomainsSchema.settings(domains("""
                domains:
                  nginxConfDir: /etc/nginx/k.d
                  nginxHttpsListen: "443"
                  nginxRedirectToHttps: true
                  nginxCertificateFile: /etc/ssl/apps.crt
                  nginxKeyFile: /etc/ssl/apps.key
                  nginxClusterIpFallback: true
                  nginxReloadInterval: 5s
                """));

        assertThat(s.nginx()).isEqualTo(new ExposeSettings.Nginx("/etc/nginx/k.d", "nginx", null, "80", "443", true,
                "/etc/ssl/apps.crt", "/etc/ssl/apps.key", true, "5s"));
        assertThat(s.validated().nginx().reloadEvery()).hasSeconds(5);
        assertThatThrownBy(() -> DomainsSchema.settings(domains("domains: {nginxHttpsListen: \"443;\"}\n")))
                .hasMessageStartingWith("domains.nginxHttpsListen: must be a port");
        assertThatThrownBy(() -> DomainsSchema.settings(domains("domains: {nginxKeyFile: \"/etc/ssl/a key\"}\n")))
                .hasMessageStartingWith("domains.nginxKeyFile: ");
        assertThatThrownBy(() -> DomainsSchema.settings(domains("domains: {nginxConfDir: /x, nginxKeyFile: /k}\n"))
                .validated()).hasMessage("domains.nginxCertificateFile: is required together with domains.nginxKeyFile");
        assertThatThrownBy(() -> DomainsSchema.settings(domains(
                "domains: {nginxHttpsListen: \"443\", nginx: {confDir: /x}}\n")))
                .hasMessageStartingWith("domains.nginx: is given twice: as 'nginxHttpsListen'");
    }

    @Test
    void readsTheOldNestedNginxBlockWithItsHttpsKeysWhenAFileStillHasIt() throws IOException {
        ExposeSettings s = DomainsSchema.settings(domains("""
                domains:
                  nginx: {confDir: /etc/nginx/k.d, listen: "80", httpsListen: "443", redirectToHttps: true}
                """));

        assertThat(s.nginx()).isEqualTo(new ExposeSettings.Nginx("/etc/nginx/k.d", null, null, "80", "443", true,
                null, null, null, null));
        assertThatThrownBy(() -> DomainsSchema.settings(domains("domains: {nginx: {confDir: /x, lisen: \"80\"}}\n")))
                .hasMessageStartingWith("domains.nginx.lisen: is not a key of the block 'nginx:'; did you mean "
                        + "'listen'?");
        assertThatThrownBy(() -> DomainsSchema.settings(domains("domains: {nginxListen: \"81\", nginx: {confDir: /x}}\n")))
                .hasMessageStartingWith("domains.nginx: is given twice: as 'nginxListen'");
    }

    @Test
    void checksAFormValueByTheDeclaredRuleWhenAFieldIsTyped() {
        assertThat(DomainsSchema.SECTION.check("claimNamespace", "")).isEmpty();
        assertThat(DomainsSchema.SECTION.check("claimNamespace", "team-a")).isEmpty();
        assertThat(DomainsSchema.SECTION.check("claimNamespace", "Team_A")).hasValueSatisfying(
                m -> assertThat(m).startsWith("domains.claimNamespace: "));
        assertThat(DomainsSchema.SECTION.check("syncEnabled", "maybe"))
                .contains("domains.syncEnabled: must be true or false; got 'maybe'");
    }
}
