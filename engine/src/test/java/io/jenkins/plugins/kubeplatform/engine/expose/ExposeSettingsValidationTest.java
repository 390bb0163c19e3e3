package io.jenkins.plugins.kubeplatform.engine.expose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which domains settings {@link ExposeSettings#validated()} refuses (naming the field), fills or normalises. */
class ExposeSettingsValidationTest {

    static java.util.stream.Stream<Arguments> badSettings() {
        return java.util.stream.Stream.of(
                bad("domains.suffix", b -> b.suffix("example")),
                bad("domains.template", b -> b.template("{namespace}.{suffix}")),
                bad("domains.ingressClassName", b -> b.ingressClassName("Bad_Class")),
                bad("domains.tls.secretName", b -> b.tls(new ExposeSettings.Tls("Bad_Secret", null, null))),
                bad("domains.tls.clusterIssuer", b -> b.tls(new ExposeSettings.Tls(null, "Bad_Issuer", null))),
                bad("domains.tls.issuer", b -> b.tls(new ExposeSettings.Tls(null, null, "Bad_Issuer"))),
                bad("domains.gateway.namespace", b -> b.gateway(new ExposeSettings.Gateway("a.b", null, null))),
                bad("domains.gateway.name", b -> b.gateway(new ExposeSettings.Gateway(null, "Bad_Name", null))),
                bad("domains.gateway.sectionName", b -> b.gateway(new ExposeSettings.Gateway(null, null, "Bad_Section"))),
                bad("domains.claimNamespace", b -> b.claimNamespace("claims.ns")),
                bad("domains.onConflict", b -> b.onConflict("overwrite")),
                bad("domains.admitTimeout", b -> b.admitTimeout("soon")),
                bad("domains.managedNamespaces", b -> b.managedNamespaces(Arrays.asList("team-a", "Team_B"))),
                bad("domains.managedNamespaces", b -> b.managedNamespaces(Arrays.asList("team-a", null))));
    }

    private static Arguments bad(String field, UnaryOperator<ExposeSettings.Builder> setting) {
        return Arguments.of(field, setting);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSettings")
    void refusesNamingTheFieldWhenASettingIsInvalid(String field, UnaryOperator<ExposeSettings.Builder> setting) {
        ExposeSettings settings = setting.apply(ExposeSettings.builder()).build();

        assertThatThrownBy(settings::validated).isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo(field));
    }

    @Test
    void fillsEveryDefaultWhenTheSettingsAreBlank() {
        ExposeSettings s = ExposeSettings.builder().suffix(" ").template(" ").route(" ").ingressClassName(" ")
                .tls(new ExposeSettings.Tls(" ", "", null)).gateway(new ExposeSettings.Gateway(" ", "", " "))
                .claimNamespace(" ").onConflict(" ").admitTimeout(" ")
                .nginx(new ExposeSettings.Nginx(" ", "/usr/sbin/nginx", null, null)).build().validated();

        assertThat(s.suffix()).isEqualTo("apps.example.test");
        assertThat(s.template()).isEqualTo("{app}.{namespace}.{suffix}");
        assertThat(s.route()).isEqualTo("ingress");
        assertThat(s.ingressClassName()).isEqualTo("nginx");
        assertThat(s.tls()).isNull();
        assertThat(s.gateway()).isEqualTo(new ExposeSettings.Gateway("gateway-system", "platform-gateway", null));
        assertThat(s.claimNamespace()).isEqualTo("kubeplatform-system");
        assertThat(s.onConflict()).isEqualTo("fail");
        assertThat(s.admitTimeout()).isEqualTo("2m");
        assertThat(s.nginx()).isNull();
        assertThat(s.managedNamespaces()).isEmpty();
    }

    @Test
    void trimsAndLowercasesTheGivenValuesWhenTheyAreValid() {
        ExposeSettings s = ExposeSettings.builder().suffix(" Apps.Example.COM ").route("httproute")
                .ingressClassName(" traefik ").tls(new ExposeSettings.Tls(" wildcard ", null, " local-ca "))
                .gateway(new ExposeSettings.Gateway(" gw ", " main ", " https "))
                .claimNamespace(" claims ").onConflict("next-free").admitTimeout(" 30s ")
                .managedNamespaces(Arrays.asList(" team-a ", "team-b")).build().validated();

        assertThat(s.suffix()).isEqualTo("apps.example.com");
        assertThat(s.route()).isEqualTo("httproute");
        assertThat(s.ingressClassName()).isEqualTo("traefik");
        assertThat(s.tls()).isEqualTo(new ExposeSettings.Tls("wildcard", null, "local-ca"));
        assertThat(s.gateway()).isEqualTo(new ExposeSettings.Gateway("gw", "main", "https"));
        assertThat(s.claimNamespace()).isEqualTo("claims");
        assertThat(s.onConflict()).isEqualTo("next-free");
        assertThat(s.admitTimeout()).isEqualTo("30s");
        assertThat(s.managedNamespaces()).containsExactly("team-a", "team-b");
        assertThat(s.generateIn()).containsExactly("team-a", "team-b");
    }

    @Test
    void keepsTlsWhenOnlyTheClusterIssuerIsGiven() {
        ExposeSettings s = ExposeSettings.builder().tls(new ExposeSettings.Tls(null, " letsencrypt ", " "))
                .build().validated();

        assertThat(s.tls()).isEqualTo(new ExposeSettings.Tls(null, "letsencrypt", null));
    }

    @Test
    void keepsTlsWhenOnlyTheSecretIsGiven() {
        ExposeSettings s = ExposeSettings.builder().tls(new ExposeSettings.Tls("wildcard", null, null))
                .build().validated();

        assertThat(s.tls()).isEqualTo(new ExposeSettings.Tls("wildcard", null, null));
    }

    @Test
    void keepsTheNginxSettingsWhenAConfDirIsGiven() {
        ExposeSettings s = ExposeSettings.builder()
                .nginx(new ExposeSettings.Nginx("/etc/nginx/kp.d", null, null, "8080")).build().validated();

        assertThat(s.nginxMode()).map(ExposeSettings.Nginx::confDir).contains("/etc/nginx/kp.d");
    }

    @Test
    void generatesInNoNamespaceWhenNoneIsManaged() {
        assertThat(ExposeSettings.defaults().generateIn()).isEmpty();
    }

    @Test
    void readsTheRawAccessorsWithTheirDefaultsWhenUnset() {
        ExposeSettings s = ExposeSettings.defaults();

        assertThat(s.routeKind()).isEqualTo(RouteKind.INGRESS);
        assertThat(s.conflictPolicy()).isEqualTo(ConflictPolicy.FAIL);
        assertThat(s.admitTimeoutDuration()).isEqualTo(java.time.Duration.ofMinutes(2));
        assertThat(s.domainTemplate().pattern()).isEqualTo("{app}.{namespace}.{suffix}");
    }

    @Test
    void copiesEveryFieldWhenRebuilt() {
        ExposeSettings s = ExposeSettings.builder().suffix("a.example.com").template("{app}-{namespace}.{suffix}")
                .route("httproute").ingressClassName("traefik").tls(new ExposeSettings.Tls("w", null, null))
                .gateway(new ExposeSettings.Gateway("gw", "main", null)).claimNamespace("claims")
                .onConflict("next-free").admitTimeout("1m")
                .nginx(new ExposeSettings.Nginx("/etc/nginx/kp.d", null, null, null))
                .managedNamespaces(java.util.List.of("x")).build();

        assertThat(s.toBuilder().build()).isEqualTo(s);
    }
}
