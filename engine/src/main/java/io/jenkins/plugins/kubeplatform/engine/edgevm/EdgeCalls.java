package io.jenkins.plugins.kubeplatform.engine.edgevm;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException;
import io.jenkins.plugins.kubeplatform.engine.kube.ApiRetry;
import io.jenkins.plugins.kubeplatform.engine.kube.Conflicts;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** The edge engine's reads and single writes against site and edge clusters, each through the retry policy. */
final class EdgeCalls {

    private final ClusterClients clients;
    private final ApiRetry retry;

    EdgeCalls(ClusterClients clients, ApiRetry retry) {
        this.clients = clients;
        this.retry = retry;
    }

    KubernetesClient client(String connection) {
        return clients.client(connection);
    }

    ApiRetry retry() {
        return retry;
    }

    /** The VM's node in its edge cluster, null when it is not registered. */
    Node node(EdgeSettings.EdgeCluster cluster, String vm) {
        KubernetesClient edge = clients.client(cluster.cluster());
        return retry.call("read node " + vm, () -> edge.nodes().withName(vm).get());
    }

    static boolean unschedulable(Node node) {
        return Boolean.TRUE.equals(node.getSpec() == null ? null : node.getSpec().getUnschedulable());
    }

    static boolean isReady(Node node) {
        return node != null && node.getStatus() != null && node.getStatus().getConditions() != null
                && node.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    GenericKubernetesResource virtualMachine(VmRecord record) {
        KubernetesClient site = clients.client(record.siteCluster());
        return retry.call("read VirtualMachine " + record.vm(), () -> site.genericKubernetesResources(
                KubeVirt.VIRTUAL_MACHINE).inNamespace(record.namespace()).withName(record.vm()).get());
    }

    Optional<String> vmiAddress(VmRecord record) {
        KubernetesClient site = clients.client(record.siteCluster());
        GenericKubernetesResource vmi = retry.call("read VirtualMachineInstance " + record.vm(), () ->
                site.genericKubernetesResources(KubeVirt.VIRTUAL_MACHINE_INSTANCE).inNamespace(record.namespace())
                        .withName(record.vm()).get());
        return KubeVirt.address(vmi);
    }

    /** Nodes per edge cluster, from one node list per cluster connection of configured and created clusters. */
    Map<String, Integer> edgeClusterNodes(EdgeSettings settings, Inventory inventory) {
        Set<String> connections = new LinkedHashSet<>();
        settings.edgeClusters().forEach(c -> connections.add(Objects.toString(c.cluster(), "")));
        inventory.createdClusters().forEach(c -> connections.add(Objects.toString(c.settings().cluster(), "")));
        Map<String, Integer> counts = new HashMap<>();
        for (String connection : connections) {
            KubernetesClient client = clients.client(connection);
            for (Node node : retry.call("list edge nodes", () -> client.nodes()
                    .withLabel(KubeVirt.LABEL_EDGE_CLUSTER).list().getItems())) {
                String cluster = node.getMetadata().getLabels().get(KubeVirt.LABEL_EDGE_CLUSTER);
                if (cluster != null) {
                    counts.merge(cluster, 1, Integer::sum);
                }
            }
        }
        return counts;
    }

    /**
     * Fails, naming the site and its cluster connection, when that cluster does not serve KubeVirt's VirtualMachines
     * (its {@code kubevirt.io/v1} discovery document is missing or lacks them): KubeVirt is not installed there.
     */
    void requireKubeVirt(String site, String connection) {
        io.fabric8.kubernetes.api.model.APIResourceList resources = retry.call("read kubevirt.io/v1 discovery",
                () -> client(connection).getApiResources("kubevirt.io/v1"));
        boolean served = resources != null && resources.getResources() != null && resources.getResources().stream()
                .anyMatch(r -> "virtualmachines".equals(r.getName()));
        if (!served) {
            throw new OperationFailedException("Site " + site + ": its cluster (" + (connection == null
                    || connection.isEmpty() ? "the default cluster" : "cluster '" + connection + "'")
                    + ") does not serve KubeVirt VirtualMachines (kubevirt.io/v1): install KubeVirt there or remove the "
                    + "site from edgeVms.sites; nothing was created");
        }
    }

    void patchUnschedulable(KubernetesClient edge, String node, boolean value, boolean dryRun) {
        retry.run("patch node " + node, () -> (dryRun ? edge.nodes().withName(node).dryRun()
                : edge.nodes().withName(node)).patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"unschedulable\":" + (value ? "true" : "null") + "}}"));
    }

    void deleteIgnoringMissing(Runnable delete) {
        try {
            retry.run("delete", delete);
        } catch (KubernetesClientException e) {
            if (!Conflicts.isNotFound(e)) {
                throw failure("Deleting an edge VM object failed", e);
            }
        }
    }

    void createIgnoringExisting(Runnable create) {
        try {
            retry.run("create", create);
        } catch (KubernetesClientException e) {
            if (!Conflicts.isAlreadyExists(e)) {
                throw failure("Creating an edge VM object failed", e);
            }
        }
    }

    private static OperationFailedException failure(String what, KubernetesClientException e) {
        return new OperationFailedException(what + ": " + ApiRetry.serverMessage(e), e);
    }
}
