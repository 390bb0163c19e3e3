package io.jenkins.plugins.kubeplatform.engine.stickyip;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIP;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.sim.CustomResources;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dual-stack pool deployed on the simulated cluster with each CNI: every pod runs with one address per family,
 * requested in the format of its CNI's annotation, and reported in {@code status.podIPs}, IPv4 first.
 */
class DualStackSimTest {

    @TempDir
    Path stateDir;

    private SimulatedCluster sim;

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    private StickyIpDeployer deployer(String cni) {
        Map<String, IpPool> pools = PoolSettings.toPools(List.of(PoolSettings.builder("dual")
                .ranges("10.42.200.0/24", "fd00:10:42::/120").cni(cni).reclaimAfter("1h").build()));
        return new StickyIpDeployer(sim.client(), pools, new IpReservationLedger(
                new JournaledLedgerStore(stateDir.resolve("ip-ledger")), Clock.systemUTC(), new Random(1)),
                StickyIpDeployerSimTest.fastRetry());
    }

    private void start(io.jenkins.plugins.kubeplatform.sim.Cni cni) {
        sim = SimulatedCluster.start(SimOptions.builder().cni(cni).speed(100).build());
        sim.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata()
                .build()).create();
    }

    private static DeployRequest web() {
        return DeployRequest.of("shop", "web", "registry.example.com/web:1", 3, 8080, "dual")
                .withTimeout(Duration.ofSeconds(60));
    }

    /** Each pod's status.podIPs by its identity label, read from the cluster, not from the code under test. */
    private Map<String, List<String>> podIpsByIdentity() throws Exception {
        List<Pod> pods = sim.client().pods().inNamespace("shop").withLabel(StickyIpLabels.NAME, "web")
                .informOnCondition(ps -> ps.stream().filter(p -> p.getStatus() != null && p.getStatus().getPodIPs() != null
                        && p.getStatus().getPodIPs().size() == 2).count() == 3)
                .get(30, TimeUnit.SECONDS);
        Map<String, List<String>> out = new HashMap<>();
        pods.stream().sorted(Comparator.comparing(p -> p.getMetadata().getName())).forEach(p -> out.put(
                p.getMetadata().getLabels().get(StickyIpLabels.IDENTITY),
                p.getStatus().getPodIPs().stream().map(PodIP::getIp).toList()));
        return out;
    }

    /** Lowest free of each family, by ordinal: .0 is the /24's network address, ::0 the /120's anycast address. */
    private static final Map<String, List<String>> EXPECTED = Map.of(
            "web-0", List.of("10.42.200.1", "fd00:10:42::1"),
            "web-1", List.of("10.42.200.2", "fd00:10:42::2"),
            "web-2", List.of("10.42.200.3", "fd00:10:42::3"));

    @Test
    void runsEveryPodWithOneAddressPerFamilyWhenThePoolIsDualStackOnCalico() throws Exception {
        start(io.jenkins.plugins.kubeplatform.sim.Cni.CALICO);
        // the IPv6 part needs a Calico IPPool that never assigns on its own
        sim.client().genericKubernetesResources(CustomResources.CALICO_IPPOOL.context()).resource(
                new GenericKubernetesResourceBuilder().withApiVersion("crd.projectcalico.org/v1").withKind("IPPool")
                        .withNewMetadata().withName("sticky-ipv6").endMetadata()
                        .addToAdditionalProperties("spec", Map.of("cidr", "fd00:10:42::/120", "assignmentMode", "Manual"))
                        .build()).create();

        DeployResult result = deployer("calico").deploy(web(), Progress.silent());

        assertThat(podIpsByIdentity()).isEqualTo(EXPECTED);
        assertThat(result.toMap().get("identities")).asList().first()
                .satisfies(m -> assertThat(new HashMap<Object, Object>((Map<?, ?>) m)).containsEntry("ip", "10.42.200.1")
                        .containsEntry("ips", List.of("10.42.200.1", "fd00:10:42::1")));
        Pod first = sim.client().pods().inNamespace("shop").withLabel(StickyIpLabels.IDENTITY, "web-0").list()
                .getItems().get(0);
        assertThat(first.getMetadata().getAnnotations())
                .containsEntry("cni.projectcalico.org/ipAddrs", "[\"10.42.200.1\",\"fd00:10:42::1\"]");
    }

    @Test
    void runsEveryPodWithOneAddressPerFamilyWhenThePoolIsDualStackOnKubeOvn() throws Exception {
        start(io.jenkins.plugins.kubeplatform.sim.Cni.KUBE_OVN);
        GenericKubernetesResource subnet = sim.client().genericKubernetesResources(
                CustomResources.KUBE_OVN_SUBNET.context()).withName("ovn-default").get();
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = new HashMap<>((Map<String, Object>) subnet.getAdditionalProperties().get("spec"));
        spec.put("cidrBlock", spec.get("cidrBlock") + ",fd00:10:42::/120");
        spec.put("protocol", "Dual");
        List<Object> exclude = new java.util.ArrayList<>((List<?>) spec.get("excludeIps"));
        exclude.add("fd00:10:42::1..fd00:10:42::ff"); // the pool's IPv6 part, kept from automatic allocation
        spec.put("excludeIps", exclude);
        subnet.getAdditionalProperties().put("spec", spec);
        sim.client().genericKubernetesResources(CustomResources.KUBE_OVN_SUBNET.context()).resource(subnet).update();

        deployer("kube-ovn").deploy(web(), Progress.silent());

        assertThat(podIpsByIdentity()).isEqualTo(EXPECTED);
        Pod first = sim.client().pods().inNamespace("shop").withLabel(StickyIpLabels.IDENTITY, "web-0").list()
                .getItems().get(0);
        assertThat(first.getMetadata().getAnnotations())
                .containsEntry("ovn.kubernetes.io/ip_address", "10.42.200.1,fd00:10:42::1");
    }
}
