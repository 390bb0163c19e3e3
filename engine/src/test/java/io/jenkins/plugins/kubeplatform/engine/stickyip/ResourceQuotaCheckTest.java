package io.jenkins.plugins.kubeplatform.engine.stickyip;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.jenkins.plugins.kubeplatform.engine.kube.QuotaFit.Shortfall;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The failure for an exhausted quota, read from the quota admission's message, and whether pods being deleted make
 * up for a shortfall; figures worked out by hand.
 */
class ResourceQuotaCheckTest {

    private static ResourceQuota quota(String name, String... scopes) {
        return new ResourceQuotaBuilder().withNewMetadata().withNamespace("shop").withName(name).endMetadata()
                .withNewSpec().withScopes(scopes).endSpec().build();
    }

    /** A pod being deleted whose one container requests {@code cpu} (null: nothing, a BestEffort pod). */
    private static Pod leaving(String cpu) {
        Pod pod = new PodBuilder().withNewMetadata().withNamespace("shop").withName("old-" + cpu)
                .withDeletionTimestamp("2026-12-07T10:00:00Z").endMetadata().withNewSpec().addNewContainer()
                .withName("old").withImage("old:1").withNewResources().endResources().endContainer().endSpec()
                .build();
        if (cpu != null) {
            pod.getSpec().getContainers().get(0).getResources().setRequests(new java.util.TreeMap<>(
                    java.util.Map.of("cpu", new Quantity(cpu))));
        }
        return pod;
    }

    private static Shortfall pods(String quota, int hard, int used, int needed) {
        return new Shortfall("shop/" + quota, "pods", BigDecimal.valueOf(hard), BigDecimal.valueOf(used),
                BigDecimal.valueOf(needed));
    }

    @Test
    void podsBeingDeletedMakeUpForAShortfallThatTheirCountCoversExactly() {
        // hard 4, used 3, 3 new pods: 3 - 2 + 3 = 4 <= 4 with two pods leaving; 3 - 1 + 3 = 5 > 4 with one
        List<Shortfall> shortfalls = List.of(pods("pod-count", 4, 3, 3));
        List<ResourceQuota> quotas = List.of(quota("pod-count"));

        assertThat(ResourceQuotaCheck.freedByDeletions(shortfalls, quotas, List.of(leaving("100m"), leaving("200m"))))
                .hasValue(List.of("quota shop/pod-count: pods hard 4, used 3, of which 2 by pods being deleted"));
        assertThat(ResourceQuotaCheck.freedByDeletions(shortfalls, quotas, List.of(leaving("100m")))).isEmpty();
        assertThat(ResourceQuotaCheck.freedByDeletions(shortfalls, quotas, List.of())).isEmpty();
    }

    @Test
    void countsWhatTheLeavingPodsRequestOfTheShortResource() {
        // requests.cpu hard 2, used 1800m, 2 new pods of 500m: 1800m - freed + 1000m <= 2000m needs freed >= 800m
        Shortfall cpu = new Shortfall("shop/compute", "requests.cpu", new BigDecimal("2"), new BigDecimal("1.8"),
                new BigDecimal("1"));
        List<ResourceQuota> quotas = List.of(quota("compute"));

        assertThat(ResourceQuotaCheck.freedByDeletions(List.of(cpu), quotas, List.of(leaving("500m"), leaving("300m"))))
                .hasValue(List.of("quota shop/compute: requests.cpu hard 2, used 1800m, of which 800m by pods being "
                        + "deleted"));
        assertThat(ResourceQuotaCheck.freedByDeletions(List.of(cpu), quotas, List.of(leaving("500m"), leaving("200m"))))
                .as("700m freed leaves 100m short").isEmpty();
    }

    @Test
    void onlyPodsInTheQuotasScopeFreeItsRoom() {
        // a quota on BestEffort pods: a leaving pod with a cpu request is not in its scope and frees nothing
        List<Shortfall> shortfalls = List.of(pods("best-effort", 2, 2, 1));
        List<ResourceQuota> quotas = List.of(quota("best-effort", "BestEffort"));

        assertThat(ResourceQuotaCheck.freedByDeletions(shortfalls, quotas, List.of(leaving("100m")))).isEmpty();
        assertThat(ResourceQuotaCheck.freedByDeletions(shortfalls, quotas, List.of(leaving(null))))
                .hasValue(List.of("quota shop/best-effort: pods hard 2, used 2, of which 1 by pods being deleted"));
    }

