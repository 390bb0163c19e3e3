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

    /**
     * The page iterates {@code it.rows}: every {@code ${r...}} expression of index.jelly, evaluated with the JEXL that
     * Jelly uses, resolves on a row and the upstream column shows the addresses.
     */
    @Test
    void resolvesEveryRowExpressionOfThePageWithJelly() throws Exception {
        String page = new String(DomainRegistryLink.class.getResourceAsStream(
                "/io/jenkins/plugins/kubeplatform/expose/DomainRegistryLink/index.jelly").readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8);
        assertThat(page).contains("items=\"${it.rows}\"");
        DomainRegistryLink.Row row = DomainRegistryLink.rows(List.of(new DomainRegistry.Entry(
                "shop.default.apps.example.test", "default", "shop", "shop", 80, "ingress", "shop", null, "job/shop #4",
                "expose", Instant.parse("2026-12-01T10:00:00Z"), List.of("10.42.0.11:8080")))).get(0);
        org.apache.commons.jexl.JexlContext context = org.apache.commons.jexl.JexlHelper.createContext();
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> vars = context.getVars();
        vars.put("r", row);
        java.util.Map<String, Object> values = new java.util.LinkedHashMap<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\$\\{(r\\.[^}]+)}").matcher(page);
        while (m.find()) {
            values.put(m.group(1), org.apache.commons.jexl.ExpressionFactory.createExpression(m.group(1))
                    .evaluate(context));
        }

        assertThat(values).hasSize(8).doesNotContainValue(null);
        assertThat(values).containsEntry("r.upstreamText", "10.42.0.11:8080")
                .containsEntry("r.owner()", "default/shop").containsEntry("r.service()", "shop:80");
    }
}
