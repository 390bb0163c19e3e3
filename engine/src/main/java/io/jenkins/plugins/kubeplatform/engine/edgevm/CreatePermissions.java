package io.jenkins.plugins.kubeplatform.engine.edgevm;

import io.jenkins.plugins.kubeplatform.engine.kube.AccessCheck.Permission;
import io.jenkins.plugins.kubeplatform.engine.kube.AccessCheck;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The permission pre-check of a create (docs/rbac.yaml, roles kubeplatform-provisionEdgeVm*), a pure function of the
 * decision: in the site namespace the join Secret, the VirtualMachine and its instance; in the edge cluster the nodes
 * (listed, watched until the VM's node joins, uncordoned when an idle VM is reused) and, for a new OpenYurt cluster,
 * its NodePool.
 */
final class CreatePermissions {

    private CreatePermissions() {
    }

    /**
     * The permissions per cluster connection ("" for the default cluster); one entry when the site and the edge
     * cluster are the same connection. {@code clusters} resolves an existing edge cluster by name.
     */
    static Map<String, List<Permission>> of(CreateDecision decision, boolean wait, EdgeSettings settings,
                                            Function<String, EdgeSettings.EdgeCluster> clusters) {
        VmRecord record = decision.record();
        boolean newCluster = decision instanceof CreateDecision.Fresh f && f.newCluster();
        String edgeConnection;
        JoinMethod method;
        if (newCluster) {
            edgeConnection = Objects.toString(settings.newClusters().cluster(), "");
            method = JoinMethod.parse("edgeVms newClusterJoinMethod", settings.newClusters().joinMethod());
        } else {
            EdgeSettings.EdgeCluster cluster = clusters.apply(record.edgeCluster());
            edgeConnection = Objects.toString(cluster.cluster(), "");
            method = cluster.method();
        }
        List<Permission> site = site(record.namespace());
        List<Permission> edge = new ArrayList<>();
        edge.add(Permission.cluster("list", "", "nodes"));
        if (wait) {
            edge.add(Permission.cluster("watch", "", "nodes"));
        }
        if (decision instanceof CreateDecision.Reuse) {
            edge.add(Permission.cluster("get", "", "nodes"));
            edge.add(Permission.cluster("patch", "", "nodes"));
        }
        if (newCluster && method == JoinMethod.OPENYURT) {
            edge.add(Permission.cluster("create", "apps.openyurt.io", "nodepools"));
        }
        String siteConnection = Objects.toString(record.siteCluster(), "");
        Map<String, List<Permission>> needed = new LinkedHashMap<>();
        if (siteConnection.equals(edgeConnection)) {
            site.addAll(edge);
            needed.put(siteConnection, site);
        } else {
            needed.put(siteConnection, site);
            needed.put(edgeConnection, edge);
        }
        return needed;
    }

    private static List<Permission> site(String ns) {
        List<Permission> site = new ArrayList<>();
        for (String verb : List.of("get", "create", "update")) {
            site.add(Permission.in(ns, verb, "", "secrets"));
        }
        site.add(Permission.in(ns, "get", "kubevirt.io", "virtualmachines"));
        site.add(Permission.in(ns, "create", "kubevirt.io", "virtualmachines"));
        site.add(Permission.in(ns, "get", "kubevirt.io", "virtualmachineinstances"));
        return site;
    }

    /** Asks each connection's API server; throws naming every missing permission of the first that lacks one. */
    static void require(EdgeCalls calls, Map<String, List<Permission>> needed) {
        needed.forEach((connection, permissions) -> AccessCheck.require(calls.client(connection), calls.retry(),
                "provisionEdgeVm", permissions));
    }
}
