package io.jenkins.plugins.kubeplatform.edgevm;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** The durable edge-VM state: every VM ever provisioned (deleted ones stay for billing) and created edge clusters. */
public record Inventory(List<VmRecord> vms, List<EdgeClusterRecord> createdClusters) {

    public static final String KIND = "edge-vm-inventory";
    public static final String FILE = "edge-inventory.json";

    public Inventory {
        vms = vms == null ? List.of() : List.copyOf(vms);
        createdClusters = createdClusters == null ? List.of() : List.copyOf(createdClusters);
    }

    public static Inventory empty() {
        return new Inventory(List.of(), List.of());
    }

    /** The live (not deleted) VM of this tenant currently called {@code name}. */
    public Optional<VmRecord> live(String tenant, String name) {
        return vms.stream().filter(r -> r.state().holdsResources() && r.tenant().equals(tenant)
                && r.name().equals(name)).findFirst();
    }

    public Optional<VmRecord> liveVm(String vm) {
        return vms.stream().filter(r -> r.state().holdsResources() && r.vm().equals(vm)).findFirst();
    }

    public List<VmRecord> live() {
        return vms.stream().filter(r -> r.state().holdsResources()).toList();
    }

    /** Replaces the live record of {@code vm}. */
    public Inventory update(String vm, UnaryOperator<VmRecord> change) {
        List<VmRecord> next = new ArrayList<>(vms.size());
        for (VmRecord r : vms) {
            next.add(r.state().holdsResources() && r.vm().equals(vm) ? change.apply(r) : r);
        }
        return new Inventory(next, createdClusters);
    }

    public Inventory add(VmRecord record) {
        List<VmRecord> next = new ArrayList<>(vms);
        next.add(record);
        return new Inventory(next, createdClusters);
    }

    public Inventory addCluster(EdgeClusterRecord cluster) {
        List<EdgeClusterRecord> next = new ArrayList<>(createdClusters);
        next.add(cluster);
        return new Inventory(vms, next);
    }
}
