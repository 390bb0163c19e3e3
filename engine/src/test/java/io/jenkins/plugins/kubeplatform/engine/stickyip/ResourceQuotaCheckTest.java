package io.jenkins.plugins.kubeplatform.engine.stickyip;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The failure for an exhausted quota, read from the quota admission's message; figures worked out by hand. */
class ResourceQuotaCheckTest {

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
