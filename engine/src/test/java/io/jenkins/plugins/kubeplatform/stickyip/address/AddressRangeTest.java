package io.jenkins.plugins.kubeplatform.stickyip.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
}
