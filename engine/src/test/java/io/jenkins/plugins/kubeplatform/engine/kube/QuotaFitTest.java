package io.jenkins.plugins.kubeplatform.engine.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The fit arithmetic: every expected figure below is worked out by hand from the quota and the pod. */
class QuotaFitTest {

    private static ResourceQuota quota(String name, Map<String, String> hard, Map<String, String> used) {
        ResourceQuotaBuilder b = new ResourceQuotaBuilder().withNewMetadata().withNamespace("shop").withName(name)
                .endMetadata().withNewSpec().endSpec().withNewStatus().endStatus();
        hard.forEach((k, v) -> b.editSpec().addToHard(k, new Quantity(v)).endSpec()
                .editStatus().addToHard(k, new Quantity(v)).endStatus());
        used.forEach((k, v) -> b.editStatus().addToUsed(k, new Quantity(v)).endStatus());
        return b.build();
    }

    /** One container requesting {@code cpu}/{@code memory} and limiting them to twice as much (null: not set). */
    private static Pod pod(String cpu, String memory, String cpuLimit, String memoryLimit) {
        PodBuilder b = new PodBuilder().withNewMetadata().withName("web-0-x").endMetadata().withNewSpec()
                .addNewContainer().withName("web").withImage("web:1").withNewResources().endResources().endContainer()
                .endSpec();
        Pod pod = b.build();
        var res = pod.getSpec().getContainers().get(0).getResources();
        res.setRequests(new java.util.TreeMap<>());
        res.setLimits(new java.util.TreeMap<>());
        if (cpu != null) {
            res.getRequests().put("cpu", new Quantity(cpu));
        }
        if (memory != null) {
            res.getRequests().put("memory", new Quantity(memory));
        }
        if (cpuLimit != null) {
            res.getLimits().put("cpu", new Quantity(cpuLimit));
        }
        if (memoryLimit != null) {
            res.getLimits().put("memory", new Quantity(memoryLimit));
        }
        return pod;
    }

    private static List<Pod> copies(int n, Pod pod) {
        return Collections.nCopies(n, pod);
    }

    @Test
    void findsNoShortfallWhenFourPodsFillAPodQuotaExactly() {
        // hard 5 - used 1 = 4 = 4 x 1
        assertThat(QuotaFit.shortfalls(List.of(quota("pods", Map.of("pods", "5"), Map.of("pods", "1"))),
                copies(4, pod(null, null, null, null)))).isEmpty();
    }

    @Test
    void reportsHardUsedAndNeededAndThreeFittingWhenFourPodsMeetRoomForThree() {
        List<QuotaFit.Shortfall> out = QuotaFit.shortfalls(List.of(quota("pods", Map.of("pods", "5"),
                Map.of("pods", "2"))), copies(4, pod(null, null, null, null)));

        assertThat(out).singleElement().satisfies(s -> {
            assertThat(s.quota()).isEqualTo("shop/pods");
            assertThat(s.resource()).isEqualTo("pods");
            assertThat(s.hard()).isEqualByComparingTo("5");
            assertThat(s.used()).isEqualByComparingTo("2");
            assertThat(s.needed()).isEqualByComparingTo("4");
            // room 5 - 2 = 3, one pod each: 3
            assertThat(s.fitting(BigDecimal.ONE)).isEqualTo(3);
        });
    }

    @Test
    void countsMilliCpuExactlySoThreeTimes333mFitInOneCpuAndFourDoNot() {
        ResourceQuota cpu = quota("cpu", Map.of("requests.cpu", "1"), Map.of("requests.cpu", "0"));
        // 3 x 0.333 = 0.999 <= 1; 4 x 0.333 = 1.332 > 1 (a double would not be trusted here)
        assertThat(QuotaFit.shortfalls(List.of(cpu), copies(3, pod("333m", null, null, null)))).isEmpty();
        assertThat(QuotaFit.shortfalls(List.of(cpu), copies(4, pod("333m", null, null, null)))).singleElement()
                .satisfies(s -> {
                    assertThat(s.needed()).isEqualByComparingTo("1.332");
                    assertThat(s.fitting(new BigDecimal("0.333"))).isEqualTo(3);
                });
    }

    @Test
    void measuresMemoryInBytesAcrossBinaryAndDecimalSuffixes() {
        // hard 1Gi = 1073741824, used 512Mi = 536870912: room 536870912. A pod of 200M = 200000000: 2 fit
        // (400000000), 3 do not (600000000)
        ResourceQuota memory = quota("mem", Map.of("requests.memory", "1Gi"), Map.of("requests.memory", "512Mi"));
        List<QuotaFit.Shortfall> out = QuotaFit.shortfalls(List.of(memory), copies(3, pod(null, "200M", null, null)));

        assertThat(out).singleElement().satisfies(s -> {
            assertThat(s.hard()).isEqualByComparingTo("1073741824");
            assertThat(s.used()).isEqualByComparingTo("536870912");
            assertThat(s.needed()).isEqualByComparingTo("600000000");
            assertThat(s.fitting(new BigDecimal("200000000"))).isEqualTo(2);
        });
    }

