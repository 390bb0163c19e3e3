package io.jenkins.plugins.kubeplatform.engine.repair;

/** How a repair treats a pod on the node. */
public enum PodRole {
    /** Kept on the node (DaemonSet): the drain never evicts it. */
    DAEMON,
    /** Static pod shown by the kubelet: the API cannot evict it. */
    MIRROR,
    /** A Jenkins agent pod: its build is allowed to finish. */
    AGENT,
    /** A Job pod or a pod matching the task selector: allowed to finish. */
    TASK,
    /** Carries the traffic label (or did before we removed it): deregistered from Services first. */
    SERVING,
    /** Everything else: evicted. */
    OTHER
}
