package io.jenkins.plugins.kubeplatform.engine.edgevm;

import static io.jenkins.plugins.kubeplatform.engine.edgevm.EdgeFixtures.record;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kubeplatform.engine.kube.AccessCheck.Permission;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CreatePermissionsTest {

    private final EdgeSettings settings = EdgeFixtures.settings("edge-", "openyurt");
    private final VmRecord vm = record("demo", "web", "paris", "edge-par", 1, 1024, VmState.PROVISIONING);

    private EdgeSettings.EdgeCluster cluster(String name) {
        return settings.edgeCluster(name).orElseThrow();
    }

    private static List<Permission> siteObjects() {
        return List.of(Permission.in("edge-paris", "get", "", "secrets"),
                Permission.in("edge-paris", "create", "", "secrets"),
                Permission.in("edge-paris", "update", "", "secrets"),
                Permission.in("edge-paris", "get", "kubevirt.io", "virtualmachines"),
                Permission.in("edge-paris", "create", "kubevirt.io", "virtualmachines"),
                Permission.in("edge-paris", "get", "kubevirt.io", "virtualmachineinstances"));
    }

    @Test
    void asksForSiteObjectsAndNodeListWhenJoiningAnExistingClusterWithoutWaiting() {
        Map<String, List<Permission>> needed = CreatePermissions.of(new CreateDecision.Fresh(vm, false, List.of()),
                false, settings, this::cluster);

        List<Permission> expected = new java.util.ArrayList<>(siteObjects());
        expected.add(Permission.cluster("list", "", "nodes"));
        assertThat(needed).containsExactly(Map.entry("", expected));
    }

    @Test
    void addsWatchWhenWaitingAndNodeGetAndPatchWhenReusing() {
        Map<String, List<Permission>> needed = CreatePermissions.of(new CreateDecision.Reuse(vm, vm), true, settings,
                this::cluster);

        assertThat(needed.get("")).endsWith(Permission.cluster("list", "", "nodes"),
                Permission.cluster("watch", "", "nodes"), Permission.cluster("get", "", "nodes"),
                Permission.cluster("patch", "", "nodes"));
    }

    @Test
    void asksForTheNodePoolOfANewOpenYurtCluster() {
        Map<String, List<Permission>> needed = CreatePermissions.of(new CreateDecision.Fresh(vm, true, List.of()),
                false, settings, name -> {
                    throw new AssertionError("a new cluster is not looked up: " + name);
                });

        assertThat(needed.get("")).contains(Permission.cluster("create", "apps.openyurt.io", "nodepools"));
        assertThat(CreatePermissions.of(new CreateDecision.Fresh(vm, false, List.of()), false, settings,
                this::cluster).get("")).doesNotContain(Permission.cluster("create", "apps.openyurt.io", "nodepools"));
    }

    @Test
    void splitsTheChecksWhenTheEdgeClusterIsAnotherConnection() {
        VmRecord elsewhere = VmRecord.builder().vm("demo-web").name("web").tenant("demo").site("paris")
                .siteCluster("site-conn").namespace("edge-paris").edgeCluster("edge-par").cpu(1).memoryMi(1024)
                .diskGi(10).image("x").state(VmState.PROVISIONING).start(EdgeFixtures.T0).build();

        Map<String, List<Permission>> needed = CreatePermissions.of(new CreateDecision.Existing(elsewhere), false,
                settings, this::cluster);

        assertThat(needed).containsOnlyKeys("site-conn", "");
        assertThat(needed.get("site-conn")).containsExactlyElementsOf(siteObjects());
        assertThat(needed.get("")).containsExactly(Permission.cluster("list", "", "nodes"));
    }
}
