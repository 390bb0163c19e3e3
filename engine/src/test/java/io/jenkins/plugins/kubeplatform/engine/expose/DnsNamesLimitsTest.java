package io.jenkins.plugins.kubeplatform.engine.expose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import org.junit.jupiter.api.Test;

/**
 * The edges of DNS naming: label room for the hash and the variant suffix, host length and label count, the app's
 * room in a template, and the hyphens between Han and other runs. Hashes below are the first eight hex digits of
 * SHA-256 computed outside the code ({@code printf %s NAME | sha256sum}).
 */
class DnsNamesLimitsTest {

    @Test
    void keepsTheSlugWhenItFillsTheLabelExactly() {
        assertThat(DnsNames.label("abcdefgh", 1, 8)).isEqualTo("abcdefgh");
        assertThat(DnsNames.label("abcdefgh", 2, 10)).isEqualTo("abcdefgh-2");
    }

    @Test
    void replacesTheSlugByItsHashWhenOneCharacterTooLongAndNoRoomIsLeft() {
        // 13 characters in a label of 9: 9 - 8 - 1 = 0 characters of the slug remain
        assertThat(DnsNames.label("abcdefghijklm", 1, 9)).isEqualTo("ff10304f");
    }

    @Test
    void cutsTheSlugToTheRoomLeftByTheHashWhenItIsTooLong() {
        // 15 - 8 (hash) - 1 (hyphen) = 6 characters of the slug
        assertThat(DnsNames.label("a".repeat(20), 1, 15)).isEqualTo("aaaaaa-42492da0");
        // with variant 2: 17 - 8 - 1 - 2 = 6
        assertThat(DnsNames.label("a".repeat(20), 2, 17)).isEqualTo("aaaaaa-42492da0-2");
    }

    @Test
    void dropsATrailingHyphenWhenTheCutEndsOnOne() {
        // room 3 cuts "ab-cdefghijkl" to "ab-", whose hyphen must not double the separator
        assertThat(DnsNames.label("ab-cdefghijkl", 1, 12)).isEqualTo("ab-5ace3a5e");
    }

    @Test
    void givesTheHashOnlyWhenANameHasNoReadingAndNoRoomForApp() {
        assertThat(DnsNames.label("ᚠᚢᚦ", 1, 8)).isEqualTo("0587f14e");
        assertThat(DnsNames.label("ᚠᚢᚦ", 1, 63)).isEqualTo("app-0587f14e");
        assertThat(DnsNames.hash("ᚠᚢᚦ")).isEqualTo("0587f14e");
    }

