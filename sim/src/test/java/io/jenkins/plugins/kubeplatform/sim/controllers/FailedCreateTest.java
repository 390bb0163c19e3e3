package io.jenkins.plugins.kubeplatform.sim.controllers;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetCondition;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.sim.ApiRequest;
import io.jenkins.plugins.kubeplatform.sim.Pods;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import io.jenkins.plugins.kubeplatform.sim.model.PodStates;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A pod create the API server refuses, as the real controllers report it. The refusal is the ServiceAccount admission
 * plugin's (a template naming a service account that does not exist); creating the account lets the next retry
 * through. Expected texts are those of kube-controller-manager v1.32: RealPodControl.createPods
 * (pkg/controller/controller_utils.go) "Error creating: %v"; recordPodEvent (statefulset/stateful_pod_control.go)
 * "create Pod %s in StatefulSet %s failed error: %s"; calculateStatus (replicaset/replica_set_utils.go) and
 * getReplicaFailures (deployment/progress.go) for the ReplicaFailure condition.
 */
@Timeout(120)
class FailedCreateTest {

    /** The default speed: 1 s of wall-clock time is 10 s of simulated time. */
    static final double SPEED = 10;

    @AutoClose
    static final SimulatedCluster sim = SimulatedCluster.start(SimOptions.builder().speed(SPEED).nodes(2).build());
    static final KubernetesClient client = sim.client();

