package io.jenkins.plugins.kubeplatform.stickyip;

import io.jenkins.plugins.kubeplatform.stickyip.address.AddressPool;
import io.jenkins.plugins.kubeplatform.stickyip.address.AllocationOrder;
import java.time.Duration;
import java.util.Set;

/**
 * A validated, administrator-defined pool (SIP-3); built from {@link PoolSettings}.
 *
 * @param reallocateWhenNodeLost give an identity a new address when its last node is gone, instead of keeping it
 * @param cniCheck whether a deploy checks that the CNI never auto-assigns the pool's addresses (SIP-13)
 */
public record IpPool(String name, AddressPool addresses, Cni cni, AllocationOrder order, Set<String> keepNamespaces,
                     Duration reclaimAfter, NodePinning pinning, boolean reallocateWhenNodeLost, CniCheck cniCheck) {

    public IpPool {
        keepNamespaces = Set.copyOf(keepNamespaces);
        cniCheck = cniCheck == null ? CniCheck.ENFORCE : cniCheck;
    }

    public boolean keeps(String namespace) {
        return keepNamespaces.contains(namespace);
    }
}
