package io.jenkins.plugins.kubeplatform.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimTourTest {

    @Test
    void toursNodesRolloutAddressConflictAndRefusedEviction() {
        List<String> lines = new ArrayList<>();
        try (SimulatedCluster sim = SimulatedCluster.start(SimOptions.builder().speed(50).build())) {
            SimTour.run(sim, lines::add);
        }
        assertThat(lines).anyMatch(l -> l.startsWith("node node-1 zone eu-central-1a ready true"))
                .anyMatch(l -> l.startsWith("deployment web: pod web-"))
                .anyMatch(l -> l.equals("pod pinned-a asked for 10.42.250.10 and got 10.42.250.10"))
                .anyMatch(l -> l.contains("Address already assigned"))
                .anyMatch(l -> l.contains("refused (429: Cannot evict pod as it would violate the pod's disruption budget.)"));
    }
}
