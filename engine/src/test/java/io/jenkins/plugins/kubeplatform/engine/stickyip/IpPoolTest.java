package io.jenkins.plugins.kubeplatform.engine.stickyip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kubeplatform.engine.stickyip.address.AddressPool;
import io.jenkins.plugins.kubeplatform.engine.stickyip.address.IpKey;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** SIP-3: a pool hands out only addresses of its ranges, minus exclusions, in each of its families. */
class IpPoolTest {

    private static IpPool pool(List<String> ranges, String... exclude) {
        return PoolSettings.builder("p").ranges(ranges).exclude(List.of(exclude)).keepNamespaces("keep")
                .reclaimAfter("1h").build().toPool();
    }

    private static IpKey ip(String text) {
        return IpKey.parse(text).orElseThrow();
    }

    @Test
    void coversAndAllocatesOnlyInsideItsRangesLeavingExclusionsCovered() {
        IpPool v4 = pool(List.of("10.42.200.0/24"), "10.42.200.7");

        assertThat(v4.allocatable(ip("10.42.200.8"))).isTrue();
        assertThat(v4.allocatable(ip("10.42.200.7"))).isFalse();
        assertThat(v4.covers(ip("10.42.200.7"))).isTrue();
        assertThat(v4.covers(ip("10.42.201.1"))).isFalse();
        assertThat(v4.allocatable(ip("10.42.201.1"))).isFalse();
    }

    @Test
    void answersForTheFamilyOfTheAddressAndNeverForAFamilyItLacks() {
        IpPool v4 = pool(List.of("10.42.200.0/24"));
        IpPool dual = pool(List.of("10.42.200.0/24", "fd00:10:42::/120"), "fd00:10:42::9");

        assertThat(v4.dualStack()).isFalse();
        assertThat(v4.family(false)).isEmpty();
        assertThat(v4.covers(ip("fd00:10:42::5"))).isFalse();
        assertThat(v4.allocatable(ip("fd00:10:42::5"))).isFalse();
        assertThat(dual.dualStack()).isTrue();
        assertThat(dual.families()).hasSize(2);
        assertThat(dual.family(true)).contains(dual.addresses());
        assertThat(dual.family(false)).isEqualTo(dual.ipv6Part());
        assertThat(dual.allocatable(ip("fd00:10:42::5"))).isTrue();
        assertThat(dual.allocatable(ip("fd00:10:42::9"))).isFalse();
        assertThat(dual.covers(ip("fd00:10:42::9"))).isTrue();
        assertThat(dual.covers(ip("fd00:10:43::1"))).isFalse();
        assertThat(dual.allocatable(ip("10.42.200.5"))).isTrue();
    }

    @Test
    void describesBothPartsOfADualStackPool() {
        IpPool dual = pool(List.of("10.42.200.0/24", "fd00:10:42::/120"));

        assertThat(dual.describeAddresses()).isEqualTo(dual.addresses() + " and " + dual.ipv6Part().orElseThrow());
        assertThat(pool(List.of("10.42.200.0/24")).describeAddresses())
                .isEqualTo(pool(List.of("10.42.200.0/24")).addresses().toString());
    }

    @Test
    void keepsOnlyItsKeepNamespaces() {
        IpPool v4 = pool(List.of("10.42.200.0/24"));

        assertThat(v4.keeps("keep")).isTrue();
        assertThat(v4.keeps("shop")).isFalse();
    }

    @Test
    void refusesADualStackPoolWhosePartsAreNotOneOfEachFamily() {
        IpPool v4 = pool(List.of("10.42.200.0/24"));
        AddressPool v6 = pool(List.of("fd00:10:42::/120")).addresses();

        assertThatThrownBy(() -> new IpPool("p", v4.addresses(), Cni.CALICO, v4.order(), v4.keepNamespaces(),
                v4.reclaimAfter(), v4.pinning(), false, null, Optional.of(v4.addresses())))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IpPool("p", v6, Cni.CALICO, v4.order(), v4.keepNamespaces(),
                v4.reclaimAfter(), v4.pinning(), false, null, Optional.of(v6)))
                .isInstanceOf(IllegalArgumentException.class);
        IpPool fine = new IpPool("p", v4.addresses(), Cni.CALICO, v4.order(), v4.keepNamespaces(), v4.reclaimAfter(),
                v4.pinning(), false, null, null);
        assertThat(fine.cniCheck()).isEqualTo(CniCheck.ENFORCE);
        assertThat(fine.ipv6Part()).isEmpty();
    }
}
