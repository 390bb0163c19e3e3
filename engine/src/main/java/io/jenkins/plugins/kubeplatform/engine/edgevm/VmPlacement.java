package io.jenkins.plugins.kubeplatform.engine.edgevm;

import io.jenkins.plugins.kubeplatform.engine.store.StateStore.Update;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Placement of a new VM, a pure function: the tenant's quota ({@link QuotaCheck}), the site ({@link SitePlacement}),
 * the edge cluster to join or create ({@link ClusterPlanner}) and a free VM name; the result is the inventory with
 * the VM (and a created cluster) added.
 */
final class VmPlacement {

    private VmPlacement() {
    }

    /**
     * Places {@code request} on the inventory as it is; {@code observedNodes} counts the nodes seen per edge cluster.
     * Throws {@link io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException} when the quota or the sites refuse it.
     */
    static Update<Inventory, CreateDecision> place(EdgeSettings settings, Inventory inventory, EdgeVmRequest request,
                                                   Map<String, Integer> observedNodes, Instant now) {
        List<String> lines = new ArrayList<>();
        lines.add(QuotaCheck.check(settings, request, inventory.live()));
        SitePlacement.Choice site = SitePlacement.choose(settings, request, inventory.live());
        lines.addAll(site.explanation());
        ClusterPlanner.Plan plan = ClusterPlanner.plan(clusterViews(settings, inventory, observedNodes),
                site.site().point(), site.site().name(), request.exclusive(), request.cluster(), settings.scoring(),
                Optional.ofNullable(settings.newClusters()).map(EdgeSettings.NewClusters::namePrefix));
        lines.addAll(plan.explanation());
        Inventory next = inventory;
        String clusterName;
        boolean created = plan instanceof ClusterPlanner.Create;
        if (plan instanceof ClusterPlanner.Create create) {
            EdgeSettings.NewClusters t = settings.newClusters();
            clusterName = create.cluster();
            next = next.addCluster(new EdgeClusterRecord(t.edgeCluster(clusterName, site.site().location()),
                    site.site().name(), request.exclusive(), now));
        } else {
            clusterName = ((ClusterPlanner.Join) plan).cluster();
        }
        VmRecord record = VmRecord.builder().vm(freeVmName(inventory, request)).name(request.name())
                .tenant(request.tenant()).site(site.site().name()).siteCluster(site.site().cluster())
                .namespace(site.site().namespace()).edgeCluster(clusterName).cpu(request.cpu())
                .memoryMi(request.memoryMi()).diskGi(request.diskGi()).image(request.image().text())
                .state(VmState.PROVISIONING).start(now).build();
        return Update.to(next.add(record), new CreateDecision.Fresh(record, created, lines));
    }

    /** The request's VM name, or with {@code -2}, {@code -3} ... while a live VM holds it. */
    static String freeVmName(Inventory inventory, EdgeVmRequest request) {
        String base = request.vmName();
        String candidate = base;
        for (int n = 2; inventory.liveVm(candidate).isPresent(); n++) {
            candidate = base + "-" + n;
        }
        return candidate;
    }

    /** Configured and created edge clusters with their node counts (the larger of inventory and observed nodes). */
    static List<ClusterPlanner.ClusterView> clusterViews(EdgeSettings settings, Inventory inventory,
                                                         Map<String, Integer> observedNodes) {
        Map<String, Integer> recorded = new HashMap<>();
        for (VmRecord r : inventory.live()) {
            recorded.merge(r.edgeCluster(), 1, Integer::sum);
        }
        List<ClusterPlanner.ClusterView> views = new ArrayList<>();
        for (EdgeSettings.EdgeCluster c : settings.edgeClusters()) {
            views.add(view(c, false, recorded, observedNodes));
        }
        for (EdgeClusterRecord c : inventory.createdClusters()) {
            views.add(view(c.settings(), c.exclusive(), recorded, observedNodes));
        }
        return views;
    }

    private static ClusterPlanner.ClusterView view(EdgeSettings.EdgeCluster c, boolean exclusive,
                                                   Map<String, Integer> recorded, Map<String, Integer> observed) {
        int nodes = Math.max(recorded.getOrDefault(c.name(), 0), observed.getOrDefault(c.name(), 0));
        return new ClusterPlanner.ClusterView(c.name(), c.point(), nodes, c.maxNodes(), exclusive);
    }
}