    private static String namespace(String name) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
                .create();
        return name;
    }

    private static void createServiceAccount(String ns, String name) {
        client.serviceAccounts().inNamespace(ns).resource(new ServiceAccountBuilder().withNewMetadata()
                .withName(name).endMetadata().build()).create();
    }

    private static PodTemplateSpec template(String app, String serviceAccount) {
        return new PodTemplateSpecBuilder().withNewMetadata().addToLabels("app", app).endMetadata().withNewSpec()
                .withServiceAccountName(serviceAccount).addNewContainer().withName("app").withImage("nginx:1.27")
                .endContainer().endSpec().build();
    }

    /** kube-apiserver's refusal of a pod named (or generate-named) {@code pod} with a missing service account. */
    private static String refusal(String pod, String ns, String account) {
        return "pods \"" + pod + "\" is forbidden: error looking up service account " + ns + "/" + account
                + ": serviceaccount \"" + account + "\" not found";
    }

    private static ReplicaSet replicaSet(String ns, String name, int replicas, String serviceAccount) {
        return new ReplicaSetBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata().withNewSpec()
                .withReplicas(replicas).withNewSelector().addToMatchLabels("app", name).endSelector()
                .withTemplate(template(name, serviceAccount)).endSpec().build();
    }

    private static Optional<ReplicaSetCondition> replicaFailure(ReplicaSet rs) {
        return rs == null || rs.getStatus() == null || rs.getStatus().getConditions() == null ? Optional.empty()
                : rs.getStatus().getConditions().stream().filter(c -> "ReplicaFailure".equals(c.getType()))
                        .findFirst();
    }

    private static Optional<DeploymentCondition> replicaFailure(Deployment d) {
        return d == null || d.getStatus() == null || d.getStatus().getConditions() == null ? Optional.empty()
                : d.getStatus().getConditions().stream().filter(c -> "ReplicaFailure".equals(c.getType()))
                        .findFirst();
    }

    private static void assertEvent(Event e, String kind, String type, String message, String component) {
        assertThat(e.getType()).isEqualTo(type);
        assertThat(e.getMessage()).isEqualTo(message);
        assertThat(e.getInvolvedObject().getKind()).isEqualTo(kind);
        // the legacy recorder: reference.GetReference of the object, the component as source and reporter
        assertThat(e.getInvolvedObject().getUid()).isNotBlank();
        assertThat(e.getInvolvedObject().getResourceVersion()).isNotBlank();
        assertThat(e.getSource().getComponent()).isEqualTo(component);
        assertThat(e.getReportingComponent()).isEqualTo(component);
    }

    @Test
    void replicaSetReportsARefusedCreateAsAWarningEventAndAReplicaFailureConditionUntilCreatesSucceed() {
        String ns = namespace("fc-rs");
        client.apps().replicaSets().inNamespace(ns).resource(replicaSet(ns, "web", 2, "missing")).create();

        Event failed = Pods.awaitEvent(client, ns, "web", "FailedCreate");
        assertEvent(failed, "ReplicaSet", "Warning", "Error creating: " + refusal("web-", ns, "missing"),
                "replicaset-controller");
        ReplicaSet failing = Pods.await(client.apps().replicaSets().inNamespace(ns).withName("web"),
                rs -> replicaFailure(rs).isPresent());
        ReplicaSetCondition condition = replicaFailure(failing).orElseThrow();
        assertThat(condition.getStatus()).isEqualTo("True");
        assertThat(condition.getReason()).isEqualTo("FailedCreate");
        assertThat(condition.getMessage()).isEqualTo(refusal("web-", ns, "missing"));
        assertThat(condition.getLastTransitionTime()).isNotBlank();
        assertThat(client.pods().inNamespace(ns).list().getItems()).isEmpty();

        createServiceAccount(ns, "missing");
        List<Pod> pods = Pods.awaitAll(client, ns, "app", "web", ps -> ps.size() == 2);
        ReplicaSet recovered = Pods.await(client.apps().replicaSets().inNamespace(ns).withName("web"),
                rs -> replicaFailure(rs).isEmpty() && Integer.valueOf(2).equals(rs.getStatus().getReplicas()));
        assertThat(recovered.getStatus().getConditions()).isNullOrEmpty();
        assertThat(pods).allSatisfy(p -> assertThat(p.getMetadata().getName()).matches("web-[a-z0-9]{5}"));
        Event created = Pods.awaitEvent(client, ns, "web", "SuccessfulCreate");
        assertEvent(created, "ReplicaSet", "Normal", created.getMessage(), "replicaset-controller");
        // one event per created pod, whichever came first
        assertThat(created.getMessage()).isIn(pods.stream().map(p -> "Created pod: " + p.getMetadata().getName())
                .toList());
    }

    @Test
    void aFailingReplicaSetRetriesOnTheWorkQueueBackoffWithOneCreatePerSync() throws Exception {
        String ns = namespace("fc-rate");
        client.apps().replicaSets().inNamespace(ns).resource(replicaSet(ns, "burst", 5, "missing")).create();
        long window = 10;
        TimeUnit.SECONDS.sleep(window); // the measurement window itself: nothing to wait for
        client.apps().replicaSets().inNamespace(ns).withName("burst").delete();
        List<ApiRequest> creates = sim.requests().allIncludingInternal().stream()
                .filter(r -> r.verb().equals("create") && r.resource().equals("pods") && ns.equals(r.namespace()))
                .toList();
        // client-go's controller queue: retry k after 5 ms * 2^k (simulated), so within T simulated seconds about
        // log2(T / 5 ms) retries; the first sync and the one the status write's own watch event brings come on top.
        // Slow start sends one create per sync however many pods are missing.
        double simulated = window * SPEED;
        int retries = (int) Math.floor(Math.log(simulated / 0.005 + 1) / Math.log(2));
        System.out.printf("failing ReplicaSet (5 replicas): %d pod creates in %d s (speed %.0f), all %s%n",
                creates.size(), window, SPEED, creates.stream().map(ApiRequest::status).distinct().toList());
        assertThat(creates).allSatisfy(r -> assertThat(r.status()).isEqualTo(403));
        assertThat(creates.size()).isBetween(retries - 3, retries + 3);
        Event failed = Pods.awaitEvent(client, ns, "burst", "FailedCreate");
        assertThat(failed.getCount()).isBetween(creates.size() - 1, creates.size());
    }

    @Test
    void deploymentCarriesItsReplicaSetsReplicaFailureConditionAndDropsItOnceTheReplicaSetHasNone() {
        String ns = namespace("fc-deploy");
        client.apps().deployments().inNamespace(ns).resource(new DeploymentBuilder().withNewMetadata()
                .withName("api").withNamespace(ns).endMetadata().withNewSpec().withReplicas(2).withNewSelector()
                .addToMatchLabels("app", "api").endSelector().withTemplate(template("api", "absent")).endSpec()
                .build()).create();

        Deployment failing = Pods.await(client.apps().deployments().inNamespace(ns).withName("api"),
                d -> replicaFailure(d).isPresent());
        ReplicaSet rs = client.apps().replicaSets().inNamespace(ns).list().getItems().get(0);
        ReplicaSetCondition fromRs = replicaFailure(rs).orElseThrow();
        DeploymentCondition condition = replicaFailure(failing).orElseThrow();
        assertThat(condition.getStatus()).isEqualTo("True");
        assertThat(condition.getReason()).isEqualTo("FailedCreate");
        assertThat(condition.getMessage()).isEqualTo(refusal(rs.getMetadata().getName() + "-", ns, "absent"));
        // ReplicaSetToDeploymentCondition: both times are the ReplicaSet condition's transition time
        assertThat(condition.getLastTransitionTime()).isEqualTo(fromRs.getLastTransitionTime());
        assertThat(condition.getLastUpdateTime()).isEqualTo(fromRs.getLastTransitionTime());

        createServiceAccount(ns, "absent");
        Deployment recovered = Pods.await(client.apps().deployments().inNamespace(ns).withName("api"),
                d -> replicaFailure(d).isEmpty() && d.getStatus() != null
                        && Integer.valueOf(2).equals(d.getStatus().getAvailableReplicas()));
        assertThat(recovered.getStatus().getConditions()).extracting(DeploymentCondition::getType)
                .containsExactlyInAnyOrder("Available", "Progressing");
    }

    @Test
    void statefulSetReportsARefusedCreateAsAWarningEventNamingThePodAndSetsNoCondition() {
        String ns = namespace("fc-sts");
        client.apps().statefulSets().inNamespace(ns).resource(new StatefulSetBuilder().withNewMetadata()
                .withName("db").withNamespace(ns).endMetadata().withNewSpec().withReplicas(2).withServiceName("db")
                .withNewSelector().addToMatchLabels("app", "db").endSelector().withTemplate(template("db", "missing"))
                .endSpec().build()).create();

        Event failed = Pods.awaitEvent(client, ns, "db", "FailedCreate");
        assertEvent(failed, "StatefulSet", "Warning", "create Pod db-0 in StatefulSet db failed error: "
                + refusal("db-0", ns, "missing"), "statefulset-controller");
        StatefulSet set = client.apps().statefulSets().inNamespace(ns).withName("db").get();
        assertThat(set.getStatus() == null ? null : set.getStatus().getConditions()).isNullOrEmpty();

        createServiceAccount(ns, "missing");
        Pods.awaitAll(client, ns, "app", "db", ps -> ps.size() == 2 && ps.stream().allMatch(PodStates::isReady));
        Event created = Pods.awaitEvent(client, ns, "db", "SuccessfulCreate");
        assertEvent(created, "StatefulSet", "Normal", "create Pod db-0 in StatefulSet db successful",
                "statefulset-controller");
    }

    @Test
    void daemonSetReportsARefusedCreateAsAWarningEventAndPlacesItsPodsOnceCreatesSucceed() {
        String ns = namespace("fc-ds");
        client.apps().daemonSets().inNamespace(ns).resource(new DaemonSetBuilder().withNewMetadata()
                .withName("agent").withNamespace(ns).endMetadata().withNewSpec().withNewSelector()
                .addToMatchLabels("app", "agent").endSelector().withTemplate(template("agent", "missing")).endSpec()
                .build()).create();

        Event failed = Pods.awaitEvent(client, ns, "agent", "FailedCreate");
        assertEvent(failed, "DaemonSet", "Warning", "Error creating: " + refusal("agent-", ns, "missing"),
                "daemonset-controller");

        createServiceAccount(ns, "missing");
        List<Pod> pods = Pods.awaitAll(client, ns, "app", "agent", ps -> ps.size() == 2);
        assertThat(pods).extracting(p -> p.getSpec().getAffinity().getNodeAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms().get(0).getMatchFields()
                .get(0).getValues().get(0)).containsExactlyInAnyOrder("node-1", "node-2");
        Event created = Pods.awaitEvent(client, ns, "agent", "SuccessfulCreate");
        assertThat(created.getMessage()).startsWith("Created pod: agent-");
    }

    @Test
    void jobReportsARefusedCreateAsAWarningEventAndRunsItsPodOnceCreatesSucceed() {
        String ns = namespace("fc-job");
        client.batch().v1().jobs().inNamespace(ns).resource(new JobBuilder().withNewMetadata().withName("once")
                .withNamespace(ns).endMetadata().withNewSpec().withTemplate(template("once", "missing"))
                .endSpec().build()).create();

        Event failed = Pods.awaitEvent(client, ns, "once", "FailedCreate");
        assertEvent(failed, "Job", "Warning", "Error creating: " + refusal("once-", ns, "missing"),
                "job-controller");

        createServiceAccount(ns, "missing");
        List<Pod> pods = Pods.awaitAll(client, ns, "job-name", "once", ps -> ps.size() == 1);
        Event created = Pods.awaitEvent(client, ns, "once", "SuccessfulCreate");
        assertEvent(created, "Job", "Normal", "Created pod: " + pods.get(0).getMetadata().getName(),
                "job-controller");
    }
}
