package io.jenkins.plugins.kubeplatform.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.sim.RawApi.Answer;
import java.util.ArrayList;
import java.util.List;
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
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
                .create();
        client.serviceAccounts().inNamespace(NS).resource(new ServiceAccountBuilder().withNewMetadata()
                .withName("puller").endMetadata().addNewImagePullSecret("registry-login").build()).create();
        client.serviceAccounts().inNamespace(NS).resource(new ServiceAccountBuilder().withNewMetadata()
                .withName("no-token").endMetadata().withAutomountServiceAccountToken(false).build()).create();
    }

    /** The volume a v1.32 server adds (`kubectl get pod -o json` of a pod created without volumes), name aside. */
    private static final String TOKEN_VOLUME_SOURCE = "{\"defaultMode\":420,\"sources\":["
            + "{\"serviceAccountToken\":{\"expirationSeconds\":3607,\"path\":\"token\"}},"
            + "{\"configMap\":{\"items\":[{\"key\":\"ca.crt\",\"path\":\"ca.crt\"}],\"name\":\"kube-root-ca.crt\"}},"
            + "{\"downwardAPI\":{\"items\":[{\"fieldRef\":{\"apiVersion\":\"v1\",\"fieldPath\":\"metadata.namespace\"},"
            + "\"path\":\"namespace\"}]}}]}";
    private static final String TOKEN_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";

    private static Answer create(String name, String spec) throws Exception {
        Answer a = RawApi.call(sim, "POST", PODS, "application/json", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\","
                + "\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{" + spec + "}}");
        assertThat(a.code()).as(a.body().toString()).isEqualTo(201);
        return a;
    }

    private static List<String> volumeNames(Answer a) {
        List<String> names = new ArrayList<>();
        a.body().path("spec").path("volumes").forEach(v -> names.add(v.path("name").asText()));
        return names;
    }

    private static List<String> mounts(Answer a, String list, int index) {
        List<String> found = new ArrayList<>();
        a.body().path("spec").path(list).path(index).path("volumeMounts").forEach(m -> found.add(m.path("name")
                .asText() + "@" + m.path("mountPath").asText() + (m.path("readOnly").asBoolean() ? ":ro" : "")));
        return found;
    }

    @Test
    void aPodGetsTheProjectedTokenVolumeMountedReadOnlyInEveryInitContainerAndContainer() throws Exception {
        Answer a = create("token", "\"initContainers\":[{\"name\":\"init\",\"image\":\"busybox:1.36\"}],"
                + "\"containers\":[{\"name\":\"app\",\"image\":\"nginx:1.27\",\"volumeMounts\":[{\"name\":"
                + "\"cache\",\"mountPath\":\"/cache\"}]},{\"name\":\"side\",\"image\":\"nginx:1.27\"}],"
                + "\"volumes\":[{\"name\":\"cache\",\"emptyDir\":{}}]");

        JsonNode volumes = a.body().path("spec").path("volumes");
        assertThat(volumes).hasSize(2);
        String name = volumes.get(1).path("name").asText();
        // names.SimpleNameGenerator: the prefix, then five of utilrand's "bcdfghjklmnpqrstvwxz2456789"
        assertThat(name).matches("kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}");
        assertThat(volumes.get(1).path("projected")).isEqualTo(JSON.readTree(TOKEN_VOLUME_SOURCE));
        assertThat(mounts(a, "initContainers", 0)).containsExactly(name + "@" + TOKEN_PATH + ":ro");
        assertThat(mounts(a, "containers", 0)).containsExactly("cache@/cache", name + "@" + TOKEN_PATH + ":ro");
        assertThat(mounts(a, "containers", 1)).containsExactly(name + "@" + TOKEN_PATH + ":ro");
    }

    @Test
    void thePodsAutomountSettingWinsOverItsServiceAccountsWhichWinsOverTheDefault() throws Exception {
        assertThat(volumeNames(create("account-says-no", "\"serviceAccountName\":\"no-token\","
                + "\"containers\":[{\"name\":\"app\",\"image\":\"nginx:1.27\"}]"))).isEmpty();
        assertThat(volumeNames(create("pod-says-yes", "\"serviceAccountName\":\"no-token\","
                + "\"automountServiceAccountToken\":true,"
                + "\"containers\":[{\"name\":\"app\",\"image\":\"nginx:1.27\"}]")))
                .singleElement().asString().startsWith("kube-api-access-");
        Answer podSaysNo = create("pod-says-no", "\"automountServiceAccountToken\":false,"
                + "\"containers\":[{\"name\":\"app\",\"image\":\"nginx:1.27\"}]");
        assertThat(volumeNames(podSaysNo)).isEmpty();
        assertThat(mounts(podSaysNo, "containers", 0)).isEmpty();
    }

    @Test
    void aContainerThatMountsSomethingAtTheTokenPathKeepsItAndNoVolumeIsAddedWhenNoContainerNeedsIt()
            throws Exception {
        Answer a = create("own-token", "\"containers\":[{\"name\":\"app\",\"image\":\"nginx:1.27\","
                + "\"volumeMounts\":[{\"name\":\"mine\",\"mountPath\":\"" + TOKEN_PATH + "\"}]}],"
                + "\"volumes\":[{\"name\":\"mine\",\"emptyDir\":{}}]");
        assertThat(volumeNames(a)).containsExactly("mine");
        assertThat(mounts(a, "containers", 0)).containsExactly("mine@" + TOKEN_PATH);
    }

    @Test
    void aPodThatAlreadyHasAKubeApiAccessVolumeHasItMountedAndNotAddedAgain() throws Exception {
        Answer a = create("own-volume", "\"containers\":[{\"name\":\"app\",\"image\":\"nginx:1.27\"}],"
                + "\"volumes\":[{\"name\":\"kube-api-access-mine1\",\"emptyDir\":{}}]");
        assertThat(volumeNames(a)).containsExactly("kube-api-access-mine1");
        assertThat(mounts(a, "containers", 0)).containsExactly("kube-api-access-mine1@" + TOKEN_PATH + ":ro");
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
