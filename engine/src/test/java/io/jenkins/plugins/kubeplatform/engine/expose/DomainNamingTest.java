package io.jenkins.plugins.kubeplatform.engine.expose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DomainNamingTest {

    private static final DomainTemplate DEFAULT = DomainTemplate.parse("domains.template", null);

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "挖财, wacai",
            "重庆, chongqing",
            "银行, yinhang",
            "长沙银行, changshayinhang",
            "中国人民银行, zhongguorenminyinhang",
            "绿色, lvse",
            "挖财App, wacai-app",
            "我的 应用 2, wode-yingyong-2",
            "Shop_API.v2, shop-api-v2",
            "Café Crème, cafe-creme",
            "Straße, strasse",
            "привет, privet",
            "Ωμέγα, omega",
            "서울, seoul",
            "とうきょう, toukyou",
            "--Web--, web",
    })
    void transliteratesAndSlugsNamesInAnyScript(String name, String label) {
        assertThat(DnsNames.label(name, 1, 63)).isEqualTo(label);
    }

    @Test
    void givesEmptyAndUntransliterableNamesAStableHashLabel() {
        String runes = DnsNames.label("ᚠᚢᚦ", 1, 63);
        assertThat(runes).matches("app-[0-9a-f]{8}").isEqualTo(DnsNames.label("ᚠᚢᚦ", 1, 63));
        assertThat(DnsNames.label("---", 1, 63)).matches("app-[0-9a-f]{8}");
    }

    @Test
    void keepsADroppedCharacterFromMergingTwoNames() {
        String withEmoji = DnsNames.label("😀shop", 1, 63);
        assertThat(withEmoji).matches("shop-[0-9a-f]{8}").isNotEqualTo(DnsNames.label("shop", 1, 63));
        assertThat(DnsNames.label("😃shop", 1, 63)).isNotEqualTo(withEmoji);
    }

    @Test
    void cutsLongNamesTo63WithAHashThatSeparatesThem() {
        String a = "a".repeat(70) + "x";
        String b = "a".repeat(70) + "y";
        assertThat(DnsNames.label(a, 1, 63)).hasSize(63).startsWith("a".repeat(54) + "-")
                .isNotEqualTo(DnsNames.label(b, 1, 63));
        assertThat(DnsNames.isLabel(DnsNames.label(a, 1, 63))).isTrue();
    }

    @Test
    void numbersVariantsWithinTheLabelLimit() {
        assertThat(DnsNames.label("shop", 2, 63)).isEqualTo("shop-2");
        String longName = "b".repeat(62);
        assertThat(DnsNames.label(longName, 1, 63)).isEqualTo(longName);
        assertThat(DnsNames.label(longName, 2, 63)).hasSize(63).endsWith("-2").matches("b+-[0-9a-f]{8}-2");
    }

    @Test
    void rendersTheDefaultTemplate() {
        assertThat(DEFAULT.host("挖财", 1, "payments", "apps.example.test")).isEqualTo("wacai.payments.apps.example.test");
        assertThat(DEFAULT.host("shop", 3, "team-a", "apps.example.test")).isEqualTo("shop-3.team-a.apps.example.test");
    }

    @Test
    void shrinksTheAppLabelSoTheHostStaysWithin253() {
        String suffix = String.join(".", "s".repeat(63), "t".repeat(63), "u".repeat(40));
        String namespace = "n".repeat(63);
        String host = DEFAULT.host("m".repeat(63), 1, namespace, suffix);
        assertThat(host).hasSize(253);
        assertThat(DnsNames.isHost(host)).isTrue();
        assertThat(host.substring(0, host.indexOf('.'))).matches("m+-[0-9a-f]{8}");
    }

    @Test
    void givesTheAppItsShareWhenTheTemplateJoinsItWithTheNamespace() {
        DomainTemplate joined = DomainTemplate.parse("domains.template", "{app}-{namespace}.{suffix}");
        String host = joined.host("x".repeat(60), 1, "n".repeat(40), "apps.example.test");
        assertThat(host.substring(0, host.indexOf('.'))).hasSize(63).endsWith("-" + "n".repeat(40));
    }

    @Test
    void refusesASuffixThatLeavesNoRoomForTheApp() {
        String suffix = String.join(".", "s".repeat(63), "t".repeat(63), "u".repeat(63));
        assertThatThrownBy(() -> DEFAULT.host("shop", 1, "n".repeat(60), suffix))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("domains.suffix");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{namespace}.{suffix}|must contain {app}",
            "{app}.{ns}.{suffix}|placeholders",
            "{app}..{suffix}|must render a DNS name",
            "{app}.Example.{suffix}|may contain only",
            "'{app};.{suffix}'|may contain only",
    })
    void refusesBrokenTemplates(String template, String rule) {
        assertThatThrownBy(() -> DomainTemplate.parse("domains.template", template))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining(rule);
    }

    @ParameterizedTest
    @CsvSource({"shop, shop", "123, app-123", "9lives, app-9lives", "挖财, wacai"})
    void derivesServiceNamesThatStartWithALetter(String app, String service) {
        assertThat(DnsNames.serviceName(app)).isEqualTo(service);
    }
}
