package io.jenkins.plugins.kubeplatform.engine.edgevm;

import java.util.Comparator;
import java.util.Optional;

/**
 * Reuse of idle VMs (EVM-10), a pure function: the tenant's idle VM that takes a request instead of a new one.
 */
final class IdleVmReuse {

    private IdleVmReuse() {
    }

    /**
     * The idle VM for {@code request}: the tenant's idle VM of the same name if there is one, else the smallest idle
     * VM of the tenant that satisfies it (vCPU, memory, disk, then VM name), else empty.
     */
    static Optional<VmRecord> candidate(Inventory inventory, EdgeVmRequest request) {
        Optional<VmRecord> same = inventory.live(request.tenant(), request.name());
        if (same.isPresent()) {
            return same.filter(r -> r.state() == VmState.IDLE);
        }
        return inventory.live().stream()
                .filter(r -> r.state() == VmState.IDLE && satisfies(r, request, inventory))
                .min(Comparator.comparingInt(VmRecord::cpu).thenComparingLong(VmRecord::memoryMi)
                        .thenComparingLong(VmRecord::diskGi).thenComparing(VmRecord::vm));
    }

    /** The idle VM as the request takes it over: renamed, running again once its node is known. */
    static VmRecord reused(VmRecord idle, EdgeVmRequest request) {
        return idle.toBuilder().name(request.name())
                .state(idle.node() != null ? VmState.RUNNING : VmState.PROVISIONING).build();
    }

    /** Same tenant, at least the requested size, same image, same exclusivity, site and cluster if asked for. */
    static boolean satisfies(VmRecord idle, EdgeVmRequest request, Inventory inventory) {
        boolean exclusiveCluster = inventory.createdClusters().stream()
                .anyMatch(c -> c.exclusive() && c.settings().name().equals(idle.edgeCluster()));
        return idle.tenant().equals(request.tenant())
                && idle.cpu() >= request.cpu() && idle.memoryMi() >= request.memoryMi()
                && idle.diskGi() >= request.diskGi() && idle.image().equals(request.image().text())
                && exclusiveCluster == request.exclusive()
                && request.site().map(idle.site()::equals).orElse(true)
                && request.cluster().map(idle.edgeCluster()::equals).orElse(true)
                && inventory.live(request.tenant(), request.name()).isEmpty();
    }
}
