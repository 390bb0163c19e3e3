package io.jenkins.plugins.kubeplatform.engine.stickyip.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class Ipv4Test {

    @ParameterizedTest
    @CsvSource({
            "0.0.0.0, 0",
            "10.42.0.7, 170524679",
            "255.255.255.255, 4294967295",
            "192.168.1.1, 3232235777"})
    void parsesAndFormatsDottedQuads(String text, long value) {
        assertThat(Ipv4.parse(text)).contains(value);
        assertThat(Ipv4.format(value)).isEqualTo(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10.42.0", "10.42.0.7.1", "256.1.1.1", "010.1.1.1", "1.1.1.-1", "a.b.c.d", "1..1.1",
            "1.1.1.1 2", "1.1.1.1000", "::1"})
    void rejectsAnythingButAStrictDottedQuad(String text) {
        assertThat(Ipv4.parse(text)).isEmpty();
        assertThat(Ipv4.isValid(text)).isFalse();
    }

    @org.junit.jupiter.api.Test
    void readsNothingFromNullAndAcceptsAValidAddress() {
        assertThat(Ipv4.parse(null)).isEmpty();
        assertThat(Ipv4.isValid("10.0.0.1")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(longs = {-1L, 4294967296L})
    void refusesToFormatValuesOutsideTheAddressSpace(long value) {
        assertThatThrownBy(() -> Ipv4.format(value)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Long.toString(value));
    }
}
