package io.jenkins.plugins.kubeplatform.sim.quota;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Canonical quantity text as apimachinery's {@code Quantity.String()} prints it: parsed texts and their canonical
 * form from k8s.io/apimachinery pkg/api/resource quantity_test.go ({@code TestQuantityString}'s alternates,
 * {@code TestQuantityParseEmit}); sums worked out by {@code Quantity.Add}'s rule (the receiver's format unless it is
 * zero) and {@code CanonicalizeBytes}.
 */
class KubeQuantityTest {

    @ParameterizedTest
    @CsvSource({
        "1024Mi, 1Gi",
        "307200Ki, 300Mi",
        "1025024Mi, 1001Gi",
        "1024Gi, 1Ti",
        "5000m, 5",
        "0.5, 500m",
        "1000M, 1G",
        "0.001T, 1G",
        "1000u, 1m",
        "1.08, 1080m",
        "1080000000n, 1080m",
        ".001e12, 1e9",
        "0.001e0, 1e-3",
        "1000e-12, 1e-9",
        "00, 0",
        "1Ki, 1Ki",
        ".001Ki, 1024m",
        ".000000000001Ki, 2n",
    })
    void printsTheCanonicalFormOfAParsedQuantity(String text, String canonical) {
        assertThat(KubeQuantity.parse(text).orElseThrow()).hasToString(canonical);
    }

    @ParameterizedTest
    @CsvSource({
        "0, 600m, 600m",
        "600m, 600m, 1200m",
        "1, 1, 2",
        "768Mi, 768Mi, 1536Mi",
        "0, 1Gi, 1Gi",
        "1Gi, 500M, 1573741824",
    })
    void addsKeepingTheFormatOfTheFirstNonZeroOperand(String a, String b, String sum) {
        assertThat(KubeQuantity.parse(a).orElseThrow().add(KubeQuantity.parse(b).orElseThrow())).hasToString(sum);
    }
}
