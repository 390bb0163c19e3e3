package io.jenkins.plugins.kubeplatform.engine.edgevm;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a create, release or delete did. Never holds the join token.
 *
 * @param outcome         created, reused, unchanged, released, deleted or already-deleted
 * @param vm              VirtualMachine and node name
 * @param name            the tenant's name for the VM
 * @param tenant          owner
 * @param site            edge site hosting the VM
 * @param namespace       namespace of the VM on the site
 * @param edgeCluster     edge cluster the VM joined
 * @param newEdgeCluster  whether planning created that edge cluster for this request
 * @param node            node name in the edge cluster (null until joined)
 * @param address         the VM's IP address (null until known)
 * @param state           inventory state after the operation
 * @param plan            the decisions and their reasons, as logged
 */
public record EdgeVmResult(String outcome, String vm, String name, String tenant, String site, String namespace,
                           String edgeCluster, boolean newEdgeCluster, String node, String address, VmState state,
                           List<String> plan) {

    static EdgeVmResult of(String outcome, VmRecord r, boolean newEdgeCluster, List<String> plan) {
        return new EdgeVmResult(outcome, r.vm(), r.name(), r.tenant(), r.site(), r.namespace(), r.edgeCluster(),
                newEdgeCluster, r.node(), r.address(), r.state(), List.copyOf(plan));
    }

    /** The kind of the document of a {@code create}, {@code release} or {@code delete}: EdgeVmCreate, ... */
    public static String kind(String action) {
        return "EdgeVm" + action.substring(0, 1).toUpperCase(java.util.Locale.ROOT) + action.substring(1);
    }

    /**
     * The CLI's {@code -o json} document and the build's {@code api/json} result (docs/cli.md).
     *
     * @param action create, release or delete
     */
    public com.fasterxml.jackson.databind.node.ObjectNode document(String action) {
        return io.jenkins.plugins.kubeplatform.engine.core.ResultDocument.tree(kind(action), this);
    }

    /** For the Pipeline step's return value: strings only. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("outcome", outcome);
        map.put("vm", vm);
        map.put("name", name);
        map.put("tenant", tenant);
        map.put("site", site);
        map.put("namespace", namespace);
        map.put("cluster", edgeCluster);
        map.put("newCluster", newEdgeCluster);
        map.put("node", node == null ? "" : node);
        map.put("address", address == null ? "" : address);
        map.put("state", state.name());
        return map;
    }
}
