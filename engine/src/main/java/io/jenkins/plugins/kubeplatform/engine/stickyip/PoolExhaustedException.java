package io.jenkins.plugins.kubeplatform.engine.stickyip;

import io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException;

/** A pool has no free address for an identity; nothing was reserved and nothing applied. */
public final class PoolExhaustedException extends OperationFailedException {
    private static final long serialVersionUID = 1L;

    public PoolExhaustedException(String message) {
        super(message);
    }
}