    @Test
    void refusesALabelLimitWithoutRoomForTheHashAndVariant() {
        assertThatThrownBy(() -> DnsNames.label("shop", 1, 7)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a label needs room for at least 8 characters; got 7");
        assertThatThrownBy(() -> DnsNames.label("shop", 2, 9)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a label needs room for at least 10 characters; got 9");
    }

    @Test
    void acceptsAHostOfExactly253CharactersAndRefuses254() {
        String host253 = "a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(61);
        assertThat(host253).hasSize(253);
        assertThat(DnsNames.isHost(host253)).isTrue();
        assertThat(DnsNames.isHost(host253 + "d")).isFalse();
    }

    @Test
    void refusesHostsWithOneLabelAnEmptyLabelOrNothing() {
        assertThat(DnsNames.isHost("example.com")).isTrue();
        assertThat(DnsNames.isHost("localhost")).isFalse();
        assertThat(DnsNames.isHost("a..b")).isFalse();
        assertThat(DnsNames.isHost("a.b.")).isFalse();
        assertThat(DnsNames.isHost("")).isFalse();
        assertThat(DnsNames.isHost(null)).isFalse();
        assertThat(DnsNames.isHost("a-.b")).isFalse();
        assertThat(DnsNames.isHost("a." + "b".repeat(64))).isFalse();
    }

    @Test
    void checksLabelsWhenAskedDirectly() {
        assertThat(DnsNames.isLabel("a")).isTrue();
        assertThat(DnsNames.isLabel("a".repeat(63))).isTrue();
        assertThat(DnsNames.isLabel("a".repeat(64))).isFalse();
        assertThat(DnsNames.isLabel(null)).isFalse();
        assertThat(DnsNames.isLabel("-a")).isFalse();
    }

    @Test
    void separatesAHanRunFromTheTextBeforeAndAfterIt() {
        assertThat(Transliteration.toLatin("App挖财")).isEqualTo(new Transliteration.Latin("app-wacai", false));
        assertThat(Transliteration.toLatin("a挖财b")).isEqualTo(new Transliteration.Latin("a-wacai-b", false));
        assertThat(Transliteration.toLatin("挖财")).isEqualTo(new Transliteration.Latin("wacai", false));
    }

    @Test
    void marksTheReadingLossyOnlyWhenALetterOrSymbolIsDropped() {
        assertThat(Transliteration.toLatin("Café").lossy()).isFalse();
        assertThat(Transliteration.toLatin("😀shop").lossy()).isTrue();
        assertThat(Transliteration.toLatin("ᚠᚢᚦ").lossy()).isTrue();
        assertThat(Transliteration.toLatin("shop").lossy()).isFalse();
    }

    @Test
    void givesTheAppTheWholeLabelWhenNamespaceAndSuffixAreShort() {
        DomainTemplate template = DomainTemplate.parse("domains.template", null);

        assertThat(template.roomForApp("ns", "example.com")).isEqualTo(63);
        assertThat(template.host("shop", 1, "ns", "example.com")).isEqualTo("shop.ns.example.com");
        assertThat(template.host("shop", 3, "ns", "example.com")).isEqualTo("shop-3.ns.example.com");
    }

    @Test
    void sharesTheLabelBetweenTwoAppPlaceholdersWhenTheTemplateRepeatsIt() {
        DomainTemplate template = DomainTemplate.parse("domains.template", "{app}-{app}.{suffix}");

        // (63 - 1 hyphen) / 2 = 31 per app
        assertThat(template.roomForApp("ns", "example.com")).isEqualTo(31);
    }

    @Test
    void leavesTheAppExactlyTheHashWhenTheSuffixFillsTheRestOfTheHost() {
        DomainTemplate template = DomainTemplate.parse("domains.template", null);
        // 253 - ".ns." (4) - 8 = 241 characters of suffix leave 8 for the app
        String suffix = "s".repeat(60) + "." + "t".repeat(60) + "." + "u".repeat(60) + "." + "v".repeat(58);
        assertThat(suffix).hasSize(241);

        assertThat(template.roomForApp("ns", suffix)).isEqualTo(8);
        assertThat(template.host("a".repeat(20), 1, "ns", suffix)).isEqualTo("42492da0.ns." + suffix);
        assertThatThrownBy(() -> template.host("shop", 2, "ns", suffix)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("leaves 8 characters for the app name; at least 10 are needed");
        assertThatThrownBy(() -> template.host("shop", 1, "nsx", suffix)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("leaves 7 characters for the app name; at least 8 are needed");
    }

    @Test
    void dropsAControlCharacterAboveAsciiWithoutMarkingTheReadingLossy() {
        // U+0080 is a C1 control character: neither ASCII nor a letter, digit or symbol
        assertThat(Transliteration.toLatin("a\u0080b")).isEqualTo(new Transliteration.Latin("ab", false));
    }

    @Test
    void marksTheReadingLossyWhenASymbolOfTheBasicPlaneIsDropped() {
        // U+2603 SNOWMAN is an "other symbol" with no ASCII reading
        assertThat(Transliteration.toLatin("\u2603shop")).isEqualTo(new Transliteration.Latin("shop", true));
    }

    @Test
    void refusesATemplateWhoseTextAfterTheLastPlaceholderIsNotDnsText() {
        assertThatThrownBy(() -> DomainTemplate.parse("domains.template", "{app}.{suffix}_x"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("may contain only placeholders");
    }

    @Test
    void sharesTheHostLengthBetweenTwoAppPlaceholdersWhenTheSuffixIsLong() {
        DomainTemplate template = DomainTemplate.parse("domains.template", "{app}-{app}.{suffix}");
        String suffix = "s".repeat(60) + "." + "t".repeat(60) + "." + "u".repeat(60) + "." + "v".repeat(17);
        assertThat(suffix).hasSize(200);

        // the host keeps 2 characters ("-" and ".") and the suffix: (253 - 202) / 2 = 25 per app
        assertThat(template.roomForApp("ns", suffix)).isEqualTo(25);
    }

    @Test
    void readsTheNginxOptionsWithTheirDefaultsWhenUnset() {
        ExposeSettings.Nginx unset = new ExposeSettings.Nginx("/etc/nginx/kp.d", null, null, null);
        assertThat(unset.redirects()).isFalse();
        assertThat(unset.fallsBackToClusterIp()).isFalse();
        assertThat(unset.reloadEvery()).isEqualTo(java.time.Duration.ofSeconds(2));
        assertThat(unset.https()).isEmpty();

        ExposeSettings.Nginx set = new ExposeSettings.Nginx("/etc/nginx/kp.d", null, null, null, "8443", true, null,
                null, true, "5s");
        assertThat(set.redirects()).isTrue();
        assertThat(set.fallsBackToClusterIp()).isTrue();
        assertThat(set.reloadEvery()).isEqualTo(java.time.Duration.ofSeconds(5));
        assertThat(set.https()).contains("8443");
    }
}
