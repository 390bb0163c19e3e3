package io.jenkins.plugins.kubeplatform.engine.edgevm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ClusterPlannerTest {

    static final GeoPoint FRANKFURT = new GeoPoint(50.1109, 8.6821);
    static final EdgeSettings.Scoring SCORING = new EdgeSettings.Scoring(1.0, 1.0, 1000.0);

    static ClusterPlanner.ClusterView fra(int nodes) {
        return new ClusterPlanner.ClusterView("edge-fra", new GeoPoint(50.11, 8.68), nodes, 2, false);
    }

    static ClusterPlanner.ClusterView par(int nodes) {
        return new ClusterPlanner.ClusterView("edge-par", new GeoPoint(48.86, 2.35), nodes, 4, false);
    }

    static ClusterPlanner.ClusterView ams(int nodes) {
        return new ClusterPlanner.ClusterView("edge-ams", new GeoPoint(52.37, 4.90), nodes, 10, false);
    }

    /** Frankfurt site: edge-fra is 0 km, edge-ams ~360 km, edge-par ~480 km away. */
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("empty clusters: the closest wins", List.of(fra(0), par(0), ams(0)), "edge-fra"),
                Arguments.of("half-full close cluster (0.5) loses to empty one 360 km away (0.36)",
                        List.of(fra(1), par(0), ams(0)), "edge-ams"),
                Arguments.of("full close cluster is skipped", List.of(fra(2), par(0), ams(5)), "edge-par"),
                Arguments.of("load breaks even distance: ams 0.36+0.3 vs par 0.48+0.25",
                        List.of(fra(2), par(1), ams(3)), "edge-ams"),
                Arguments.of("every cluster full: a new one", List.of(fra(2), par(4), ams(10)), "NEW edge-frankfurt-1"),
                Arguments.of("no cluster yet: a new one", List.of(), "NEW edge-frankfurt-1"),
                Arguments.of("exclusive clusters are never shared",
                        List.of(new ClusterPlanner.ClusterView("edge-frankfurt-1", FRANKFURT, 0, 4, true), fra(2),
                                par(4), ams(10)), "NEW edge-frankfurt-2"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void picksTheDocumentedCluster(String why, List<ClusterPlanner.ClusterView> clusters, String expected) {
        ClusterPlanner.Plan plan = ClusterPlanner.plan(clusters, FRANKFURT, "frankfurt", false, Optional.empty(),
                SCORING, Optional.of("edge"));

        String got = plan instanceof ClusterPlanner.Join j ? j.cluster() : "NEW " + ((ClusterPlanner.Create) plan).cluster();
        assertThat(got).as(why).isEqualTo(expected);
    }

    @Test
    void createsANewClusterWhenExclusiveEvenIfOthersHaveRoom() {
        ClusterPlanner.Plan plan = ClusterPlanner.plan(List.of(fra(0), par(0)), FRANKFURT, "frankfurt", true,
                Optional.empty(), SCORING, Optional.of("edge"));

        assertThat(plan).isInstanceOf(ClusterPlanner.Create.class);
        assertThat(((ClusterPlanner.Create) plan).reason()).contains("exclusive");
    }

    @Test
    void explainsTheScoresInTheLog() {
        ClusterPlanner.Plan plan = ClusterPlanner.plan(List.of(fra(1), par(0), ams(0)), FRANKFURT, "frankfurt", false,
                Optional.empty(), SCORING, Optional.of("edge"));

        assertThat(plan.explanation()).anySatisfy(l -> assertThat(l).contains("score = 1.00 x nodes/maxNodes"));
        assertThat(plan.explanation()).anySatisfy(l -> assertThat(l).contains("edge-fra 0.500 (load 1/2, 0 km"));
        assertThat(plan.explanation()).last().isEqualTo("edge cluster chosen: edge-ams");
    }

    @Test
    void isDeterministicWhateverTheInputOrder() {
        List<ClusterPlanner.ClusterView> a = List.of(fra(1), par(2), ams(4));
        List<ClusterPlanner.ClusterView> b = List.of(ams(4), fra(1), par(2));

        assertThat(ClusterPlanner.plan(a, FRANKFURT, "frankfurt", false, Optional.empty(), SCORING, Optional.of("edge")))
                .isEqualTo(ClusterPlanner.plan(b, FRANKFURT, "frankfurt", false, Optional.empty(), SCORING,
                        Optional.of("edge")));
    }

    @Test
    void breaksEqualScoresByNameSoTheResultNeverDependsOnOrder() {
        GeoPoint same = new GeoPoint(50, 8);
        var x = new ClusterPlanner.ClusterView("b-cluster", same, 0, 4, false);
        var y = new ClusterPlanner.ClusterView("a-cluster", same, 0, 4, false);

        var plan = (ClusterPlanner.Join) ClusterPlanner.plan(List.of(x, y), same, "s", false, Optional.empty(),
                SCORING, Optional.empty());

        assertThat(plan.cluster()).isEqualTo("a-cluster");
    }

    @Test
    void refusesAFullRequestedCluster() {
        assertThatThrownBy(() -> ClusterPlanner.plan(List.of(fra(2)), FRANKFURT, "frankfurt", false,
                Optional.of("edge-fra"), SCORING, Optional.of("edge")))
                .isInstanceOf(OperationFailedException.class).hasMessageContaining("full (2/2 nodes)");
    }

    @Test
    void refusesAnUnknownRequestedCluster() {
        assertThatThrownBy(() -> ClusterPlanner.plan(List.of(fra(0)), FRANKFURT, "frankfurt", false,
                Optional.of("nowhere"), SCORING, Optional.of("edge")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("cluster");
    }

    @Test
    void failsWhenANewClusterIsNeededButNoTemplateIsConfigured() {
        assertThatThrownBy(() -> ClusterPlanner.plan(List.of(fra(2)), FRANKFURT, "frankfurt", false, Optional.empty(),
                SCORING, Optional.empty()))
                .isInstanceOf(OperationFailedException.class).hasMessageContaining("newClusters");
    }
}
