package io.jenkins.plugins.kubeplatform.engine.stickyip.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** IPv6 pool ranges: one range inside one /64, expected values written out in hexadecimal by hand. */
class Ipv6RangeTest {

    private static final long FD00 = 0xfd00_0000_0000_0000L;

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "fd00::/120, 1, ff, 255",
            "fd00::4/127, 4, 5, 2",
            "fd00::9/128, 9, 9, 1",
            "fd00::10-fd00::ff, 10, ff, 240",
            "' fd00::7 ', 7, 7, 1"})
    void parsesCidrsWithoutTheSubnetRouterAnycastRangesAndSingles(String text, String first, String last, long size) {
        Ipv6Range range = Ipv6Range.parse(text);

        assertThat(range.upper()).isEqualTo(FD00);
        assertThat(range.firstLow()).isEqualTo(Long.parseUnsignedLong(first, 16));
        assertThat(range.lastLow()).isEqualTo(Long.parseUnsignedLong(last, 16));
        assertThat(range.size()).isEqualTo(size);
    }

    @Test
    void saturatesTheSizeOfAWhole64() {
        Ipv6Range range = Ipv6Range.parse("fd00:10:42::/64");

        assertThat(range.upper()).isEqualTo(0xfd00_0010_0042_0000L);
        assertThat(range.firstLow()).isEqualTo(1L);
        assertThat(range.lastLow()).isEqualTo(0xffff_ffff_ffff_ffffL);
        assertThat(range.size()).isEqualTo(Long.MAX_VALUE);
        assertThat(new Ipv6Range(0, 0, Long.MAX_VALUE).size()).isEqualTo(Long.MAX_VALUE);
        assertThat(new Ipv6Range(0, 5, 9).size()).isEqualTo(5);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "fd00::/63 | is larger than a /64",
            "fd00::/0 | is larger than a /64",
            "fd00::/129 | prefix length outside 0..128",
            "fd00::/+64 | prefix length outside 0..128",
            "fd00::/-1 | prefix length outside 0..128",
            "fd00::/x | has no prefix length",
            "fd00::1/120 | has host bits set",
            "fd00::1-fd01::1 | spans more than one /64",
            "fd00::9-fd00::1 | starts after it ends",
            "10.0.0.1 | is not an IPv6 CIDR",
            "'' | is not an IPv6 CIDR"})
    void explainsWhatIsWrong(String text, String message) {
        assertThatThrownBy(() -> Ipv6Range.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
        assertThat(Ipv6Range.problem(text)).isPresent();
    }

    @Test
    void refusesARangeThatStartsAfterItEndsInUnsignedOrder() {
        assertThatThrownBy(() -> new Ipv6Range(0, 5, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Ipv6Range(0, -1L, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new Ipv6Range(0, 1, -1L).lastLow()).isEqualTo(-1L);
        assertThat(new Ipv6Range(0, 5, 5).size()).isEqualTo(1);
        assertThat(Ipv6Range.problem("fd00::1-fd00::2")).isEmpty();
        assertThatThrownBy(() -> Ipv6Range.parse(null)).hasMessageContaining("is not an IPv6 CIDR");
    }

    @Test
    void containsItsBoundsInItsOwn64Only() {
        Ipv6Range range = Ipv6Range.parse("fd00::/120");

        assertThat(range.contains(IpKey.parse("fd00::1").orElseThrow())).isTrue();
        assertThat(range.contains(IpKey.parse("fd00::ff").orElseThrow())).isTrue();
        assertThat(range.contains(IpKey.parse("fd00::").orElseThrow())).isFalse();
        assertThat(range.contains(IpKey.parse("fd00::100").orElseThrow())).isFalse();
        assertThat(range.contains(IpKey.parse("fd01::1").orElseThrow())).isFalse();
    }

    @Test
    void recognisesIpv6TextByItsColon() {
        assertThat(Ipv6Range.looksLikeIpv6("::1")).isTrue();
        assertThat(Ipv6Range.looksLikeIpv6("fd00::")).isTrue();
        assertThat(Ipv6Range.looksLikeIpv6("10.0.0.1")).isFalse();
        assertThat(Ipv6Range.looksLikeIpv6(null)).isFalse();
    }

    @Test
    void keysIpv4AddressesInsideTheSpaceOnly() {
        assertThatThrownBy(() -> IpKey.ofIpv4(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IpKey.ofIpv4(4294967296L)).isInstanceOf(IllegalArgumentException.class);
        assertThat(IpKey.ofIpv4(0).isIpv4()).isTrue();
        assertThat(IpKey.ofIpv4(4294967295L).ipv4()).hasValue(4294967295L);
        assertThat(IpKey.parse(" 10.0.0.1 ").orElseThrow().ipv4()).hasValue(167772161L);
        assertThat(IpKey.parse("")).isEmpty();
        assertThat(IpKey.parse(null)).isEmpty();
        assertThat(IpKey.parse("fd00::/64")).isEmpty();
        assertThat(IpKey.parse("::ffff:10.0.0.1")).isEmpty();
        assertThat(IpKey.parse("fd00::1").orElseThrow().isIpv4()).isFalse();
    }
}
