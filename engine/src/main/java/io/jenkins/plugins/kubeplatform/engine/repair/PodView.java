package io.jenkins.plugins.kubeplatform.engine.repair;

import java.util.Map;

/**
 * A pod on the node being repaired. {@code deregistered} means our marker annotation says we removed its traffic
 * label (and holds the value to put back).
 */
public record PodView(
        String namespace,
        String name,
        PodRole role,
        Map<String, String> labels,
        boolean ready,
        boolean finished,
        boolean terminating,
        boolean trafficRegistered,
        boolean deregistered) {

    /** Pod annotation holding the traffic label value we removed, so release can put it back. */
    public static final String DEREGISTERED_ANNOTATION = "kubeplatform.jenkins.io/deregistered-traffic";

    public String ref() {
        return namespace + "/" + name;
    }

    /** Still doing work the repair should wait for or drain. */
    public boolean active() {
        return !finished && !terminating;
    }
}
