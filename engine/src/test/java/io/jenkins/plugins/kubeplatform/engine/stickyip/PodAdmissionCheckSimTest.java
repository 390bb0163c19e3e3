package io.jenkins.plugins.kubeplatform.engine.stickyip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.engine.kube.KubernetesClients;
import io.jenkins.plugins.kubeplatform.engine.kube.ServerWarnings;
import io.jenkins.plugins.kubeplatform.sim.ApiRequest;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pods the API server refuses (admission) fail the deploy before it writes anything, with the server's reason, instead
 * of identities that never get a pod until the step's timeout.
 */
class PodAdmissionCheckSimTest {

    private static final String APP = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              replicas: 2
              template:
                spec:
                  serviceAccountName: deployer
                  containers:
                    - name: web
                      image: registry.example.com/shop/web:1
                      ports:
                        - {containerPort: 8080}
            """;

    @TempDir
    Path stateDir;

    @AutoClose
    private final SimulatedCluster sim = TestNamespaces.with(SimulatedCluster.start(SimOptions.builder().speed(100)
            .build()));

    private StickyIpDeployer deployer() {
        return deployer(sim.client());
    }

    private StickyIpDeployer deployer(KubernetesClient client) {
        return StickyIpDeployerSimTest.onDefaultPool(client, stateDir);
    }

    /** A client as a step run gets it: the API server's warnings go to the run's progress. */
    private KubernetesClient stepClient(Progress progress) {
        return KubernetesClients.create(sim.client().getConfiguration(), new ServerWarnings(progress));
    }

    private static DeployRequest request() {
        WorkloadTemplate t = ManifestParser.parse("template", APP);
        return new DeployRequest("shop", "web", "", DeployRequest.replicas(null, java.util.Optional.of(t)), 0,
                "default", "test", Duration.ofSeconds(60), Map.of()).withTemplate(t);
    }

    @Test
    void aTemplateNamingAMissingServiceAccountFailsWithTheServersReasonBeforeAnythingIsWritten() {
        sim.requests().clear();

        assertThatThrownBy(() -> deployer().deploy(request(), Progress.silent()))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("nothing in the cluster was changed")
                .hasMessageContaining("pods \"web-0-\" is forbidden: error looking up service account shop/deployer: "
                        + "serviceaccount \"deployer\" not found")
                .hasMessageContaining("correct spec.serviceAccountName");

        List<ApiRequest> persisted = sim.requests().list().stream().filter(ApiRequest::persisted).toList();
        assertThat(persisted).as("writes before the refusal").isEmpty();
        assertThat(sim.client().apps().deployments().inNamespace("shop").list().getItems()).isEmpty();
    }

    @Test
    void theSameDeploySucceedsOnceTheServiceAccountExists() {
        sim.client().serviceAccounts().inNamespace("shop").resource(new ServiceAccountBuilder().withNewMetadata()
                .withName("deployer").endMetadata().build()).create();
        List<String> warnings = new CopyOnWriteArrayList<>();

        DeployResult result = deployer().deploy(request(), Warnings.into(warnings));

        assertThat(result.identities()).hasSize(2);
        assertThat(warnings).isEmpty();
        assertThat(sim.requests().list()).filteredOn(r -> r.dryRun() && r.resource().equals("pods"))
                .as("one dry run for the deploy, not one per identity").hasSize(1);
    }

    private void enforceRestricted() {
        sim.client().namespaces().withName("shop").edit(n -> {
            n.getMetadata().getLabels().put("pod-security.kubernetes.io/enforce", "restricted");
            return n;
        });
    }

    @Test
    void aNamespaceEnforcingRestrictedRefusesAPlainImagesPodsBeforeAnythingIsWritten() {
        enforceRestricted();
        sim.requests().clear();

        assertThatThrownBy(() -> deployer().deploy(DeployRequest.of("shop", "web", "registry.example.com/web:1", 2,
                8080, "default"), Progress.silent()))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("is forbidden: violates PodSecurity \"restricted:latest\": "
                        + "allowPrivilegeEscalation != false (container \"web\" must set "
                        + "securityContext.allowPrivilegeEscalation=false)")
                .hasMessageContaining("label pod-security.kubernetes.io/enforce");

        assertThat(sim.requests().list().stream().filter(ApiRequest::persisted).toList()).isEmpty();
    }

    @Test
    void aTemplateThatMeetsRestrictedDeploysAndRedeploysWithItsPrePullPodsAdmitted() {
        enforceRestricted();
        String restricted = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: 2
                  template:
                    spec:
                      securityContext:
                        runAsNonRoot: true
                        runAsUser: 10001
                        seccompProfile: {type: RuntimeDefault}
                      containers:
                        - name: web
                          image: registry.example.com/shop/web:1
                          ports: [{containerPort: 8080}]
                          securityContext:
                            allowPrivilegeEscalation: false
                            capabilities: {drop: [ALL]}
                """;
        List<String> warnings = new CopyOnWriteArrayList<>();
        Progress progress = Warnings.into(warnings);
        WorkloadTemplate t = ManifestParser.parse("template", restricted);
        deployer().deploy(new DeployRequest("shop", "web", "", 2, 0, "default", "test", Duration.ofSeconds(60),
                Map.of()).withTemplate(t), progress);