    @Test
    void everyShortfallMustBeMadeUpAndItsQuotaKnown() {
        List<Shortfall> both = List.of(pods("a", 1, 1, 1), pods("b", 1, 1, 2));
        List<ResourceQuota> quotas = List.of(quota("a"), quota("b"));

        assertThat(ResourceQuotaCheck.freedByDeletions(both, quotas, List.of(leaving("1"))))
                .as("b needs two pods gone").isEmpty();
        assertThat(ResourceQuotaCheck.freedByDeletions(both, quotas, List.of(leaving("1"), leaving("2"))))
                .hasValue(List.of("quota shop/a: pods hard 1, used 1, of which 2 by pods being deleted",
                        "quota shop/b: pods hard 1, used 1, of which 2 by pods being deleted"));
        assertThat(ResourceQuotaCheck.freedByDeletions(both, List.of(quota("a")), List.of(leaving("1"),
                leaving("2")))).as("quota b not among those listed").isEmpty();
    }

    @Test
    void readsEveryExceededResourceOfTheServersMessageAndCountsNoneFitting() {
        // limits.cpu: 1800m + 500m > 2, room 200m < 500m; memory: 900Mi + 256Mi > 1Gi (1024Mi), room 124Mi < 256Mi
        String server = "pods \"web-0-x\" is forbidden: exceeded quota: compute, requested: "
                + "limits.cpu=500m,limits.memory=256Mi, used: limits.cpu=1800m,limits.memory=900Mi, "
                + "limited: limits.cpu=2,limits.memory=1Gi";

        assertThat(ResourceQuotaCheck.exhausted("shop", "web", server, 3, 5)).hasValueSatisfying(m -> assertThat(m)
                .contains("quota shop/compute: limits.cpu hard 2, used 1800m, the 3 new identities need 1500m (500m "
                        + "each): room for 0; quota shop/compute: limits.memory hard 1Gi, used 900Mi, the 3 new "
                        + "identities need 768Mi (256Mi each): room for 0. Only 0 of the 3 new identities fit "
                        + "(replicas: at most 2). Raise the quota (spec.hard), lower replicas, or free pods"));
    }

    @Test
    void namesOneNewIdentityInTheSingularAndOffersNoFewerReplicasWhenNoneFit() {
        String server = "pods \"web-0-x\" is forbidden: exceeded quota: pod-count, requested: pods=1, used: pods=1, "
                + "limited: pods=1";

        assertThat(ResourceQuotaCheck.exhausted("shop", "web", server, 1, 1)).hasValueSatisfying(m -> assertThat(m)
                .contains("the namespace's ResourceQuota has no room for the pods of the new identity")
                .contains("quota shop/pod-count: pods hard 1, used 1, the new identity needs 1: room for 0. The new "
                        + "identity does not fit (replicas: at most 0). Raise the quota (spec.hard), or free pods in "
                        + "namespace shop"));
    }

    @Test
    void givesNothingForAMessageItCannotRead() {
        assertThat(ResourceQuotaCheck.exhausted("shop", "web", "exceeded quota: compute", 1, 1)).isEmpty();
        assertThat(ResourceQuotaCheck.exhausted("shop", "web", "exceeded quota: compute, requested: pods=x, used: pods=1, "
                + "limited: pods=1", 1, 1)).isEmpty();
        assertThat(ResourceQuotaCheck.exhausted("shop", "web", "exceeded quota: compute, requested: cpu=1, used: pods=1, "
                + "limited: pods=1", 1, 1)).as("no request for the limited resource").isEmpty();
        assertThat(ResourceQuotaCheck.exhausted("shop", "web", "exceeded quota: compute, requested: pods=0, used: pods=1, "
                + "limited: pods=1", 1, 1)).as("a zero request").isEmpty();
        assertThat(ResourceQuotaCheck.exhausted("shop", "web", "exceeded quota: compute, requested: pods=1, used: cpu=1, "
                + "limited: pods=1", 1, 1)).as("no usage of the limited resource").isEmpty();
    }
}
