package io.jenkins.plugins.kubeplatform.engine.stickyip;

/** How strongly an identity is steered back to the node it last ran on (SIP-5). */
public enum NodePinning {
    /** No node affinity. */
    OFF,
    /** Preferred node affinity: back to the same node when it can take the pod, elsewhere otherwise. */
    PREFERRED,
    /** Required node affinity while that node is Ready and schedulable. */
    REQUIRED;

    public static java.util.Optional<NodePinning> fromConfig(String name) {
        for (NodePinning p : values()) {
            if (p.name().equalsIgnoreCase(name == null ? "" : name.trim())) {
                return java.util.Optional.of(p);
            }
        }
        return java.util.Optional.empty();
    }
}