    @Test
    void reportsEveryShortResourceOfEveryQuotaInNameOrderAndSkipsTheOnesWithRoom() {
        ResourceQuota b = quota("b-compute", Map.of("limits.cpu", "2", "requests.cpu", "4", "limits.memory", "1Gi"),
                Map.of("limits.cpu", "1", "requests.cpu", "0", "limits.memory", "0"));
        ResourceQuota a = quota("a-pods", Map.of("count/pods", "10", "pods", "3"),
                Map.of("count/pods", "0", "pods", "0"));
        // 4 pods: limits.cpu 4 x 500m = 2 > 2 - 1; requests.cpu 4 x 250m = 1 <= 4; limits.memory 4 x 128Mi = 512Mi
        // <= 1Gi; pods 4 > 3; count/pods 4 <= 10
        List<QuotaFit.Shortfall> out = QuotaFit.shortfalls(List.of(b, a), copies(4, pod("250m", null, "500m",
                "128Mi")));

        assertThat(out).extracting(s -> s.quota() + " " + s.resource())
                .containsExactly("shop/a-pods pods", "shop/b-compute limits.cpu");
        assertThat(out.get(1).fitting(new BigDecimal("0.5"))).as("room 1 cpu, 500m each").isEqualTo(2);
    }

    @Test
    void fitsNoPodWhenTheQuotaWasLoweredBelowItsUsage() {
        List<QuotaFit.Shortfall> out = QuotaFit.shortfalls(List.of(quota("pods", Map.of("pods", "2"),
                Map.of("pods", "5"))), copies(1, pod(null, null, null, null)));

        assertThat(out).singleElement().satisfies(s -> {
            assertThat(s.room()).isEqualByComparingTo("-3");
            assertThat(s.fitting(BigDecimal.ONE)).isZero();
        });
    }

    @Test
    void ignoresAResourceThePodDoesNotUseAndAQuotaTheControllerHasNotFilledIn() {
        ResourceQuota limitsOnly = quota("limits", Map.of("limits.memory", "1Mi"), Map.of("limits.memory", "1Mi"));
        ResourceQuota fresh = new ResourceQuotaBuilder().withNewMetadata().withNamespace("shop").withName("fresh")
                .endMetadata().withNewSpec().addToHard("pods", new Quantity("0")).endSpec().build();

        assertThat(QuotaFit.shortfalls(List.of(limitsOnly, fresh), copies(3, pod("1", "1Gi", null, null)))).isEmpty();
    }

    @Test
    void countsOnlyThePodsAQuotasScopesMatch() {
        ResourceQuota bestEffort = quota("be", Map.of("pods", "1"), Map.of("pods", "0"));
        bestEffort.getSpec().setScopes(List.of("BestEffort"));
        Pod guaranteed = pod("100m", "64Mi", "100m", "64Mi");
        Pod plain = pod(null, null, null, null);

        assertThat(QuotaFit.shortfalls(List.of(bestEffort), copies(3, guaranteed))).isEmpty();
        // two best-effort pods of the three: 2 > 1
        assertThat(QuotaFit.shortfalls(List.of(bestEffort), List.of(plain, guaranteed, plain))).singleElement()
                .satisfies(s -> assertThat(s.needed()).isEqualByComparingTo("2"));
    }

    @Test
    void skipsAQuotaWithoutHardLimitsInItsStatusAndAResourceWithoutAUsage() {
        ResourceQuota noHard = new ResourceQuotaBuilder().withNewMetadata().withNamespace("shop").withName("no-hard")
                .endMetadata().withNewSpec().addToHard("pods", new Quantity("0")).endSpec().withNewStatus()
                .endStatus().build();
        // the admission refuses every pod while a limited resource has no usage ("status unknown for quota")
        ResourceQuota noUsed = quota("no-used", Map.of("pods", "0"), Map.of());

        assertThat(QuotaFit.shortfalls(List.of(noHard, noUsed), copies(1, pod(null, null, null, null)))).isEmpty();
    }

    @Test
    void ignoresAResourceThePodsUseNoneOfEvenWhenTheQuotaIsAlreadyOverIt() {
        // requests.cpu "0": a usage of zero, which the admission removes before comparing (quota lowered to 1 < 2)
        ResourceQuota lowered = quota("cpu", Map.of("requests.cpu", "1"), Map.of("requests.cpu", "2"));

        assertThat(QuotaFit.shortfalls(List.of(lowered), copies(2, pod("0", null, null, null)))).isEmpty();
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
            "pods, 4, 4",
            "requests.cpu, 1.2, 1200m",
            "requests.cpu, 3, 3",
            "requests.cpu, 0.0005, 0.0005",
            "requests.memory, 536870912, 512Mi",
            "requests.memory, 1073741824, 1Gi",
            "requests.memory, 600000000, 600M",
            "requests.memory, 1000, 1k",
            "requests.memory, 1500, 1500",
            "requests.ephemeral-storage, 2147483648, 2Gi",
            "pods, 0, 0",
            "requests.memory, 0, 0",
            "requests.cpu, 0.3, 300m",
            "requests.cpu, 0.005, 5m",
            "pods, 2048, 2048",
            "limits.memory, 1048576, 1Mi",
            "requests.hugepages-2Mi, 4194304, 4Mi",
            "limits.ephemeral-storage, 3000000, 3M",
    })
    void formatsAmountsAsKubernetesQuantities(String resource, String amount, String expected) {
        assertThat(QuotaFit.format(resource, new BigDecimal(amount))).isEqualTo(expected);
    }
}
