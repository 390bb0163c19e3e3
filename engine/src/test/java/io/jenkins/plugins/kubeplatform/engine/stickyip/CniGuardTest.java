package io.jenkins.plugins.kubeplatform.engine.stickyip;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kubeplatform.engine.stickyip.CniGuard.CalicoPool;
import io.jenkins.plugins.kubeplatform.engine.stickyip.CniGuard.OvnSubnet;
import io.jenkins.plugins.kubeplatform.engine.stickyip.address.AddressRange;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CniGuardTest {

    private static AddressRange cidr(String text) {
        return CniGuard.widen(AddressRange.parse(text));
    }

    private static CalicoPool pool(String name, String cidr, String selector, String mode) {
        return new CalicoPool(name, cidr(cidr), cidr, false, selector, mode);
    }

    private static final IpPool STICKY = Pools.pool("default", "10.42.200.0/24");

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "10.42.200.0-10.42.200.255; 10.42.200.0/24",
            "10.42.200.1-10.42.200.6; 10.42.200.1/32 10.42.200.2/31 10.42.200.4/31 10.42.200.6/32",
            "10.0.0.0-10.0.1.255; 10.0.0.0/23"})
    void coversARangeWithTheFewestCidrs(String range, String expected) {
        assertThat(CniGuard.cidrs(AddressRange.parse(range))).containsExactly(expected.split(" "));
    }

    @Test
    void acceptsAPoolInsideAnAutoPoolWhenAnIpReservationCoversIt() {
        assertThat(CniGuard.calico(STICKY, List.of(pool("default-ipv4-ippool", "10.42.0.0/16", "all()", null)),
                List.of(cidr("10.42.200.0/23")))).isEmpty();
    }

    @Test
    void flagsOnlyThePartAnIpReservationLeavesOut() {
        var findings = CniGuard.calico(STICKY, List.of(pool("default-ipv4-ippool", "10.42.0.0/16", "all()", null)),
                List.of(cidr("10.42.200.0/25")));

        assertThat(findings).hasSize(1);
        assertThat(findings.get(0).fix()).contains("- 10.42.200.128/25").doesNotContain("10.42.200.0/");
    }

    @Test
    void acceptsAManualPoolAndAPoolNoNodeSelects() {
        assertThat(CniGuard.calico(STICKY, List.of(pool("sticky", "10.42.200.0/24", "all()", "Manual")), List.of()))
                .isEmpty();
        assertThat(CniGuard.calico(STICKY, List.of(pool("sticky", "10.42.200.0/24", "!all()", null)), List.of()))
                .isEmpty();
    }

    @Test
    void flagsAManualPoolThatAnAutoPoolOverlaps() {
        var findings = CniGuard.calico(STICKY, List.of(pool("sticky", "10.42.200.0/24", "!all()", "Manual"),
                pool("default-ipv4-ippool", "10.42.0.0/16", "all()", "Automatic")), List.of());

        assertThat(findings).hasSize(1);
        assertThat(findings.get(0).problem()).contains("default-ipv4-ippool");
    }

    @Test
    void listsTheSubnetsExistingExclusionsWithTheMissingRange() {
        var subnet = new OvnSubnet("ovn-default", cidr("10.42.0.0/16"), List.of("10.42.0.1"),
                List.of(new AddressRange(AddressRange.parse("10.42.0.1").first(), AddressRange.parse("10.42.0.1").last())));

        var findings = CniGuard.kubeOvn(STICKY, List.of(subnet));

        assertThat(findings).hasSize(1);
        assertThat(findings.get(0).fix()).isEqualTo("apiVersion: kubeovn.io/v1\nkind: Subnet\nmetadata:\n  name: ovn-default\n"
                + "spec:\n  excludeIps:\n    - 10.42.0.1\n    - 10.42.200.0..10.42.200.255\n");
    }
}
