package io.jenkins.plugins.kubeplatform.engine.stickyip;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kubeplatform.engine.stickyip.ClusterView.NodeState;
import io.jenkins.plugins.kubeplatform.engine.stickyip.ReservationCollector.Guard;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReservationCollectorTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private final Map<String, IpPool> pools = Map.of("default", Pools.pool("default", "10.42.200.0/24")); // reclaim 1h

    private static Reservation idle(String identity, String ip, Duration ago, String node) {
        return new Reservation(identity, "default", ip, Reservation.Kind.MANAGED, Reservation.State.IDLE, node,
                NOW.minus(ago), "j", Instant.EPOCH, 2);
    }

    private static Guard guard(Set<String> inUse, Set<String> terminating, Map<String, NodeState> nodes) {
        return new Guard(inUse, terminating, Set.of(), nodes);
    }

    @Test
    void releasesOnlyIdleReservationsOlderThanReclaimAfter() {
        Reservation old = idle("keep/web-1", "10.42.200.2", Duration.ofMinutes(61), null);
        Reservation fresh = idle("keep/web-2", "10.42.200.3", Duration.ofMinutes(59), null);
        Reservation active = new Reservation("keep/web-0", "default", "10.42.200.1", Reservation.Kind.MANAGED,
                Reservation.State.ACTIVE, null, null, "j", Instant.EPOCH, 1);

        var report = ReservationCollector.decide(List.of(old, fresh, active), pools, NOW, guard(Set.of(), Set.of(), Map.of()));

        assertThat(report.released()).containsExactly(old);
        assertThat(report.held()).isEmpty();
    }

    @Test
    void neverReclaimsWhileThePodIsTerminatingOrTheNodeIsNotReadyOrTheAddressIsInUse() {
        Reservation terminating = idle("keep/web-1", "10.42.200.2", Duration.ofHours(2), "n1");
        Reservation onDeadNode = idle("keep/web-2", "10.42.200.3", Duration.ofHours(2), "n2");
        Reservation inUse = idle("keep/web-3", "10.42.200.4", Duration.ofHours(2), "n1");
        Map<String, NodeState> nodes = Map.of("n1", new NodeState("n1", true, true, "n1"),
                "n2", new NodeState("n2", false, true, "n2"));

        var report = ReservationCollector.decide(List.of(terminating, onDeadNode, inUse), pools, NOW,
                guard(Set.of("10.42.200.4"), Set.of("keep/web-1"), nodes));

        assertThat(report.released()).isEmpty();
        assertThat(report.held()).extracting(ReservationCollector.Held::reason).containsExactlyInAnyOrder(
                "its pod is still Terminating", "its last node n2 is NotReady; the pod may still run there",
                "a running pod uses the address");
    }
}
