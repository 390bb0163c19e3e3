package io.jenkins.plugins.kubeplatform.engine.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.ScopedResourceSelectorRequirement;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a pod counts against a quota and which quota scopes match it, checked against hand-worked figures. */
class PodQuotaUsageTest {

    private static Container container(String name, String cpu, String cpuLimit) {
        ContainerBuilder b = new ContainerBuilder().withName(name).withImage("img").withNewResources().endResources();
        Container c = b.build();
        c.getResources().setRequests(new TreeMap<>());
        c.getResources().setLimits(new TreeMap<>());
        if (cpu != null) {
            c.getResources().getRequests().put("cpu", new Quantity(cpu));
        }
        if (cpuLimit != null) {
            c.getResources().getLimits().put("cpu", new Quantity(cpuLimit));
        }
        return c;
    }

    private static Map<String, String> plain(Map<String, BigDecimal> usage) {
        Map<String, String> out = new TreeMap<>();
        usage.forEach((k, v) -> out.put(k, v.stripTrailingZeros().toPlainString()));
        return out;
    }

    @Test
    void countsAPlainPodAsOnePodAndNothingElse() {
        Pod pod = new PodBuilder().withNewSpec().addToContainers(container("web", null, null),
                new ContainerBuilder().withName("bare").withImage("img").build()).endSpec().build();

        assertThat(plain(PodQuotaUsage.of(pod))).isEqualTo(Map.of("pods", "1", "count/pods", "1"));
    }

    @Test
    void chargesRequestsUnderBothNamesAndLimitsUnderTheirsSummedOverContainers() {
        Pod pod = new PodBuilder().withNewSpec().addToContainers(container("a", "100m", "200m"),
                container("b", "250m", null)).endSpec().build();

        // requests 100m + 250m = 350m as cpu and requests.cpu; only a limits cpu: 200m
        assertThat(plain(PodQuotaUsage.of(pod))).isEqualTo(Map.of("pods", "1", "count/pods", "1", "cpu", "0.35",
                "requests.cpu", "0.35", "limits.cpu", "0.2"));
    }

    @Test
    void takesTheLargerOfTheContainersAndEachInitContainerWithTheSidecarsStartedBeforeIt() {
        Container sidecar = container("proxy", "100m", null);
        sidecar.setRestartPolicy("Always");
        Pod pod = new PodBuilder().withNewSpec()
                .addToInitContainers(container("migrate", "700m", null), sidecar, container("warm", "500m", null))
                .addToContainers(container("web", "300m", null)).endSpec().build();

        // containers 300m + sidecar 100m = 400m; init: migrate 700m alone, warm 500m + sidecar 100m = 600m; max 700m
        assertThat(plain(PodQuotaUsage.of(pod))).containsEntry("requests.cpu", "0.7");
    }

    @Test
    void countsASidecarForTheWholeLifeOfThePodAndBesideEveryLaterInitContainer() {
        Container sidecar = container("proxy", "300m", null);
        sidecar.setRestartPolicy("Always");
        Pod pod = new PodBuilder().withNewSpec()
                .addToInitContainers(sidecar, container("migrate", "600m", null))
                .addToContainers(container("web", "500m", null)).endSpec().build();

        // containers 500m + sidecar 300m = 800m; migrate runs beside the sidecar: 600m + 300m = 900m; max 900m
        assertThat(plain(PodQuotaUsage.of(pod))).containsEntry("requests.cpu", "0.9");
    }

    @Test
    void countsASidecarBesideTheContainersWhenTheLaterInitContainersNeedLess() {
        Container sidecar = container("proxy", "300m", null);
        sidecar.setRestartPolicy("Always");
        Pod pod = new PodBuilder().withNewSpec()
                .addToInitContainers(sidecar, container("migrate", "100m", null))
                .addToContainers(container("web", "500m", null)).endSpec().build();

        // containers 500m + sidecar 300m = 800m; migrate 100m + 300m = 400m; max 800m
        assertThat(plain(PodQuotaUsage.of(pod))).containsEntry("requests.cpu", "0.8");
    }

    @Test
    void addsTheOverheadToRequestsAndOnlyToLimitsThatAreSet() {
        Pod pod = new PodBuilder().withNewSpec().addToContainers(container("web", "100m", "100m"))
                .withOverhead(Map.of("cpu", new Quantity("50m"), "memory", new Quantity("10Mi"))).endSpec().build();

        Map<String, String> usage = plain(PodQuotaUsage.of(pod));
        assertThat(usage).containsEntry("requests.cpu", "0.15").containsEntry("limits.cpu", "0.15")
                .containsEntry("requests.memory", "10485760").doesNotContainKey("limits.memory");
    }

