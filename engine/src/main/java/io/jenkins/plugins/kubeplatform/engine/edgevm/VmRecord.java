package io.jenkins.plugins.kubeplatform.engine.edgevm;

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

    /** An empty builder (sizes and attempts 0, everything else absent). */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this record's values, to change some of them. */
    public Builder toBuilder() {
        return new Builder().vm(vm).name(name).tenant(tenant).site(site).siteCluster(siteCluster).namespace(namespace)
                .edgeCluster(edgeCluster).node(node).cpu(cpu).memoryMi(memoryMi).diskGi(diskGi).image(image)
                .state(state).start(start).end(end).attempts(attempts).observed(observed).observedSince(observedSince)
                .address(address);
    }

    /** This VM joined as node {@code nodeName}: a provisioning or failed VM now runs; the failure episode ends. */
    public VmRecord joined(String nodeName, String ip) {
        return toBuilder().node(nodeName)
                .state(state == VmState.PROVISIONING || state == VmState.FAILED ? VmState.RUNNING : state)
                .attempts(0).address(ip == null ? address : ip).build();
    }

    /** The state sync saw {@code condition}, holding since {@code since}. */
    public VmRecord observed(String condition, Instant since) {
        return toBuilder().observed(condition).observedSince(since).build();
    }

    /** The VM was deleted at {@code at}: billing ends. */
    public VmRecord ended(Instant at) {
        return toBuilder().state(VmState.DELETED).end(at).build();
    }

    /** Collects a record's values by name; {@link #build()} makes the record. */
    public static final class Builder {
        private String vm;
        private String name;
        private String tenant;
        private String site;
        private String siteCluster;
        private String namespace;
        private String edgeCluster;
        private String node;
        private int cpu;
        private long memoryMi;
        private long diskGi;
        private String image;
        private VmState state;
        private Instant start;
        private Instant end;
        private int attempts;
        private String observed;
        private Instant observedSince;
        private String address;

        private Builder() {
        }

        public Builder vm(String value) {
            vm = value;
            return this;
        }

        public Builder name(String value) {
            name = value;
            return this;
        }

        public Builder tenant(String value) {
            tenant = value;
            return this;
        }

        public Builder site(String value) {
            site = value;
            return this;
        }

        public Builder siteCluster(String value) {
            siteCluster = value;
            return this;
        }

        public Builder namespace(String value) {
            namespace = value;
            return this;
        }

        public Builder edgeCluster(String value) {
            edgeCluster = value;
            return this;
        }

        public Builder node(String value) {
            node = value;
            return this;
        }

        public Builder cpu(int value) {
            cpu = value;
            return this;
        }

        public Builder memoryMi(long value) {
            memoryMi = value;
            return this;
        }

        public Builder diskGi(long value) {
            diskGi = value;
            return this;
        }

        public Builder image(String value) {
            image = value;
            return this;
        }

        public Builder state(VmState value) {
            state = value;
            return this;
        }

        public Builder start(Instant value) {
            start = value;
            return this;
        }

        public Builder end(Instant value) {
            end = value;
            return this;
        }

        public Builder attempts(int value) {
            attempts = value;
            return this;
        }

        public Builder observed(String value) {
            observed = value;
            return this;
        }

        public Builder observedSince(Instant value) {
            observedSince = value;
            return this;
        }

        public Builder address(String value) {
            address = value;
            return this;
        }

        public VmRecord build() {
            return new VmRecord(vm, name, tenant, site, siteCluster, namespace, edgeCluster, node, cpu, memoryMi,
                    diskGi, image, state, start, end, attempts, observed, observedSince, address);
        }
    }
}
