package io.jenkins.plugins.kubeplatform.engine.stickyip;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The SIP-13 check of a dual-stack pool's IPv6 part against the CNI's IPv6 objects. */
class Ipv6GuardTest {

    private final IpPool dual = Pools.pool("web", "10.42.200.0/24", "fd00:10:42::/120");

    private static GenericKubernetesResource object(String name, Map<String, Object> spec) {
        return new GenericKubernetesResourceBuilder().withNewMetadata().withName(name).endMetadata()
                .addToAdditionalProperties("spec", spec).build();
    }

    @Test
    void asksForAManualIpv6IpPoolWhenNoCalicoPoolHoldsTheIpv6Part() {
        List<CniGuard.Finding> findings = Ipv6Guard.calico(dual,
                List.of(object("default-ipv4-ippool", Map.of("cidr", "10.42.0.0/16"))), List.of());

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.problem()).startsWith("IPv6 addresses fd00:10:42::1-fd00:10:42::ff of pool 'web' lie in no "
                    + "enabled Calico IPPool");
            assertThat(f.fix()).isEqualTo("apiVersion: crd.projectcalico.org/v1\nkind: IPPool\nmetadata:\n"
                    + "  name: kubeplatform-web-ipv6\nspec:\n  cidr: fd00:10:42::/120\n  assignmentMode: Manual\n");
        });
    }

    @Test
    void findsNothingWhenTheIpv6PartLiesInAManualCalicoPool() {
        assertThat(Ipv6Guard.calico(dual, List.of(object("v6", Map.of("cidr", "fd00:10:42::/64",
                "assignmentMode", "Manual"))), List.of())).isEmpty();
    }

    @Test
    void asksForAnIpReservationWhenAnAutomaticCalicoPoolHoldsTheIpv6Part() {
        GenericKubernetesResource automatic = object("default-ipv6-ippool", Map.of("cidr", "fd00:10:42::/64"));

        List<CniGuard.Finding> findings = Ipv6Guard.calico(dual, List.of(automatic),
                List.of(object("r", Map.of("reservedCIDRs", List.of("fd00:10:42::/121")))));

        // the reservation covers ::0-::7f; ::80-::ff stay exposed
        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.problem()).startsWith("IPv6 addresses fd00:10:42::80-fd00:10:42::ff of pool 'web' lie in "
                    + "Calico IPPool default-ipv6-ippool");
            assertThat(f.fix()).endsWith("  reservedCIDRs:\n    - fd00:10:42::80/121\n");
        });
    }

    @Test
    void asksToExcludeTheIpv6PartWhenADualStackSubnetHandsItOut() {
        GenericKubernetesResource subnet = object("ovn-default", Map.of("cidrBlock", "10.42.0.0/16,fd00:10:42::/64",
                "excludeIps", List.of("10.42.0.1", "fd00:10:42::1..fd00:10:42::7f")));

        List<CniGuard.Finding> findings = Ipv6Guard.kubeOvn(dual, List.of(subnet));

        assertThat(findings).singleElement().satisfies(f -> assertThat(f.fix()).endsWith(
                "    - 10.42.0.1\n    - fd00:10:42::1..fd00:10:42::7f\n    - fd00:10:42::80..fd00:10:42::ff\n"));
        assertThat(Ipv6Guard.kubeOvn(dual, List.of(object("ovn-default", Map.of("cidrBlock",
                "10.42.0.0/16,fd00:10:42::/64", "excludeIps", List.of("fd00:10:42::1..fd00:10:42::ff")))))).isEmpty();
    }

    @Test
    void findsNothingForAPoolWithoutAnIpv6Part() {
        assertThat(Ipv6Guard.calico(Pools.pool("v4", "10.42.200.0/24"), List.of(), List.of())).isEmpty();
    }
}