    @Test
    void leavesAZeroLimitWithoutTheOverhead() {
        Pod pod = new PodBuilder().withNewSpec().addToContainers(container("web", "100m", "0"))
                .withOverhead(Map.of("cpu", new Quantity("50m"))).endSpec().build();

        assertThat(plain(PodQuotaUsage.of(pod))).containsEntry("requests.cpu", "0.15").containsEntry("limits.cpu", "0");
    }

    @Test
    void chargesHugepagesUnderBothNamesAndExtendedResourcesAsRequestsOnly() {
        Container c = container("web", null, null);
        c.getResources().getRequests().put("hugepages-2Mi", new Quantity("4Mi"));
        c.getResources().getRequests().put("example.com/gpu", new Quantity("1"));
        Pod pod = new PodBuilder().withNewSpec().addToContainers(c).endSpec().build();

        assertThat(plain(PodQuotaUsage.of(pod))).containsEntry("hugepages-2Mi", "4194304")
                .containsEntry("requests.hugepages-2Mi", "4194304").containsEntry("requests.example.com/gpu", "1")
                .doesNotContainKey("example.com/gpu");
    }

    private static ResourceQuota scoped(List<String> scopes, List<ScopedResourceSelectorRequirement> selector) {
        ResourceQuotaBuilder b = new ResourceQuotaBuilder().withNewMetadata().withName("q").endMetadata()
                .withNewSpec().withScopes(scopes).addToHard("pods", new Quantity("1")).endSpec();
        if (!selector.isEmpty()) {
            b.editSpec().withNewScopeSelector().withMatchExpressions(selector).endScopeSelector().endSpec();
        }
        return b.build();
    }

    private static Pod withPriorityClass(String name) {
        return new PodBuilder().withNewSpec().withPriorityClassName(name).addToContainers(container("web", null, null))
                .endSpec().build();
    }

    @ParameterizedTest(name = "{0} {1} on a pod of class \"{2}\": {3}")
    @CsvSource({
            "In, high, high, true",
            "In, high, low, false",
            "In, high, '', false",
            "NotIn, high, low, true",
            "NotIn, high, high, false",
            "NotIn, high, '', true",
            "Exists, '', low, true",
            "Exists, '', '', false",
            "DoesNotExist, '', '', true",
            "DoesNotExist, '', low, false",
    })
    void matchesAPriorityClassSelectorAsALabelSelectorOnThePodsClass(String operator, String values, String pod,
                                                                    boolean expected) {
        ResourceQuota quota = scoped(List.of(), List.of(new ScopedResourceSelectorRequirement(operator,
                "PriorityClass", values.isEmpty() ? List.of() : List.of(values.split(" ")))));

        assertThat(PodQuotaUsage.inScope(quota, withPriorityClass(pod.isEmpty() ? null : pod))).isEqualTo(expected);
    }

    @Test
    void matchesTerminatingOnlyForAPodWithAnActiveDeadline() {
        Pod deadline = new PodBuilder().withNewSpec().withActiveDeadlineSeconds(0L)
                .addToContainers(container("job", null, null)).endSpec().build();
        Pod service = new PodBuilder().withNewSpec().addToContainers(container("web", null, null)).endSpec().build();

        assertThat(PodQuotaUsage.inScope(scoped(List.of("Terminating"), List.of()), deadline)).isTrue();
        assertThat(PodQuotaUsage.inScope(scoped(List.of("Terminating"), List.of()), service)).isFalse();
        assertThat(PodQuotaUsage.inScope(scoped(List.of("NotTerminating"), List.of()), service)).isTrue();
    }

