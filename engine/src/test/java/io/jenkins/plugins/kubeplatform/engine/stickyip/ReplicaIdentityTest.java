package io.jenkins.plugins.kubeplatform.engine.stickyip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SIP-1: an identity is namespace/name-ordinal; scale-down (SIP-7) reads the ordinal back from ledger keys. */
class ReplicaIdentityTest {

    @Test
    void parsesTheLastDashAsTheOrdinalSeparator() {
        assertThat(ReplicaIdentity.parse("shop/web-0")).contains(new ReplicaIdentity("shop", "web", 0));
        assertThat(ReplicaIdentity.parse("shop/my-app-12")).contains(new ReplicaIdentity("shop", "my-app", 12));
        assertThat(ReplicaIdentity.parse("s/a-3")).contains(new ReplicaIdentity("s", "a", 3));
    }

    @Test
    void readsNoIdentityFromAdoptedOrMalformedKeys() {
        for (String key : List.of("adopted:shop/web-0", "/web-0", "web-0", "shop/-0", "shop/web-", "shop/web-x",
                "shop/web", "shop/web-99999999999")) {
            assertThat(ReplicaIdentity.parse(key)).as(key).isEmpty();
        }
    }

    @Test
    void keysTheLedgerAndNamesTheWorkloadByNameAndOrdinal() {
        ReplicaIdentity id = new ReplicaIdentity("shop", "web", 7);

        assertThat(id.key()).isEqualTo("shop/web-7");
        assertThat(id.workloadName()).isEqualTo("web-7");
        assertThat(id).hasToString("shop/web-7");
        assertThat(ReplicaIdentity.adoptedKey("shop", "legacy-abc")).isEqualTo("adopted:shop/legacy-abc");
    }

    @Test
    void sortsByNamespaceThenNameThenOrdinalAsANumber() {
        List<ReplicaIdentity> ids = new ArrayList<>(List.of(new ReplicaIdentity("shop", "web", 10),
                new ReplicaIdentity("shop", "web", 2), new ReplicaIdentity("shop", "api", 5),
                new ReplicaIdentity("a", "web", 1), new ReplicaIdentity("shop", "web", 2)));
        ids.sort(null);

        assertThat(ids).containsExactly(new ReplicaIdentity("a", "web", 1), new ReplicaIdentity("shop", "api", 5),
                new ReplicaIdentity("shop", "web", 2), new ReplicaIdentity("shop", "web", 2),
                new ReplicaIdentity("shop", "web", 10));
    }
}
