package io.jenkins.plugins.kubeplatform.engine.stickyip.address;

/** Which free address a pool hands out next. */
public enum AllocationOrder {
    /** The lowest free address: predictable, and easy to read in a ledger listing. */
    LOWEST,
    /** A uniformly chosen start, then the next free address: spreads reuse of recently released addresses. */
    RANDOM
}
