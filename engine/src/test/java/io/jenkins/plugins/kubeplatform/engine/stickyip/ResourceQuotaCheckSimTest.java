package io.jenkins.plugins.kubeplatform.engine.stickyip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.LimitRangeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException;
import io.jenkins.plugins.kubeplatform.engine.core.Progress;
import io.jenkins.plugins.kubeplatform.sim.ApiRequest;
import io.jenkins.plugins.kubeplatform.sim.SimOptions;
import io.jenkins.plugins.kubeplatform.sim.SimulatedCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ResourceQuota with room for some of a deploy's new identities but not all fails the deploy before it writes
 * anything, naming the quota, instead of the identities without room timing out after the others were written.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ResourceQuotaCheckSimTest {

    private static final Set<String> WRITES = Set.of("create", "update", "patch", "delete", "deletecollection");

    @TempDir
    Path stateDir;

    @AutoClose
    private final SimulatedCluster sim = TestNamespaces.with(SimulatedCluster.start(SimOptions.builder().speed(100)
            .build()));

    private final List<String> warnings = new CopyOnWriteArrayList<>();

    private final Progress progress = Warnings.into(warnings);

    private StickyIpDeployer deployer() {
        return StickyIpDeployerSimTest.onDefaultPool(sim.client(), stateDir);
    }

    private static DeployRequest web(int replicas, String image) {
        return DeployRequest.of("shop", "web", image, replicas, 8080, "default").withTimeout(Duration.ofSeconds(60));
    }

    /** Creates the quota and waits (bounded) until the quota controller has written its usage. */
    private void quota(String name, Map<String, String> hard, List<String> scopes) {
        ResourceQuotaBuilder b = new ResourceQuotaBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withScopes(scopes).endSpec();
        hard.forEach((k, v) -> b.editSpec().addToHard(k, new Quantity(v)).endSpec());
        sim.client().resourceQuotas().inNamespace("shop").resource(b.build()).create();
        awaitUsage(name, hard.keySet().iterator().next(), null);
    }

    /** Waits (bounded) until the quota's {@code status.used} of {@code resource} is {@code expected} (any if null). */
    private ResourceQuota awaitUsage(String name, String resource, String expected) {
        return sim.client().resourceQuotas().inNamespace("shop").withName(name).waitUntilCondition(q -> q != null
                && q.getStatus() != null && q.getStatus().getUsed() != null
                && q.getStatus().getUsed().containsKey(resource) && (expected == null
                || q.getStatus().getUsed().get(resource).getNumericalAmount()
                        .compareTo(new Quantity(expected).getNumericalAmount()) == 0), 30, TimeUnit.SECONDS);
    }

    private void otherPods(int n) {
        for (int i = 1; i <= n; i++) {
            sim.client().pods().inNamespace("shop").resource(new PodBuilder().withNewMetadata().withName("other-" + i)
                    .endMetadata().withNewSpec().addNewContainer().withName("other").withImage("busybox:1")
                    .endContainer().endSpec().build()).create();
        }
    }

    private List<ApiRequest> writesByTheDeploy() {
        return sim.requests().list().stream().filter(r -> !r.internal() && !r.dryRun() && !r.isReview()
                && WRITES.contains(r.verb())).toList();
    }

    private long quotaLists() {
        return sim.requests().list().stream().filter(r -> !r.internal() && r.resource().equals("resourcequotas"))
                .count();
    }

    @Test
    void aPodQuotaWithRoomForThreeOfFourNewIdentitiesFailsBeforeAnyWriteNamingQuotaHardUsedNeedAndFit() {
        quota("pod-count", Map.of("pods", "5"), List.of());
        otherPods(2);
        awaitUsage("pod-count", "pods", "2");
        sim.requests().clear();

        assertThatThrownBy(() -> deployer().deploy(web(4, "registry.example.com/web:1"), progress))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("stickyIpDeploy shop/web: the namespace's ResourceQuota has no room")
                .hasMessageContaining("nothing in the cluster was changed")
                .hasMessageContaining("quota shop/pod-count: pods hard 5, used 2, the 4 new identities need 4 "
                        + "(1 each): room for 3")
                .hasMessageContaining("Only 3 of the 4 new identities fit (replicas: at most 3)")
                .hasMessageContaining("Raise the quota (spec.hard), lower replicas, or free pods in namespace shop");

        assertThat(writesByTheDeploy()).as("writes before the refusal").isEmpty();
        assertThat(quotaLists()).as("one list of the quotas").isEqualTo(1);
        assertThat(sim.client().apps().deployments().inNamespace("shop").list().getItems()).isEmpty();
    }

    @Test
    void aCpuQuotaCountsTheRequestTheLimitRangeGivesThePodNotTheTemplatesNone() {
        sim.client().limitRanges().inNamespace("shop").resource(new LimitRangeBuilder().withNewMetadata()
                .withName("defaults").endMetadata().withNewSpec().addNewLimit().withType("Container")
                .addToDefaultRequest("cpu", new Quantity("300m")).endLimit().endSpec().build()).create();
        quota("cpu", Map.of("requests.cpu", "1"), List.of());
        sim.requests().clear();

        // the template sets no resources: only the admitted pod carries the LimitRange's 300m
        assertThatThrownBy(() -> deployer().deploy(web(4, "registry.example.com/web:1"), progress))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("quota shop/cpu: requests.cpu hard 1, used 0, the 4 new identities need 1200m "
                        + "(300m each): room for 3");

        assertThat(writesByTheDeploy()).isEmpty();
    }

    @Test
    void aQuotaScopedToBestEffortPodsDoesNotStopPodsThatRequestResources() {
        quota("best-effort", Map.of("pods", "1"), List.of("BestEffort"));
        String template = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  template:
                    spec:
                      containers:
                        - name: web
                          image: registry.example.com/shop/web:1
                          ports: [{containerPort: 8080}]
                          resources: {requests: {cpu: 100m}}
                """;
        WorkloadTemplate t = ManifestParser.parse("template", template);

        DeployResult result = deployer().deploy(new DeployRequest("shop", "web", "", 3, 0, "default", "test",
                Duration.ofSeconds(60), Map.of()).withTemplate(t), progress);

        assertThat(result.identities()).hasSize(3);
        assertThat(warnings).isEmpty();
    }

    @Test
    void newIdentitiesThatFillAQuotaExactlyDeploy() {
        quota("pod-count", Map.of("pods", "4"), List.of());
        otherPods(2);
        awaitUsage("pod-count", "pods", "2");

        DeployResult result = deployer().deploy(web(2, "registry.example.com/web:1"), progress);

        assertThat(result.identities()).hasSize(2);
        assertThat(warnings).isEmpty();
        assertThat(awaitUsage("pod-count", "pods", "4").getStatus().getUsed().get("pods")).isEqualTo(new Quantity("4"));
    }

    @Test
    void aRedeployWithoutNewIdentitiesReadsNoQuota() {
        quota("pod-count", Map.of("pods", "10"), List.of());
        sim.requests().clear();
        deployer().deploy(web(2, "registry.example.com/web:1"), progress);
        assertThat(quotaLists()).as("the first deploy creates two identities: it reads the quotas").isEqualTo(1);
        sim.requests().clear();

        deployer().deploy(web(2, "registry.example.com/web:1"), progress);
        long unchanged = quotaLists();
        deployer().deploy(web(2, "registry.example.com/web:2"), progress);

        assertThat(unchanged).as("an unchanged re-run").isZero();
        assertThat(quotaLists()).as("an image change, the same identities").isZero();
        assertThat(warnings).isEmpty();
    }

    @Test
    void pre_pullPodsWithoutRoomOnlyWarnAndTheScaleUpWithANewImageStillDeploys() {
        deployer().deploy(web(2, "registry.example.com/web:1"), progress);
        // the app's 2 pods, room for 1 more: the new identity fits, the 2 pre-pull pods (one per node) do not
        quota("pod-count", Map.of("pods", "3"), List.of());
        awaitUsage("pod-count", "pods", "2");

        DeployResult result = deployer().deploy(web(3, "registry.example.com/web:2"), progress);

        assertThat(result.identities()).hasSize(3);
        assertThat(warnings).anySatisfy(w -> assertThat(w).startsWith("[warn] the ResourceQuota of shop has no room "
                + "for the pre-pull pods of shop/web (quota shop/pod-count: pods hard 3, used 2, the 2 pre-pull pod(s) "
                + "need 2)"));
        assertThat(warnings).as("the pre-pull met the quota and stopped").anySatisfy(w -> assertThat(w)
                .startsWith("[warn] pre-pull skipped: cannot create pod shop/web-pre-pull-")
                .contains("exceeded quota: pod-count"));
        assertThat(sim.client().pods().inNamespace("shop").withLabel(StickyIpLabels.NAME, "web").list().getItems())
                .filteredOn(p -> p.getMetadata().getDeletionTimestamp() == null)
                .allSatisfy(p -> assertThat(p.getSpec().getContainers().get(0).getImage())
                        .isEqualTo("registry.example.com/web:2"));
    }
}
