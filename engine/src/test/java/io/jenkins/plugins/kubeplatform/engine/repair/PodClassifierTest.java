package io.jenkins.plugins.kubeplatform.engine.repair;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** REP-3/4/5: which pods are deregistered (serving), waited for (tasks, agents) and never evicted (daemon, mirror). */
class PodClassifierTest {

    private static final String TRAFFIC = RepairSettings.DEFAULT_TRAFFIC_LABEL;
    private final PodClassifier defaults = new PodClassifier(RepairSettings.defaults());

    private static ObjectMetaBuilder meta(String name) {
        return new ObjectMetaBuilder().withNamespace("apps").withName(name);
    }

    private static Pod pod(ObjectMetaBuilder meta) {
        return new PodBuilder().withMetadata(meta.build()).build();
    }

    private static ObjectMetaBuilder ownedBy(ObjectMetaBuilder meta, String kind) {
        return meta.withOwnerReferences(new OwnerReferenceBuilder().withKind(kind).withName("owner").build());
    }

    private static Pod withReady(String status) {
        return new PodBuilder().withMetadata(meta("p").build()).withStatus(new PodStatusBuilder().withPhase("Running")
                .withConditions(new PodConditionBuilder().withType("PodScheduled").withStatus("True").build(),
                        new PodConditionBuilder().withType("Ready").withStatus(status).build()).build()).build();
    }

    @Test
    void classifiesDaemonSetAndMirrorPodsFirstWhateverTheirLabels() {
        Map<String, String> everything = Map.of(TRAFFIC, "on", "jenkins/label", "linux");

        assertThat(defaults.view(pod(ownedBy(meta("ds"), "DaemonSet").withLabels(everything))).role())
                .isEqualTo(PodRole.DAEMON);
        assertThat(defaults.view(pod(ownedBy(meta("static"), "Job").withLabels(everything)
                .withAnnotations(Map.of("kubernetes.io/config.mirror", "abc")))).role()).isEqualTo(PodRole.MIRROR);
    }

    @Test
    void recordsSinceWhenAPodIsTerminating() {
        PodView leaving = defaults.view(pod(meta("web").withDeletionTimestamp("2026-01-01T10:00:00Z")));
        PodView staying = defaults.view(pod(meta("db")));

        assertThat(leaving.terminating()).isTrue();
        assertThat(leaving.terminatingSince()).contains(java.time.Instant.parse("2026-01-01T10:00:00Z"));
        assertThat(staying.terminatingSince()).isEmpty();
    }

    @Test
    void classifiesAgentsBySelectorBeforeJobs() {
        PodView agent = defaults.view(pod(ownedBy(meta("agent"), "Job").withLabels(Map.of("jenkins/label", "linux"))));

        assertThat(agent.role()).isEqualTo(PodRole.AGENT);
    }

    @Test
    void classifiesJobPodsAndTaskSelectorMatchesAsTasks() {
        PodClassifier withSelector = new PodClassifier(RepairSettings.builder()
                .taskSelector(LabelQuery.parse("taskSelector", "kind=batch")).build());

        assertThat(defaults.view(pod(ownedBy(meta("job"), "Job"))).role()).isEqualTo(PodRole.TASK);
        assertThat(withSelector.view(pod(meta("batch").withLabels(Map.of("kind", "batch")))).role())
                .isEqualTo(PodRole.TASK);
        assertThat(withSelector.view(pod(meta("web").withLabels(Map.of("kind", "web")))).role())
                .isEqualTo(PodRole.OTHER);
    }

    @Test
    void anEmptySelectorMakesNoPodAnAgentOrATask() {
        PodClassifier none = new PodClassifier(RepairSettings.builder().agentSelector(LabelQuery.ALL)
                .taskSelector(LabelQuery.ALL).build());

        assertThat(none.view(pod(ownedBy(meta("rs"), "ReplicaSet").withLabels(Map.of("app", "web")))).role())
                .isEqualTo(PodRole.OTHER);
        assertThat(none.view(pod(meta("bare"))).role()).isEqualTo(PodRole.OTHER);
    }

    @Test
    void servesWhenItCarriesTheTrafficLabelOrOurDeregisteredMarker() {
        PodView registered = defaults.view(pod(meta("web-1").withLabels(Map.of(TRAFFIC, "on"))));
        PodView deregistered = defaults.view(pod(meta("web-2")
                .withAnnotations(Map.of(PodView.DEREGISTERED_ANNOTATION, "on"))));
        PodView plain = defaults.view(pod(meta("web-3").withLabels(Map.of("app", "web"))));

        assertThat(registered.role()).isEqualTo(PodRole.SERVING);
        assertThat(registered.trafficRegistered()).isTrue();
        assertThat(registered.deregistered()).isFalse();
        assertThat(deregistered.role()).isEqualTo(PodRole.SERVING);
        assertThat(deregistered.trafficRegistered()).isFalse();
        assertThat(deregistered.deregistered()).isTrue();
        assertThat(plain.role()).isEqualTo(PodRole.OTHER);
        assertThat(plain.ref()).isEqualTo("apps/web-3");
    }

    @Test
    void isReadyOnlyWithAReadyConditionThatIsTrue() {
        assertThat(defaults.view(withReady("True")).ready()).isTrue();
        assertThat(defaults.view(withReady("False")).ready()).isFalse();
        assertThat(defaults.view(pod(meta("no-status"))).ready()).isFalse();
        assertThat(defaults.view(new PodBuilder().withMetadata(meta("no-conditions").build())
                .withStatus(new PodStatusBuilder().withPhase("Pending").build()).build()).ready()).isFalse();
        assertThat(defaults.view(new PodBuilder().withMetadata(meta("scheduled-only").build())
                .withStatus(new PodStatusBuilder().withConditions(new PodConditionBuilder().withType("PodScheduled")
                        .withStatus("True").build()).build()).build()).ready()).isFalse();
    }

    @Test
    void seesFinishedAndTerminatingPods() {
        PodView done = defaults.view(new PodBuilder().withMetadata(meta("done").build())
                .withStatus(new PodStatusBuilder().withPhase("Succeeded").build()).build());
        PodView leaving = defaults.view(pod(meta("leaving").withDeletionTimestamp("2026-01-01T10:00:00Z")));

        assertThat(done.finished()).isTrue();
        assertThat(done.active()).isFalse();
        assertThat(leaving.terminating()).isTrue();
        assertThat(leaving.active()).isFalse();
        assertThat(defaults.view(withReady("True")).active()).isTrue();
    }

    @Test
    void readsAPodWhoseLabelsAnnotationsOrConditionsAreNull() {
        Pod bare = pod(meta("bare"));
        bare.getMetadata().setLabels(null);
        bare.getMetadata().setAnnotations(null);
        Pod noConditions = withReady("True");
        noConditions.getStatus().setConditions(null);

        PodView view = defaults.view(bare);

        assertThat(view.role()).isEqualTo(PodRole.OTHER);
        assertThat(view.labels()).isEmpty();
        assertThat(defaults.view(noConditions).ready()).isFalse();
    }
}
