package io.jenkins.plugins.kubeplatform.sim;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The objects a fresh simulated cluster starts with. */
final class Seed {

    /** Namespaces every cluster has from the start, as a real control plane creates them. */
    static final List<String> SYSTEM_NAMESPACES = List.of("default", "kube-system", "kube-public",
            "kube-node-lease");

    /** Further namespaces created when {@link SimOptions#seedDefaults()} is on. */
    static final List<String> NAMESPACES = List.of("kubeplatform-system", "gateway-system", "edge-frankfurt",
            "edge-paris");

    private final KubernetesClient client;
    private final SimOptions options;

    Seed(KubernetesClient client, SimOptions options) {
        this.client = client;
        this.options = options;
    }

    private void priorityClass(String name, int value, String description) {
        client.scheduling().v1().priorityClasses().resource(new io.fabric8.kubernetes.api.model.scheduling.v1
                .PriorityClassBuilder().withNewMetadata().withName(name).endMetadata().withValue(value)
                .withDescription(description).build()).create();
    }

    void apply() {
        CustomResources.ensure(client, CustomResources.CALICO_IPPOOL);
        CustomResources.ensure(client, CustomResources.CALICO_IPRESERVATION);
        CustomResources.ensure(client, CustomResources.KUBE_OVN_SUBNET);
        for (String ns : SYSTEM_NAMESPACES) {
            namespace(ns);
        }
        // what kube-apiserver's bootstrap creates (pkg/apis/scheduling/v1 SystemPriorityClasses)
        priorityClass("system-node-critical", 2_000_001_000,
                "Used for system critical pods that must not be moved from their current node.");
        priorityClass("system-cluster-critical", 2_000_000_000,
                "Used for system critical pods that must run in the cluster, but can be moved to another node if "
                        + "necessary.");
        if (options.seedDefaults()) {
            for (String ns : NAMESPACES) {
                namespace(ns);
            }
            int i = 0;
            for (String cidr : options.calicoPools()) {
                client.genericKubernetesResources(CustomResources.CALICO_IPPOOL.context())
                        .resource(pool(i == 0 ? "default-ipv4-ippool" : "pool-" + i, cidr)).create();
                if (options.cni() == Cni.KUBE_OVN) {
                    client.genericKubernetesResources(CustomResources.KUBE_OVN_SUBNET.context())
                            .resource(subnet(i == 0 ? "ovn-default" : "subnet-" + i, cidr, options.reservedCidrs())).create();
                }
                i++;
            }
            if (!options.reservedCidrs().isEmpty() && options.cni() == Cni.CALICO) {
                client.genericKubernetesResources(CustomResources.CALICO_IPRESERVATION.context())
                        .resource(new GenericKubernetesResourceBuilder().withApiVersion("crd.projectcalico.org/v1")
                                .withKind("IPReservation").withNewMetadata().withName("sticky-ip-reserved").endMetadata()
                                .addToAdditionalProperties("spec", Map.of("reservedCIDRs", options.reservedCidrs()))
                                .build()).create();
            }
        }
        int n = 0;
        for (SimNode node : options.nodes()) {
            client.nodes().resource(node(node, ++n)).create();
        }
    }

    private void namespace(String ns) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns)
                .addToLabels("kubernetes.io/metadata.name", ns).endMetadata()
                .withNewStatus().withPhase("Active").endStatus().build()).create();
    }

    static GenericKubernetesResource pool(String name, String cidr) {
        return new GenericKubernetesResourceBuilder().withApiVersion("crd.projectcalico.org/v1").withKind("IPPool")
                .withNewMetadata().withName(name).endMetadata()
                .addToAdditionalProperties("spec", Map.of("cidr", cidr, "blockSize", 26, "ipipMode", "Never",
                        "vxlanMode", "Always", "natOutgoing", true, "nodeSelector", "all()"))
                .build();
    }

    static GenericKubernetesResource subnet(String name, String cidr, List<String> reserved) {
        io.jenkins.plugins.kubeplatform.sim.model.Cidr block = io.jenkins.plugins.kubeplatform.sim.model.Cidr.parse(cidr);
        List<String> exclude = new java.util.ArrayList<>();
        exclude.add(io.jenkins.plugins.kubeplatform.sim.model.Cidr.toString(block.firstHost())); // the gateway
        for (String r : reserved) {
            var c = io.jenkins.plugins.kubeplatform.sim.model.Cidr.parse(r);
            if (block.contains(c.network())) {
                exclude.add(io.jenkins.plugins.kubeplatform.sim.model.Cidr.toString(c.network()) + ".."
                        + io.jenkins.plugins.kubeplatform.sim.model.Cidr.toString(c.network() + c.size() - 1));
            }
        }
        return new GenericKubernetesResourceBuilder().withApiVersion("kubeovn.io/v1").withKind("Subnet")
                .withNewMetadata().withName(name).endMetadata()
                .addToAdditionalProperties("spec", Map.of("cidrBlock", cidr, "protocol", "IPv4", "default", true,
                        "gateway", io.jenkins.plugins.kubeplatform.sim.model.Cidr.toString(block.firstHost()),
                        "excludeIps", exclude))
                .build();
    }

    /** A node object as a kubelet would register it, Ready. */
    static Node node(SimNode spec, int index) {
        String now = Instant.now().toString();
        Map<String, Quantity> capacity = Map.of("cpu", new Quantity(spec.cpu()), "memory", new Quantity(spec.memory()),
                "pods", new Quantity("110"), "ephemeral-storage", new Quantity("100Gi"));
        return new NodeBuilder()
                .withNewMetadata().withName(spec.name()).withLabels(spec.labels()).withAnnotations(spec.annotations())
                .endMetadata()
                .withNewSpec().withTaints(spec.taints()).withPodCIDR("10.244." + index + ".0/24").endSpec()
                .withNewStatus()
                .withCapacity(capacity).withAllocatable(capacity)
                .addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady")
                .withMessage("kubelet is posting ready status").withLastHeartbeatTime(now).withLastTransitionTime(now)
                .endCondition()
                .addNewCondition().withType("MemoryPressure").withStatus("False").withReason("KubeletHasSufficientMemory")
                .withLastHeartbeatTime(now).withLastTransitionTime(now).endCondition()
                .addNewCondition().withType("DiskPressure").withStatus("False").withReason("KubeletHasNoDiskPressure")
                .withLastHeartbeatTime(now).withLastTransitionTime(now).endCondition()
                .addNewCondition().withType("PIDPressure").withStatus("False").withReason("KubeletHasSufficientPID")
                .withLastHeartbeatTime(now).withLastTransitionTime(now).endCondition()
                .addNewAddress().withType("InternalIP").withAddress("192.168.56." + (10 + index)).endAddress()
                .addNewAddress().withType("Hostname").withAddress(spec.name()).endAddress()
                .withNewNodeInfo().withArchitecture("amd64").withOperatingSystem("linux")
                .withKubeletVersion(SimulatedCluster.KUBERNETES_VERSION)
                .withKubeProxyVersion(SimulatedCluster.KUBERNETES_VERSION)
                .withContainerRuntimeVersion("containerd://1.7.22").withOsImage("Simulated Linux")
                .withKernelVersion("6.1.0-sim").withMachineID(spec.name()).withSystemUUID(spec.name())
                .withBootID(spec.name()).endNodeInfo()
                .endStatus()
                .build();
    }
}
