package io.jenkins.plugins.kubeplatform.expose;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kubeplatform.engine.expose.DomainRegistry;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DomainRegistryLinkTest {

    @Test
    void showsHostOwnerAndUpstreamAddressesPerRow() {
        List<DomainRegistryLink.Row> rows = DomainRegistryLink.rows(List.of(
                new DomainRegistry.Entry("shop.default.apps.example.test", "default", "shop", "shop", 80, "ingress",
                        "shop", null, "job/shop #4", "expose", Instant.parse("2026-12-01T10:00:00Z"),
                        List.of("10.42.0.11:8080", "10.42.0.12:8080")),
                new DomainRegistry.Entry("direct.default.apps.example.test", "default", "direct", "", 0, "none", "",
                        "127.0.0.1:9000", "cli", "expose", Instant.parse("2026-12-01T10:00:00Z"))));

        assertThat(rows).extracting(DomainRegistryLink.Row::host, DomainRegistryLink.Row::owner,
                DomainRegistryLink.Row::getUpstreamText).containsExactly(
                org.assertj.core.groups.Tuple.tuple("shop.default.apps.example.test", "default/shop",
                        "10.42.0.11:8080, 10.42.0.12:8080"),
                org.assertj.core.groups.Tuple.tuple("direct.default.apps.example.test", "default/direct",
                        "127.0.0.1:9000"));
    }
}
