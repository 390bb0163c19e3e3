package io.jenkins.plugins.kubeplatform.engine.stickyip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jenkins.plugins.kubeplatform.engine.core.OperationFailedException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * Which answers to the admission dry run fail the deploy (the pod itself is refused) and which only warn (the answer
 * says nothing about the pod, or the refusal may pass). Messages are the shapes real kube-apiservers send.
 */
class PodAdmissionCheckTest {

    private static final ReplicaIdentity WEB_0 = new ReplicaIdentity("shop", "web", 0);

    private final List<String> warnings = new CopyOnWriteArrayList<>();
    /** No API server behind it: the quota check's reads of pods being deleted fail, so a shortfall stands. */
    @AutoClose
    private final KubernetesClient unreachable = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
            .withMasterUrl("http://127.0.0.1:1").withRequestRetryBackoffLimit(0).build()).build();

    private final PodAdmissionCheck check = new PodAdmissionCheck(unreachable, StickyIpDeployerSimTest.fastRetry(),
            Warnings.into(warnings));

    private static KubernetesClientException answer(int code, String message) {
        return new KubernetesClientException(new StatusBuilder().withCode(code).withMessage(message).build());
    }

    @Test
    void aPodSecurityRefusalFailsAndPointsAtTheTemplatesSecurityContext() {
        assertThatThrownBy(() -> check.refused(WEB_0, answer(403, "pods \"web-0-x7k2p\" is forbidden: violates "
                + "PodSecurity \"baseline:latest\": privileged (container \"web\" must not set "
                + "securityContext.privileged=true)")))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageStartingWith("stickyIpDeploy shop/web: the API server refuses the app's pods")
                .hasMessageContaining("HTTP 403: pods \"web-0-x7k2p\" is forbidden: violates PodSecurity")
                .hasMessageContaining("label pod-security.kubernetes.io/enforce");
        assertThat(warnings).isEmpty();
    }

    @Test
    void aMissingServiceAccountAnInvalidTemplateAWebhookDenialAndAQuotaNeedingLimitsFailWithTheirOwnHints() {
        assertThatThrownBy(() -> check.refused(WEB_0, answer(403, "pods \"web-0-\" is forbidden: error looking up "
                + "service account shop/deployer: serviceaccount \"deployer\" not found")))
                .hasMessageContaining("correct spec.serviceAccountName");
        assertThatThrownBy(() -> check.refused(WEB_0, answer(422, "Pod \"web-0-x7k2p\" is invalid: "
                + "spec.containers[0].image: Required value")))
                .hasMessageContaining("The workload template is invalid");
        assertThatThrownBy(() -> check.refused(WEB_0, answer(403, "admission webhook \"validate.kyverno.svc\" denied "
                + "the request: resource Pod/shop/web-0-x7k2p was blocked")))
                .hasMessageContaining("An admission policy of the cluster refuses the pod");
        assertThatThrownBy(() -> check.refused(WEB_0, answer(403, "pods \"web-0-x7k2p\" is forbidden: failed quota: "
                + "compute: must specify limits.cpu for: web")))
                .hasMessageContaining("The namespace's ResourceQuota requires the resources named above");
        assertThat(warnings).isEmpty();
    }

    @Test
    void noPermissionAFullQuotaADryRunUnsupportedWebhookAndAServerErrorOnlyWarn() {
        check.refused(WEB_0, answer(403, "pods is forbidden: User \"system:serviceaccount:ci:jenkins\" cannot create "
                + "resource \"pods\" in API group \"\" in the namespace \"shop\""));
        check.refused(WEB_0, answer(403, "pods \"web-0-x7k2p\" is forbidden: exceeded quota: compute, requested: "
                + "pods=1, used: pods=10, limited: pods=10"));
        check.refused(WEB_0, answer(400, "admission webhook \"mutate.example.com\" does not support dry run"));
        check.refused(WEB_0, answer(500, "Internal error occurred: failed calling webhook"));

        assertThat(warnings).hasSize(4).allSatisfy(w -> assertThat(w)
                .startsWith("[warn] the API server did not say whether it admits the pods of shop/web")
                .endsWith("rolling out without that check"));
        assertThat(warnings.get(1)).contains("identities that need a new pod wait for quota");
    }

    @Test
    void aFullQuotaFailsWhenThePlanCreatesIdentitiesWithTheFiguresOfTheServersMessage() {
        // used 10 of 10 pods: room 0 for the 2 new identities of 3 replicas, so at most 3 - 2 + 0 = 1 replica
        assertThatThrownBy(() -> check.refused(WEB_0, answer(403, "pods \"web-0-x7k2p\" is forbidden: exceeded quota: "
                + "compute, requested: pods=1, used: pods=10, limited: pods=10"), 2, 3))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("nothing in the cluster was changed")
                .hasMessageContaining("quota shop/compute: pods hard 10, used 10, the 2 new identities need 2 (1 each): "
                        + "room for 0. Only 0 of the 2 new identities fit (replicas: at most 1)");
        assertThat(warnings).isEmpty();
    }

    @Test
    void aFullQuotaMessageInAnotherFormOnlyWarnsEvenForNewIdentities() {
        check.refused(WEB_0, answer(403, "pods \"web-0-x7k2p\" is forbidden: exceeded quota: compute"), 2, 3);

        assertThat(warnings).singleElement().satisfies(w -> assertThat(w)
                .contains("identities that need a new pod wait for quota"));
    }
}
