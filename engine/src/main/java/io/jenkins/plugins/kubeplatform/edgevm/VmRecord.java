package io.jenkins.plugins.kubeplatform.edgevm;

import java.time.Instant;

/**
 * One VM in the inventory (EVM-9): who owns it, where it runs, what it holds, when it started and ended, and what the
 * state sync last saw of it.
 *
 * @param vm            VirtualMachine (and node) name
 * @param name          the tenant's current name for it (changes when an idle VM is reused)
 * @param tenant        owner
 * @param site          edge site hosting the VM
 * @param siteCluster   cluster connection of the site
 * @param namespace     namespace of the VM and its Secret
 * @param edgeCluster   edge cluster the VM joins
 * @param node          node name once joined, else null
 * @param cpu           vCPUs
 * @param memoryMi      memory (MiB)
 * @param diskGi        disk (GiB)
 * @param image         root disk source as given
 * @param state         life-cycle state
 * @param start         when it was recorded (billing start)
 * @param end           when it was deleted (billing end), else null
 * @param attempts      recreations in the current failure episode
 * @param observed      the condition the state sync last saw ({@link SyncDecider.Condition} name)
 * @param observedSince since when that condition has held without interruption
 * @param address       the VM's IP address, once known
 */
public record VmRecord(
        String vm,
        String name,
        String tenant,
        String site,
        String siteCluster,
        String namespace,
        String edgeCluster,
        String node,
        int cpu,
        long memoryMi,
        long diskGi,
        String image,
        VmState state,
        Instant start,
        Instant end,
        int attempts,
        String observed,
        Instant observedSince,
        String address) {

    public VmRecord withState(VmState next) {
        return new VmRecord(vm, name, tenant, site, siteCluster, namespace, edgeCluster, node, cpu, memoryMi, diskGi,
                image, next, start, end, attempts, observed, observedSince, address);
    }

    public VmRecord withName(String next) {
        return new VmRecord(vm, next, tenant, site, siteCluster, namespace, edgeCluster, node, cpu, memoryMi, diskGi,
                image, state, start, end, attempts, observed, observedSince, address);
    }

    public VmRecord joined(String nodeName, String ip) {
        return new VmRecord(vm, name, tenant, site, siteCluster, namespace, edgeCluster, nodeName, cpu, memoryMi,
                diskGi, image, state == VmState.PROVISIONING || state == VmState.FAILED ? VmState.RUNNING : state,
                start, end, 0, observed, observedSince, ip == null ? address : ip);
    }

    public VmRecord observed(String condition, Instant since) {
        return new VmRecord(vm, name, tenant, site, siteCluster, namespace, edgeCluster, node, cpu, memoryMi, diskGi,
                image, state, start, end, attempts, condition, since, address);
    }

    public VmRecord withAttempts(int next) {
        return new VmRecord(vm, name, tenant, site, siteCluster, namespace, edgeCluster, node, cpu, memoryMi, diskGi,
                image, state, start, end, next, observed, observedSince, address);
    }

    public VmRecord ended(Instant at) {
        return new VmRecord(vm, name, tenant, site, siteCluster, namespace, edgeCluster, node, cpu, memoryMi, diskGi,
                image, VmState.DELETED, start, at, attempts, observed, observedSince, address);
    }
}
