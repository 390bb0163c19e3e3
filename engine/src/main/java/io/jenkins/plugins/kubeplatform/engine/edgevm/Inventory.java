package io.jenkins.plugins.kubeplatform.engine.edgevm;

import io.jenkins.plugins.kubeplatform.engine.store.AtomicFileStore;
import io.jenkins.plugins.kubeplatform.engine.store.FileIo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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

    /** The inventory file in a state directory, through {@code io} (tests: a file system with power cuts). */
    public static AtomicFileStore<Inventory> fileStore(Path stateDir, FileIo io) {
        return AtomicFileStore.of(stateDir.resolve(FILE), KIND, Inventory.class, Inventory::empty,
                Inventory::problems, io);
    }

    /**
     * The records that break the inventory's rules, each named by position and VM: every VM record has a VM name,
     * a name, a tenant, a site, a namespace, a state and a start; sizes are not negative; a live VM name appears
     * once; every created cluster has its settings and site.
     */
    public static List<String> problems(Inventory inventory) {
        List<String> problems = new ArrayList<>();
        Set<String> live = new HashSet<>();
        for (int i = 0; i < inventory.vms().size(); i++) {
            VmRecord r = inventory.vms().get(i);
            if (r == null) {
                problems.add("vms[" + i + "] is empty");
                continue;
            }
            String at = "vms[" + i + "]" + (r.vm() == null ? "" : " (vm '" + r.vm() + "')");
            List<String> missing = new ArrayList<>();
            if (blank(r.vm())) {
                missing.add("vm");
            }
            if (blank(r.name())) {
                missing.add("name");
            }
            if (blank(r.tenant())) {
                missing.add("tenant");
            }
            if (blank(r.site())) {
                missing.add("site");
            }
            if (blank(r.namespace())) {
                missing.add("namespace");
            }
            if (r.start() == null) {
                missing.add("start");
            }
            if (!missing.isEmpty()) {
                problems.add(at + ": " + String.join(", ", missing) + " missing");
            }
            if (r.state() == null) {
                problems.add(at + ": state missing (one of " + Arrays.toString(VmState.values()) + ")");
            } else if (r.state().holdsResources() && r.vm() != null && !live.add(r.vm())) {
                problems.add(at + ": a second live record of the same VM");
            }
            if (r.cpu() < 0 || r.memoryMi() < 0 || r.diskGi() < 0 || r.attempts() < 0) {
                problems.add(at + ": a negative cpu, memoryMi, diskGi or attempts");
            }
        }
        for (int i = 0; i < inventory.createdClusters().size(); i++) {
            EdgeClusterRecord c = inventory.createdClusters().get(i);
            if (c == null || c.settings() == null || blank(c.site())) {
                problems.add("createdClusters[" + i + "]: settings or site missing");
            }
        }
        return problems;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
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
