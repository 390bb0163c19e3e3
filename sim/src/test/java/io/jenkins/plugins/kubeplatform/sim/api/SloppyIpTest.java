package io.jenkins.plugins.kubeplatform.sim.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link SloppyIp} against Go 1.16 {@code net.ParseIP}, which k8s.io/utils/net keeps as {@code ParseIPSloppy}. */
class SloppyIpTest {

    @ParameterizedTest
    @CsvSource({
        "10.0.0.1, true",
        "010.001.000.001, true",
        "0.0.0.0, true",
        "::ffff:1.2.3.4, true",
        "::, false",
        "::1, false",
        "fd00::1, false",
        "2001:db8::ffff, false",
        "1:2:3:4:5:6:7:8, false",
        "1:2:3:4:5:6:1.2.3.4, false",
        "1:2:3:4:5:6:7::, false",
        "0000012::, false"
    })
    void parsesWhatGoParsesAndTellsTheFamily(String ip, boolean ipv4) {
        assertThat(SloppyIp.parse(ip)).hasValueSatisfying(b -> assertThat(SloppyIp.isIpv4(b)).isEqualTo(ipv4));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10.0.0.256", "1.2.3", "1.2.3.4.5", "1.2.3.", "a.b.c.d", "::1::", ":::",
        "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7:8::", "fe80::1%eth0", "[::1]", "12345::", "::1.2.3", "node-a", " 10.0.0.1"})
    void refusesWhatGoRefuses(String ip) {
        assertThat(SloppyIp.parse(ip)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"::ffff:10.0.0.1, 10.0.0.1", "::10.0.0.1, ::a00:1"})
    void placesAnEmbeddedIpv4InTheLastFourBytes(String ip, String sameAs) {
        assertThat(SloppyIp.parse(ip).orElseThrow()).isEqualTo(SloppyIp.parse(sameAs).orElseThrow());
    }
}
