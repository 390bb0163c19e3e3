package io.jenkins.plugins.kubeplatform.sim.controllers;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kubeplatform.sim.Cni;
import io.jenkins.plugins.kubeplatform.sim.model.Cidr;
import io.jenkins.plugins.kubeplatform.sim.model.Ipv6Cidr;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The simulated IPAM's dual-stack requests: one address per family, each refused in the CNI's own words. */
class DualStackIpamTest {

    private static Ipam calico() {
        Ipam ipam = new Ipam(Cni.CALICO);
        ipam.setPools(List.of(new Ipam.Pool("default-ipv4-ippool", Cidr.parse("10.42.0.0/16"), false)));
        ipam.setIpv6Pools(List.of(new Ipam.Ipv6Pool("sticky-ipv6", Ipv6Cidr.parse("fd00:10:42::/120"), false)));
        return ipam;
    }

    private static Map<String, String> calicoRequest(String... ips) {
        return Map.of("cni.projectcalico.org/ipAddrs", "[\"" + String.join("\",\"", ips) + "\"]");
    }

    @Test
    void assignsBothRequestedAddressesWhenACalicoPodAsksForADualStackPair() {
        Ipam.Result r = calico().assign("uid-a", "shop/a", calicoRequest("10.42.200.5", "fd00:10:42::5"));

        assertThat(r).isEqualTo(new Ipam.Result.Assigned("10.42.200.5",
                new Ipam.Pool("default-ipv4-ippool", Cidr.parse("10.42.0.0/16"), false), Optional.of("fd00:10:42::5")));
    }

    @Test
    void refusesAnIpv6AddressHeldByAnotherPodAndKeepsTheIpv4AddressFree() {
        Ipam ipam = calico();
        ipam.assign("uid-a", "shop/a", calicoRequest("10.42.200.5", "fd00:10:42::5"));

        Ipam.Result second = ipam.assign("uid-b", "shop/b", calicoRequest("10.42.200.6", "fd00:10:42::5"));

        assertThat(second).isEqualTo(new Ipam.Result.Failed("plugin type=\"calico\" failed (add): failed to request "
                + "IP(s) [fd00:10:42::5]: Address already assigned in block"));
        assertThat(ipam.assign("uid-c", "shop/c", calicoRequest("10.42.200.6"))).isInstanceOf(Ipam.Result.Assigned.class);
    }

    @Test
    void refusesAnIpv6AddressOutsideEveryIpv6Pool() {
        Ipam.Result r = calico().assign("uid-a", "shop/a", calicoRequest("10.42.200.5", "fd00:99::5"));

        assertThat(r).isEqualTo(new Ipam.Result.Failed("plugin type=\"calico\" failed (add): failed to request IP(s) "
                + "[fd00:99::5]: the provided IP address is not in a configured pool"));
    }

    @Test
    void freesTheIpv6AddressWhenThePodIsReleased() {
        Ipam ipam = new Ipam(Cni.KUBE_OVN);
        ipam.setPools(List.of(new Ipam.Pool("ovn-default", Cidr.parse("10.42.0.0/16"), false)));
        ipam.setIpv6Pools(List.of(new Ipam.Ipv6Pool("ovn-default", Ipv6Cidr.parse("fd00:10:42::/120"), false)));
        Map<String, String> pair = Map.of("ovn.kubernetes.io/ip_address", "10.42.200.5,fd00:10:42::5");
        assertThat(ipam.assign("uid-a", "shop/a", pair)).isInstanceOf(Ipam.Result.Assigned.class);
        assertThat(ipam.assign("uid-b", "shop/b", Map.of("ovn.kubernetes.io/ip_address", "10.42.200.6,fd00:10:42::5")))
                .isEqualTo(new Ipam.Result.Failed("AddressConflict: fd00:10:42::5 has been allocated to shop/a"));

        ipam.release("uid-a");

        assertThat(ipam.assign("uid-b", "shop/b", Map.of("ovn.kubernetes.io/ip_address", "10.42.200.6,fd00:10:42::5")))
                .isInstanceOf(Ipam.Result.Assigned.class);
    }
}
