package io.jenkins.plugins.kubeplatform.engine.stickyip.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressRangeTest {

    @ParameterizedTest(name = "{0} -> {1}..{2}")
    @CsvSource({
            "10.42.200.0/24, 10.42.200.1, 10.42.200.254, 254",
            "10.42.0.0/16, 10.42.0.1, 10.42.255.254, 65534",
            "10.0.0.0/30, 10.0.0.1, 10.0.0.2, 2",
            "10.0.0.0/31, 10.0.0.0, 10.0.0.1, 2",
            "10.0.0.9/32, 10.0.0.9, 10.0.0.9, 1",
            "10.42.200.10-10.42.200.19, 10.42.200.10, 10.42.200.19, 10",
            "10.42.200.255-10.42.201.0, 10.42.200.255, 10.42.201.0, 2",
            "10.42.200.7, 10.42.200.7, 10.42.200.7, 1",
            "' 10.1.0.0/24 ', 10.1.0.1, 10.1.0.254, 254"})
    void parsesCidrsWithoutNetworkAndBroadcastRangesAndSingles(String text, String first, String last, long size) {
        AddressRange range = AddressRange.parse(text);

        assertThat(Ipv4.format(range.first())).isEqualTo(first);
        assertThat(Ipv4.format(range.last())).isEqualTo(last);
        assertThat(range.size()).isEqualTo(size);
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', value = {
            "10.42.200.1/24 | host bits set; the network is 10.42.200.0/24",
            "10.42.200.0/33 | prefix length outside 0..32",
            "10.42.200.0/ab | no prefix length",
            "10.42.200.9-10.42.200.1 | starts after it ends",
            "10.42.200 | is not an IPv4 CIDR",
            "fd00::/64 | is not an IPv4 CIDR",
            "'' | is not an IPv4 CIDR"})
    void explainsWhatIsWrong(String text, String message) {
        assertThatThrownBy(() -> AddressRange.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
        assertThat(AddressRange.problem(text)).isPresent();
    }

    @Test
    void acceptsTheWholeAddressSpaceWhenThePrefixIsZero() {
        AddressRange range = AddressRange.parse("0.0.0.0/0");

        assertThat(range.first()).isEqualTo(1L);
        assertThat(range.last()).isEqualTo(4294967294L);
        assertThat(AddressRange.parse("10.0.0.4/32").size()).isEqualTo(1);
        assertThat(AddressRange.parse("10.0.0.5-10.0.0.5")).isEqualTo(new AddressRange(167772165L, 167772165L));
    }

    @ParameterizedTest(name = "[{index}] ''{0}''")
    @ValueSource(strings = {"10.0.0.0/+24", "10.0.0.0/-1"})
    void rejectsASignedPrefixLength(String text) {
        assertThatThrownBy(() -> AddressRange.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("outside 0..32");
    }

    @Test
    void explainsWhatIsWrongWhenTheTextIsMissing() {
        assertThatThrownBy(() -> AddressRange.parse(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not an IPv4 CIDR");
        assertThat(AddressRange.problem("10.0.0.1-10.0.0.2")).isEmpty();
    }

    @Test
    void refusesBoundsOutsideTheAddressSpaceOrReversedWhenConstructed() {
        assertThatThrownBy(() -> new AddressRange(-1, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AddressRange(0, 4294967296L)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AddressRange(6, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new AddressRange(0, 0).size()).isEqualTo(1);
        assertThat(new AddressRange(4294967295L, 4294967295L).size()).isEqualTo(1);
    }

    @Test
    void containsItsBoundsAndNothingOutside() {
        AddressRange range = new AddressRange(100, 200);

        assertThat(range.contains(100)).isTrue();
        assertThat(range.contains(200)).isTrue();
        assertThat(range.contains(150)).isTrue();
        assertThat(range.contains(99)).isFalse();
        assertThat(range.contains(201)).isFalse();
    }

    @Test
    void ordersByFirstThenByLast() {
        AddressRange shortOne = new AddressRange(10, 12);
        AddressRange longOne = new AddressRange(10, 20);
        AddressRange later = new AddressRange(11, 11);

        assertThat(shortOne.compareTo(longOne)).isNegative();
        assertThat(longOne.compareTo(shortOne)).isPositive();
        assertThat(longOne.compareTo(later)).isNegative();
        assertThat(shortOne.compareTo(new AddressRange(10, 12))).isZero();
    }

    @Test
    void printsASingleAddressOrAFromToRange() {
        assertThat(AddressRange.parse("10.0.0.7")).hasToString("10.0.0.7");
        assertThat(AddressRange.parse("10.0.0.0/30")).hasToString("10.0.0.1-10.0.0.2");
    }
}
