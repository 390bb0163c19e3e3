package io.jenkins.plugins.kubeplatform.engine.repair;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A pod on the node being repaired. {@code deregistered} means our marker annotation says we removed its traffic
 * label (and holds the value to put back); {@code terminatingSince} is its {@code deletionTimestamp}.
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
        boolean deregistered,
        Optional<Instant> terminatingSince) {

    /** A pod whose deletion time is not known (or that is not terminating). */
    public PodView(String namespace, String name, PodRole role, Map<String, String> labels, boolean ready,
                   boolean finished, boolean terminating, boolean trafficRegistered, boolean deregistered) {
        this(namespace, name, role, labels, ready, finished, terminating, trafficRegistered, deregistered,
                Optional.empty());
    }

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
