package io.jenkins.plugins.kubeplatform.sim.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Pod Security Standards checks and the namespace policy of k8s.io/pod-security-admission v1.32. Expected details
 * are the upstream unit tests' ({@code policy/check_restrictedVolumes_test.go}, {@code check_seLinuxOptions_test.go},
 * {@code check_appArmorProfile_test.go}) or composed by hand from the check's format string named in each test.
 */
class PodSecurityChecksTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNode NO_META = JSON.createObjectNode();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text.replace('\'', '"'));
    }

    private static List<String> restricted(int minor, String spec) throws Exception {
        return PodSecurityChecks.evaluate(true, minor, NO_META, json(spec)).stream().map(Object::toString).toList();
    }

    private static List<String> baseline(int minor, String spec) throws Exception {
        return PodSecurityChecks.evaluate(false, minor, NO_META, json(spec)).stream().map(Object::toString).toList();
    }

    @Test
    void restrictedVolumesNamesEveryTypeAndReplacesTheHostPathCheck() throws Exception {
        StringBuilder volumes = new StringBuilder("{'name':'a1','emptyDir':{}},{'name':'a2','secret':{}},"
                + "{'name':'a3','persistentVolumeClaim':{}},{'name':'a4','downwardAPI':{}},{'name':'a5','configMap':{}},"
                + "{'name':'a6','projected':{}},{'name':'a7','csi':{}},{'name':'a8','ephemeral':{}}");
        List<String> restrictedTypes = List.of("hostPath", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo",
                "nfs", "iscsi", "glusterfs", "rbd", "flexVolume", "cinder", "cephfs", "flocker", "fc", "azureFile",
                "vsphereVolume", "quobyte", "azureDisk", "photonPersistentDisk", "portworxVolume", "scaleIO",
                "storageos");
        for (int i = 0; i < restrictedTypes.size(); i++) {
            volumes.append(",{'name':'b").append(i + 1).append("','").append(restrictedTypes.get(i)).append("':{}}");
        }
        volumes.append(",{'name':'c1'}");
        assertThat(restricted(32, "{'volumes':[" + volumes + "]}")).containsExactly("restricted volume types "
                + "(volumes \"b1\", \"b2\", \"b3\", \"b4\", \"b5\", \"b6\", \"b7\", \"b8\", \"b9\", \"b10\", \"b11\", "
                + "\"b12\", \"b13\", \"b14\", \"b15\", \"b16\", \"b17\", \"b18\", \"b19\", \"b20\", \"b21\", \"c1\" use "
                + "restricted volume types \"awsElasticBlockStore\", \"azureDisk\", \"azureFile\", \"cephfs\", "
                + "\"cinder\", \"fc\", \"flexVolume\", \"flocker\", \"gcePersistentDisk\", \"gitRepo\", \"glusterfs\", "
                + "\"hostPath\", \"iscsi\", \"nfs\", \"photonPersistentDisk\", \"portworxVolume\", \"quobyte\", "
                + "\"rbd\", \"scaleIO\", \"storageos\", \"unknown\", \"vsphereVolume\")");
        assertThat(baseline(32, "{'volumes':[{'name':'logs','hostPath':{'path':'/var/log'}}]}"))
                .containsExactly("hostPath volumes (volume \"logs\")");
    }

    @Test
    void seLinuxOptionsListsSettersTypesUserAndRole() throws Exception {
        String containers = "'containers':[{'name':'a','securityContext':{'seLinuxOptions':{'type':'container_t'}}},"
                + "{'name':'d','securityContext':{'seLinuxOptions':{'type':'container_engine_t'}}},"
                + "{'name':'e','securityContext':{'seLinuxOptions':{'type':'bar'}}},"
                + "{'name':'f','securityContext':{'seLinuxOptions':{'user':'bar'}}},"
                + "{'name':'g','securityContext':{'seLinuxOptions':{'role':'baz'}}}]";
        assertThat(baseline(32, "{'securityContext':{'seLinuxOptions':{'type':'foo','user':'bar','role':'baz'}},"
                + containers + "}")).containsExactly("seLinuxOptions (pod and containers \"e\", \"f\", \"g\" set "
                + "forbidden securityContext.seLinuxOptions: types \"bar\", \"foo\"; user may not be set; role may not "
                + "be set)");
        assertThat(baseline(32, "{'securityContext':{'seLinuxOptions':{'user':'bad'}}}"))
                .containsExactly("seLinuxOptions (pod set forbidden securityContext.seLinuxOptions: user may not be "
                        + "set)");
        assertThat(baseline(30, "{'containers':[{'name':'d','securityContext':{'seLinuxOptions':"
                + "{'type':'container_engine_t'}}}]}")).containsExactly("seLinuxOptions (container \"d\" set forbidden "
                + "securityContext.seLinuxOptions: type \"container_engine_t\")");
    }

    @Test
    void appArmorRefusesAnUnconfinedPodOrContainer() throws Exception {
        assertThat(baseline(32, "{'securityContext':{'appArmorProfile':{'type':'Unconfined'}}}"))
                .containsExactly("forbidden AppArmor profile (pod must not set AppArmor profile type to "
                        + "\"Unconfined\")");
        assertThat(baseline(32, "{'securityContext':{'appArmorProfile':{'type':'RuntimeDefault'}},'initContainers':"
                + "[{'name':'bar','securityContext':{'appArmorProfile':{'type':'Unconfined'}}}]}"))
                .containsExactly("forbidden AppArmor profile (container \"bar\" must not set AppArmor profile type to "
                        + "\"Unconfined\")");
    }

    /** check_seccompProfile_baseline.go and _restricted.go: "%s must not set securityContext.seccompProfile.type to %s". */
    @Test
    void seccompUnconfinedIsRefusedAtBothLevelsAndAnUnsetProfileOnlyByRestricted() throws Exception {
        String spec = "{'securityContext':{'seccompProfile':{'type':'Unconfined'}},'containers':[{'name':'a',"
                + "'securityContext':{'allowPrivilegeEscalation':false,'runAsNonRoot':true,'capabilities':"
                + "{'drop':['ALL']}}}]}";
        assertThat(baseline(32, spec)).containsExactly("seccompProfile (pod must not set "
                + "securityContext.seccompProfile.type to \"Unconfined\")");
        assertThat(restricted(32, spec)).containsExactly("seccompProfile (pod must not set "
                + "securityContext.seccompProfile.type to \"Unconfined\")");
    }

    /** The v1.25 versions of allowPrivilegeEscalation, capabilities_restricted and seccompProfile_restricted. */
    @Test
    void aWindowsPodIsExemptFromThreeRestrictedChecksFromPolicyVersion125() throws Exception {
        String windows = "{'os':{'name':'windows'},'containers':[{'name':'win'}]}";
        assertThat(restricted(32, windows)).containsExactly("runAsNonRoot != true (pod or container \"win\" must set "
                + "securityContext.runAsNonRoot=true)");
        assertThat(restricted(24, windows)).hasSize(4);
    }

    /** registry.go populate: an overridden baseline check stays in a restricted policy older than its override. */
    @Test
    void olderRestrictedPolicyVersionsKeepTheBaselineChecksNotYetOverridden() throws Exception {
        String spec = "{'containers':[{'name':'a','securityContext':{'allowPrivilegeEscalation':false,"
                + "'runAsNonRoot':true,'capabilities':{'add':['SYS_ADMIN']}}}]}";
        String seccomp = "seccompProfile (pod or container \"a\" must set securityContext.seccompProfile.type to "
                + "\"RuntimeDefault\" or \"Localhost\")";
        assertThat(restricted(21, spec)).containsExactly("non-default capabilities (container \"a\" must not include "
                + "\"SYS_ADMIN\" in securityContext.capabilities.add)", seccomp);
        assertThat(restricted(32, spec)).containsExactly("unrestricted capabilities (container \"a\" must set "
                + "securityContext.capabilities.drop=[\"ALL\"]; container \"a\" must not include \"SYS_ADMIN\" in "
                + "securityContext.capabilities.add)", seccomp);
    }

    /** check_sysctls.go: net.ipv4.ip_local_reserved_ports is safe from policy v1.27. */
    @Test
    void sysctlsFollowThePolicyVersion() throws Exception {
        String spec = "{'securityContext':{'sysctls':[{'name':'net.ipv4.ip_local_reserved_ports','value':'8080'},"
                + "{'name':'kernel.msgmax','value':'1'}]}}";
        assertThat(baseline(26, spec)).containsExactly("forbidden sysctls (net.ipv4.ip_local_reserved_ports, "
                + "kernel.msgmax)");
        assertThat(baseline(32, spec)).containsExactly("forbidden sysctls (kernel.msgmax)");
    }

    /** check_runAsUser.go, check_windowsHostProcess.go, check_procMount.go format strings. */
    @Test
    void settersArePodAndThenContainersJoinedWithAnd() throws Exception {
        assertThat(restricted(32, "{'securityContext':{'runAsUser':0,'runAsNonRoot':true,'seccompProfile':"
                + "{'type':'RuntimeDefault'}},'containers':[{'name':'a','securityContext':{'runAsUser':0,"
                + "'allowPrivilegeEscalation':false,'capabilities':{'drop':['ALL']}}}]}"))
                .containsExactly("runAsUser=0 (pod and container \"a\" must not set runAsUser=0)");
        assertThat(baseline(32, "{'securityContext':{'windowsOptions':{'hostProcess':true}},'containers':[{'name':'a',"
                + "'securityContext':{'windowsOptions':{'hostProcess':true},'procMount':'Unmasked'}},{'name':'b',"
                + "'securityContext':{'windowsOptions':{'hostProcess':true}}}]}")).containsExactly("procMount "
                + "(container \"a\" must not set securityContext.procMount to \"Unmasked\")", "hostProcess (pod and "
                + "containers \"a\", \"b\" must not set securityContext.windowsOptions.hostProcess=true)");
    }

    /** api/helpers.go PolicyToEvaluate, with warn defaulting to a stricter enforce level (kubernetes#113491). */
    @Test
    void warnDefaultsToAStricterEnforceLevelAndItsVersion() {
        PodSecurity.Policy enforced = PodSecurity.policy(Map.of("pod-security.kubernetes.io/enforce", "restricted",
                "pod-security.kubernetes.io/enforce-version", "v1.30"));
        assertThat(enforced.enforce()).hasToString("restricted:v1.30");
        assertThat(enforced.warn()).hasToString("restricted:v1.30");
        PodSecurity.Policy ownWarn = PodSecurity.policy(Map.of("pod-security.kubernetes.io/enforce", "baseline",
                "pod-security.kubernetes.io/warn", "privileged"));
        assertThat(ownWarn.warn()).hasToString("privileged:latest");
        PodSecurity.Policy warnVersion = PodSecurity.policy(Map.of("pod-security.kubernetes.io/enforce", "baseline",
                "pod-security.kubernetes.io/warn-version", "v1.29"));
        assertThat(warnVersion.warn()).hasToString("baseline:v1.29");
        PodSecurity.Policy typo = PodSecurity.policy(Map.of("pod-security.kubernetes.io/enforce", "strict"));
        assertThat(typo.enforce()).hasToString("restricted:latest");
        assertThat(typo.warn()).hasToString("privileged:latest");
        assertThat(typo.errors()).extracting(PodUpdateRules.FieldError::message).containsExactly(
                "metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: \"strict\": must be one of "
                        + "privileged, baseline, restricted");
    }
}
