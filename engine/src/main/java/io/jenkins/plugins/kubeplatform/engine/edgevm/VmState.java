package io.jenkins.plugins.kubeplatform.engine.edgevm;

/** Where an inventoried VM is in its life. */
public enum VmState {
    /** Recorded, objects created or being created; the node has not joined Ready yet. */
    PROVISIONING,
    /** Its node joined the edge cluster and is Ready. */
    RUNNING,
    /** Released: still running and joined (cordoned), kept for its tenant's next request. */
    IDLE,
    /** Recovery gave up after the attempt limit; kept until deleted. */
    FAILED,
    /** Node removed, VM and Secret deleted; the record stays for billing. */
    DELETED;

    /** Whether the VM still exists and so counts against quota and capacity. */
    public boolean holdsResources() {
        return this != DELETED;
    }
}
