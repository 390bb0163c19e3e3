package io.jenkins.plugins.kubeplatform.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.sim.RawApi.Answer;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ServiceAccount admission plugin of kube-apiserver v1.32 on pod creates (plugin/pkg/admission/serviceaccount):
 * measured answers of a real server are the expected values.
 */
class PodAdmissionTest {

    private static final String NS = "admission";
    private static final String PODS = "/api/v1/namespaces/" + NS + "/pods";

    @AutoClose
    private static final SimulatedCluster sim = SimulatedCluster.start(SimOptions.builder()
            .builtInControllers(false).build());
    private static final KubernetesClient client = sim.client();

    @BeforeAll
    static void start() {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
                .create();
        client.serviceAccounts().inNamespace(NS).resource(new ServiceAccountBuilder().withNewMetadata()
                .withName("puller").endMetadata().addNewImagePullSecret("registry-login").build()).create();
    }

    private static String pod(String nameField, String spec) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{" + nameField + "},\"spec\":{" + spec
                + "\"containers\":[{\"name\":\"app\",\"image\":\"nginx:1.27\"}]}}";
    }

    @Test
    void aPodWhoseServiceAccountDoesNotExistIsForbiddenNamingItsGenerateName() throws Exception {
        Answer a = RawApi.call(sim, "POST", PODS, "application/json",
                pod("\"generateName\":\"web-7d9f-\"", "\"serviceAccountName\":\"deployer\","));
        assertThat(a.code()).isEqualTo(403);
        assertThat(a.body().path("reason").asText()).isEqualTo("Forbidden");
        assertThat(a.body().path("message").asText()).isEqualTo("pods \"web-7d9f-\" is forbidden: error looking up "
                + "service account admission/deployer: serviceaccount \"deployer\" not found");
        assertThat(a.body().path("details").path("name").asText()).isEqualTo("web-7d9f-");
        assertThat(a.body().path("details").path("kind").asText()).isEqualTo("pods");
    }

    @Test
    void aServerSideDryRunMeetsTheSameRefusalAndPersistsNothing() throws Exception {
        Answer a = RawApi.call(sim, "POST", PODS + "?dryRun=All", "application/json",
                pod("\"name\":\"probe\"", "\"serviceAccountName\":\"deployer\","));
        assertThat(a.code()).isEqualTo(403);
        assertThat(a.body().path("message").asText()).startsWith("pods \"probe\" is forbidden: error looking up");
        Answer ok = RawApi.call(sim, "POST", PODS + "?dryRun=All", "application/json",
                pod("\"name\":\"probe\"", "\"serviceAccountName\":\"puller\","));
        assertThat(ok.code()).isEqualTo(201);
        assertThat(client.pods().inNamespace(NS).withName("probe").get()).isNull();
    }

    @Test
    void aPodGetsTheDefaultServiceAccountInBothFields() {
        Pod p = client.pods().inNamespace(NS).resource(Pods.pod("plain").editMetadata().withNamespace(NS).endMetadata()
                .build()).create();
        assertThat(p.getSpec().getServiceAccountName()).isEqualTo("default");
        assertThat(p.getSpec().getServiceAccount()).isEqualTo("default");
    }

    @Test
    void aPodWithoutPullSecretsGetsItsServiceAccountsAndOneWithItsOwnKeepsThem() {
        Pod copied = client.pods().inNamespace(NS).resource(Pods.pod("copied").editMetadata().withNamespace(NS)
                .endMetadata().editSpec().withServiceAccountName("puller").endSpec().build()).create();
        assertThat(copied.getSpec().getImagePullSecrets()).extracting(LocalObjectReference::getName)
                .containsExactly("registry-login");
        Pod own = client.pods().inNamespace(NS).resource(Pods.pod("own").editMetadata().withNamespace(NS)
                .endMetadata().editSpec().withServiceAccountName("puller").addNewImagePullSecret("mine").endSpec()
                .build()).create();
        assertThat(own.getSpec().getImagePullSecrets()).extracting(LocalObjectReference::getName)
                .containsExactly("mine");
    }

    @Test
    void aPodGetsTheDefaultNotReadyAndUnreachableTolerationsOfThreeHundredSeconds() {
        Pod p = client.pods().inNamespace(NS).resource(Pods.pod("tolerant").editMetadata().withNamespace(NS)
                .endMetadata().build()).create();
        assertThat(p.getSpec().getTolerations()).extracting(Toleration::getKey, Toleration::getOperator,
                Toleration::getEffect, Toleration::getTolerationSeconds).containsExactly(
                tuple("node.kubernetes.io/not-ready", "Exists", "NoExecute", 300L),
                tuple("node.kubernetes.io/unreachable", "Exists", "NoExecute", 300L));
    }

    @Test
    void aPodThatToleratesATaintItselfKeepsItsOwnAndATolerateEverythingPodGetsNone() {
        Pod own = client.pods().inNamespace(NS).resource(Pods.pod("own-toleration").editMetadata().withNamespace(NS)
                .endMetadata().editSpec().addNewToleration().withKey("node.kubernetes.io/unreachable")
                .withOperator("Exists").withEffect("NoExecute").withTolerationSeconds(30L).endToleration().endSpec()
                .build()).create();
        assertThat(own.getSpec().getTolerations()).extracting(Toleration::getKey, Toleration::getTolerationSeconds)
                .containsExactly(tuple("node.kubernetes.io/unreachable", 30L),
                        tuple("node.kubernetes.io/not-ready", 300L));
        Pod all = client.pods().inNamespace(NS).resource(Pods.pod("tolerates-all").editMetadata().withNamespace(NS)
                .endMetadata().editSpec().addNewToleration().withOperator("Exists").endToleration().endSpec().build())
                .create();
        assertThat(all.getSpec().getTolerations()).singleElement()
                .satisfies(t -> assertThat(t.getKey()).isNull());
    }

    @Test
    void aPodWithoutAPriorityClassGetsPriorityZeroAndOneNamingAClassGetsItsValue() {
        Pod plain = client.pods().inNamespace(NS).resource(Pods.pod("no-class").editMetadata().withNamespace(NS)
                .endMetadata().build()).create();
        assertThat(plain.getSpec().getPriority()).isZero();
        assertThat(plain.getSpec().getPreemptionPolicy()).isEqualTo("PreemptLowerPriority");
        assertThat(plain.getSpec().getPriorityClassName()).isNull();
        Pod critical = client.pods().inNamespace(NS).resource(Pods.pod("critical").editMetadata().withNamespace(NS)
                .endMetadata().editSpec().withPriorityClassName("system-cluster-critical").endSpec().build()).create();
        assertThat(critical.getSpec().getPriority()).isEqualTo(2_000_000_000);
    }

    @Test
    void aPodNamingAMissingPriorityClassOrStatingAnotherPriorityIsForbidden() throws Exception {
        Answer missing = RawApi.call(sim, "POST", PODS, "application/json",
                pod("\"name\":\"high\"", "\"priorityClassName\":\"high-priority\","));
        assertThat(missing.code()).isEqualTo(403);
        assertThat(missing.body().path("message").asText())
                .isEqualTo("pods \"high\" is forbidden: no PriorityClass with name high-priority was found");
        Answer stated = RawApi.call(sim, "POST", PODS, "application/json",
                pod("\"name\":\"stated\"", "\"priority\":1000,"));
        assertThat(stated.code()).isEqualTo(403);
        assertThat(stated.body().path("message").asText()).isEqualTo("pods \"stated\" is forbidden: the integer "
                + "value of priority (1000) must not be provided in pod spec; priority admission controller computed 0 "
                + "from the given PriorityClass name");
    }

    @Test
    void aGlobalDefaultPriorityClassIsGivenToPodsWithoutOne() {
        client.scheduling().v1().priorityClasses().resource(new io.fabric8.kubernetes.api.model.scheduling.v1
                .PriorityClassBuilder().withNewMetadata().withName("batch-default").endMetadata().withValue(100)
                .withGlobalDefault(true).withPreemptionPolicy("Never").build()).create();
        try {
            Pod p = client.pods().inNamespace(NS).resource(Pods.pod("defaulted").editMetadata().withNamespace(NS)
                    .endMetadata().build()).create();
            assertThat(p.getSpec().getPriorityClassName()).isEqualTo("batch-default");
            assertThat(p.getSpec().getPriority()).isEqualTo(100);
            assertThat(p.getSpec().getPreemptionPolicy()).isEqualTo("Never");
        } finally {
            client.scheduling().v1().priorityClasses().withName("batch-default").delete();
        }
    }
}