        DeployResult again = deployer().deploy(new DeployRequest("shop", "web", "registry.example.com/shop/web:2", 2,
                0, "default", "test", Duration.ofSeconds(60), Map.of()).withTemplate(t), progress);

        assertThat(again.identities()).hasSize(2);
        assertThat(warnings).as("no refused pre-pull pod, no unanswered admission check").isEmpty();
        assertThat(sim.requests().list()).filteredOn(r -> r.resource().equals("pods") && r.verb().equals("create")
                && !r.dryRun()).as("the pre-pull pods were created").isNotEmpty()
                .allSatisfy(r -> assertThat(r.status()).isEqualTo(201));
    }

    @Test
    void aPodThatOnlyTheNamespacesWarnLevelObjectsDeploysWithTheServersWarningOnceInTheLog() {
        sim.client().namespaces().withName("shop").edit(n -> {
            n.getMetadata().getLabels().put("pod-security.kubernetes.io/warn", "restricted");
            return n;
        });
        List<String> warnings = new CopyOnWriteArrayList<>();
        Progress progress = Warnings.into(warnings);

        DeployResult result;
        try (KubernetesClient client = stepClient(progress)) {
            result = deployer(client).deploy(DeployRequest.of("shop", "web", "registry.example.com/web:1", 2, 8080,
                    "default").withTimeout(Duration.ofSeconds(60)), progress);
        }

        assertThat(result.identities()).hasSize(2);
        assertThat(sim.requests().list()).as("the dry run and both Deployment creates were warned")
                .filteredOn(r -> r.verb().equals("create") && (r.resource().equals("deployments")
                        || r.resource().equals("pods") && r.dryRun())).hasSizeGreaterThanOrEqualTo(3);
        assertThat(warnings).singleElement().isEqualTo("[warn] the API server warns: would violate PodSecurity "
                + "\"restricted:latest\": allowPrivilegeEscalation != false (container \"web\" must set "
                + "securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container \"web\" must "
                + "set securityContext.capabilities.drop=[\"ALL\"]), runAsNonRoot != true (pod or container \"web\" "
                + "must set securityContext.runAsNonRoot=true), seccompProfile (pod or container \"web\" must set "
                + "securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")");
    }

    @Test
    void aQuotaThatRequiresLimitsTheTemplateLacksFailsBeforeAnythingIsWritten() {
        sim.client().resourceQuotas().inNamespace("shop").resource(new io.fabric8.kubernetes.api.model
                .ResourceQuotaBuilder().withNewMetadata().withName("compute").endMetadata().withNewSpec()
                .addToHard("limits.cpu", new io.fabric8.kubernetes.api.model.Quantity("2")).endSpec().build())
                .create();
        sim.requests().clear();

        assertThatThrownBy(() -> deployer().deploy(DeployRequest.of("shop", "web", "registry.example.com/web:1", 1,
                8080, "default"), Progress.silent()))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("is forbidden: failed quota: compute: must specify limits.cpu for: web")
                .hasMessageContaining("resources.requests and resources.limits");

        assertThat(sim.requests().list().stream().filter(ApiRequest::persisted).toList()).isEmpty();
    }

    private void podQuota(int hard) {
        sim.client().resourceQuotas().inNamespace("shop").resource(new io.fabric8.kubernetes.api.model
                .ResourceQuotaBuilder().withNewMetadata().withName("pod-count").endMetadata().withNewSpec()
                .addToHard("pods", new io.fabric8.kubernetes.api.model.Quantity(String.valueOf(hard))).endSpec()
                .build()).create();
    }

    /** Waits (bounded) until the quota controller counts {@code used} pods. */
    private void awaitPodsUsed(int used) {
        sim.client().resourceQuotas().inNamespace("shop").withName("pod-count").waitUntilCondition(q -> q != null
                && q.getStatus() != null && q.getStatus().getUsed() != null && new io.fabric8.kubernetes.api.model
                .Quantity(String.valueOf(used)).equals(q.getStatus().getUsed().get("pods")), 30,
                java.util.concurrent.TimeUnit.SECONDS);
    }

    @Test
    void aFullPodQuotaFailsANewIdentityBeforeAnythingIsWrittenWithTheServersFigures() {
        podQuota(1);
        sim.client().pods().inNamespace("shop").resource(new io.fabric8.kubernetes.api.model.PodBuilder()
                .withNewMetadata().withName("other").endMetadata().withNewSpec().addNewContainer().withName("other")
                .withImage("busybox:1").endContainer().endSpec().build()).create();
        awaitPodsUsed(1);
        sim.requests().clear();

        assertThatThrownBy(() -> deployer().deploy(DeployRequest.of("shop", "web", "registry.example.com/web:1", 1,
                8080, "default").withTimeout(Duration.ofSeconds(60)), Progress.silent()))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("nothing in the cluster was changed")
                .hasMessageContaining("quota shop/pod-count: pods hard 1, used 1, the new identity needs 1: room for 0");

        assertThat(sim.requests().list().stream().filter(ApiRequest::persisted).toList()).isEmpty();
    }

    @Test
    void aFullPodQuotaOnlyWarnsWhenTheDeployOnlyReplacesIdentitiesAndTheReplacementsGetTheFreedRoom() {
        podQuota(2);
        deployer().deploy(DeployRequest.of("shop", "web", "registry.example.com/web:1", 2, 8080, "default")
                .withTimeout(Duration.ofSeconds(60)), Progress.silent());
        awaitPodsUsed(2);
        List<String> warnings = new CopyOnWriteArrayList<>();

        // another port: each identity is replaced (not updated in place), its old pod deleted before the new one
        DeployResult again = deployer().deploy(DeployRequest.of("shop", "web", "registry.example.com/web:1", 2, 9090,
                "default").withTimeout(Duration.ofSeconds(60)), Warnings.into(warnings));

        assertThat(again.identities()).hasSize(2);
        assertThat(warnings).singleElement().satisfies(w -> assertThat(w)
                .contains("did not say whether it admits the pods of shop/web")
                .contains("exceeded quota: pod-count, requested: pods=1, used: pods=2, limited: pods=2")
                .contains("identities that need a new pod wait for quota"));
    }

    @Test
    void aTemplateNamingAPriorityClassTheClusterLacksFailsBeforeAnythingIsWritten() {
        WorkloadTemplate t = ManifestParser.parse("template", APP.replace("serviceAccountName: deployer",
                "priorityClassName: high-priority"));
        sim.requests().clear();

        assertThatThrownBy(() -> deployer().deploy(new DeployRequest("shop", "web", "", 2, 0, "default", "test",
                Duration.ofSeconds(60), Map.of()).withTemplate(t), Progress.silent()))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("is forbidden: no PriorityClass with name high-priority was found");

        assertThat(sim.requests().list().stream().filter(ApiRequest::persisted).toList()).isEmpty();
    }

    @Test
    void aLimitRangeDefaultLimitBelowTheTemplatesRequestFailsBeforeAnythingIsWritten() {
        // the Deployment itself is valid (LimitRanger acts on pods only); its pods are not: the default limit of
        // 500m is set below the request of 1, which ValidateResourceRequirements refuses (422)
        sim.client().resource(new io.fabric8.kubernetes.api.model.LimitRangeBuilder().withNewMetadata()
                .withName("cpu").withNamespace("shop").endMetadata().withNewSpec().addNewLimit().withType("Container")
                .addToDefault("cpu", new io.fabric8.kubernetes.api.model.Quantity("500m")).endLimit().endSpec()
                .build()).create();
        WorkloadTemplate t = ManifestParser.parse("template", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: 2
                  template:
                    spec:
                      containers:
                        - name: web
                          image: registry.example.com/shop/web:1
                          ports: [{containerPort: 8080}]
                          resources:
                            requests: {cpu: "1"}
                """);
        sim.requests().clear();

        assertThatThrownBy(() -> deployer().deploy(new DeployRequest("shop", "web", "", 2, 0, "default", "test",
                Duration.ofSeconds(60), Map.of()).withTemplate(t), Progress.silent()))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("nothing in the cluster was changed")
                .hasMessageContaining("is invalid: spec.containers[0].resources.requests: Invalid value: \"1\": must "
                        + "be less than or equal to cpu limit of 500m")
                .hasMessageContaining("LimitRange");

        assertThat(sim.requests().list().stream().filter(ApiRequest::persisted).toList()).isEmpty();
        assertThat(sim.client().apps().deployments().inNamespace("shop").list().getItems()).isEmpty();
    }
}