    @Test
    void takesBestEffortFromTheServersQosClassWhenThePodCarriesOne() {
        Pod recorded = new PodBuilder().withNewSpec().addToContainers(container("web", null, null)).endSpec()
                .withNewStatus().withQosClass("Burstable").endStatus().build();
        Pod computed = new PodBuilder().withNewSpec().addToContainers(container("web", null, null)).endSpec().build();
        Pod zeroRequest = new PodBuilder().withNewSpec().addToContainers(container("web", "0", null)).endSpec().build();

        Pod recordedBestEffort = new PodBuilder().withNewSpec().addToContainers(container("web", "100m", null))
                .endSpec().withNewStatus().withQosClass("BestEffort").endStatus().build();

        assertThat(PodQuotaUsage.inScope(scoped(List.of("BestEffort"), List.of()), recorded)).isFalse();
        assertThat(PodQuotaUsage.inScope(scoped(List.of("BestEffort"), List.of()), recordedBestEffort))
                .as("the recorded class wins over the spec").isTrue();
        assertThat(PodQuotaUsage.inScope(scoped(List.of("BestEffort"), List.of()), computed)).isTrue();
        assertThat(PodQuotaUsage.inScope(scoped(List.of("BestEffort"), List.of()), zeroRequest))
                .as("a zero request is no request").isTrue();
        assertThat(PodQuotaUsage.inScope(scoped(List.of("NotBestEffort", "NotTerminating"), List.of()), computed))
                .as("every scope must match").isFalse();
    }

    @Test
    void matchesCrossNamespacePodAffinityOnlyForATermNamingOrSelectingNamespaces() {
        Pod sameNamespace = new PodBuilder().withNewSpec().addToContainers(container("web", null, null))
                .withNewAffinity().withNewPodAntiAffinity().addNewRequiredDuringSchedulingIgnoredDuringExecution()
                .withTopologyKey("kubernetes.io/hostname").endRequiredDuringSchedulingIgnoredDuringExecution()
                .endPodAntiAffinity().endAffinity().endSpec().build();
        Pod otherNamespace = new PodBuilder(sameNamespace).editSpec().editAffinity().editPodAntiAffinity()
                .editFirstRequiredDuringSchedulingIgnoredDuringExecution().withNamespaces("db")
                .endRequiredDuringSchedulingIgnoredDuringExecution().endPodAntiAffinity().endAffinity().endSpec()
                .build();

        Pod preferredAffinityElsewhere = new PodBuilder().withNewSpec().addToContainers(container("web", null, null))
                .withNewAffinity().withNewPodAffinity().addNewPreferredDuringSchedulingIgnoredDuringExecution()
                .withWeight(1).withNewPodAffinityTerm().withTopologyKey("kubernetes.io/hostname")
                .withNewNamespaceSelector().endNamespaceSelector().endPodAffinityTerm()
                .endPreferredDuringSchedulingIgnoredDuringExecution().endPodAffinity().endAffinity().endSpec().build();
        Pod preferredAffinityHere = new PodBuilder(preferredAffinityElsewhere).editSpec().editAffinity()
                .editPodAffinity().editFirstPreferredDuringSchedulingIgnoredDuringExecution().editPodAffinityTerm()
                .withNamespaceSelector(null).endPodAffinityTerm().endPreferredDuringSchedulingIgnoredDuringExecution()
                .endPodAffinity().endAffinity().endSpec().build();

        ResourceQuota quota = scoped(List.of("CrossNamespacePodAffinity"), List.of());
        assertThat(PodQuotaUsage.inScope(quota, sameNamespace)).isFalse();
        assertThat(PodQuotaUsage.inScope(quota, otherNamespace)).isTrue();
        assertThat(PodQuotaUsage.inScope(quota, preferredAffinityElsewhere)).as("an empty selector: every namespace")
                .isTrue();
        assertThat(PodQuotaUsage.inScope(quota, preferredAffinityHere)).isFalse();
        Pod requiredAffinityElsewhere = new PodBuilder().withNewSpec().addToContainers(container("web", null, null))
                .withNewAffinity().withNewPodAffinity().addNewRequiredDuringSchedulingIgnoredDuringExecution()
                .withTopologyKey("kubernetes.io/hostname").withNamespaces("db")
                .endRequiredDuringSchedulingIgnoredDuringExecution().endPodAffinity().endAffinity().endSpec().build();
        Pod preferredAntiAffinityElsewhere = new PodBuilder().withNewSpec()
                .addToContainers(container("web", null, null)).withNewAffinity().withNewPodAntiAffinity()
                .addNewPreferredDuringSchedulingIgnoredDuringExecution().withWeight(1).withNewPodAffinityTerm()
                .withTopologyKey("kubernetes.io/hostname").withNamespaces("db").endPodAffinityTerm()
                .endPreferredDuringSchedulingIgnoredDuringExecution().endPodAntiAffinity().endAffinity().endSpec()
                .build();
        assertThat(PodQuotaUsage.inScope(quota, requiredAffinityElsewhere)).isTrue();
        assertThat(PodQuotaUsage.inScope(quota, preferredAntiAffinityElsewhere)).isTrue();
    }
}
