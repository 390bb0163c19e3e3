package io.jenkins.plugins.kubeplatform.engine.repair;

import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.core.Require;

/**
 * One node to repair. {@code owner} names this repair in the node's record and the pool lease (a Jenkins build, or
 * the CLI user and host): a run with the same owner resumes where the record says; another owner is refused while
 * the lease is live. {@code resumed} is true when a run continues after a restart (a FAILED or ABORTED record it left
 * is then reported, not started over).
 */
public record RepairRequest(String node, String owner, boolean waitForLease, boolean resumed) {

    public RepairRequest {
        Require.dnsSubdomain("node", node);
        Require.nonBlank("owner", owner);
        if (owner.length() > 200 || !owner.equals(Require.printable(owner))) {
            throw new InvalidInputException("owner", "must be at most 200 printable characters");
        }
    }

    public static RepairRequest of(String node, String owner) {
        return new RepairRequest(node, owner, true, false);
    }
}
