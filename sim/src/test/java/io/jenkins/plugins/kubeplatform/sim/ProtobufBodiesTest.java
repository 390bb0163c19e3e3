package io.jenkins.plugins.kubeplatform.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Message;
import io.kubernetes.client.proto.IntStr;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.Runtime;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Apps;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * Protobuf bodies decode into the JSON kube-apiserver would store. The messages are built the way Go's marshaller
 * writes them (every non-pointer scalar present, zero or not); what JSON keeps follows the Go field declarations in
 * kubernetes/kubernetes staging/src/k8s.io/api/{core,apps}/v1/types.go, quoted next to each assertion.
 */
class ProtobufBodiesTest {

    static byte[] envelope(String apiVersion, String kind, Message message) throws IOException {
        Runtime.Unknown unknown = Runtime.Unknown.newBuilder().setTypeMeta(Runtime.TypeMeta.newBuilder()
                .setApiVersion(apiVersion).setKind(kind)).setRaw(message.toByteString()).build();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(new byte[] {0x6b, 0x38, 0x73, 0x00});
        unknown.writeTo(body);
        return body.toByteArray();
    }

    /** A Deployment as kubectl's Go client writes it: the zero non-pointer scalars included. */
    static V1Apps.Deployment goWrittenDeployment(String name, int replicas, long gracePeriod) {
        Meta.ObjectMeta.Builder templateMeta = Meta.ObjectMeta.newBuilder().setName("").setGenerateName("")
                .setNamespace("").setUid("").setResourceVersion("").setGeneration(0)
                .setCreationTimestamp(Meta.Time.newBuilder().setSeconds(0).setNanos(0)).putLabels("app", name);
        V1.Container.Builder container = V1.Container.newBuilder().setName("nginx").setImage("nginx:1.27")
                .setWorkingDir("").setTerminationMessagePath("").setImagePullPolicy("").setTerminationMessagePolicy("")
                .setStdin(false).setStdinOnce(false).setTty(false).setResources(V1.ResourceRequirements.newBuilder());
        V1.PodSpec.Builder pod = V1.PodSpec.newBuilder().addContainers(container).setRestartPolicy("")
                .setTerminationGracePeriodSeconds(gracePeriod).setDnsPolicy("").setServiceAccountName("")
                .setNodeName("").setHostNetwork(false).setHostPID(false).setHostIPC(false).setHostname("")
                .setSubdomain("").setSchedulerName("").setPriorityClassName("");
        return V1Apps.Deployment.newBuilder()
                .setMetadata(Meta.ObjectMeta.newBuilder().setName(name).setGenerateName("").setGeneration(0)
                        .setCreationTimestamp(Meta.Time.newBuilder().setSeconds(0)).putLabels("app", name))
                .setSpec(V1Apps.DeploymentSpec.newBuilder().setReplicas(replicas)
                        .setSelector(Meta.LabelSelector.newBuilder().putMatchLabels("app", name))
                        .setTemplate(V1.PodTemplateSpec.newBuilder().setMetadata(templateMeta).setSpec(pod))
                        .setStrategy(V1Apps.DeploymentStrategy.newBuilder().setType(""))
                        .setMinReadySeconds(0).setPaused(false))
                .setStatus(V1Apps.DeploymentStatus.newBuilder().setObservedGeneration(0).setReplicas(0))
                .build();
    }

    @Test
    void dropsTheZeroNonPointerScalarsGoWritesAndKeepsExplicitZerosOfPointerFields() throws Exception {
        JsonNode json = ProtobufBodies.decode(envelope("apps/v1", "Deployment", goWrittenDeployment("web", 0, 0)));

        JsonNode spec = json.path("spec");
        // MinReadySeconds int32 `json:"minReadySeconds,omitempty"`, Paused bool `json:"paused,omitempty"`
        assertThat(spec.has("minReadySeconds")).isFalse();
        assertThat(spec.has("paused")).isFalse();
        // Replicas *int32 `json:"replicas,omitempty"`: an explicit 0 stays
        assertThat(spec.path("replicas").isInt()).isTrue();
        assertThat(spec.path("replicas").asInt()).isZero();
        JsonNode template = spec.path("template");
        // ObjectMeta.Generation int64 `json:"generation,omitempty"`
        assertThat(template.path("metadata").has("generation")).isFalse();
        JsonNode podSpec = template.path("spec");
        // HostNetwork/HostPID/HostIPC bool `json:"...,omitempty"`
        assertThat(podSpec.has("hostNetwork") || podSpec.has("hostPID") || podSpec.has("hostIPC")).isFalse();
        // TerminationGracePeriodSeconds *int64: an explicit 0 stays
        assertThat(podSpec.path("terminationGracePeriodSeconds").isIntegralNumber()).isTrue();
        assertThat(podSpec.path("terminationGracePeriodSeconds").asLong()).isZero();
        JsonNode container = podSpec.path("containers").path(0);
        // Stdin/StdinOnce/TTY bool `json:"...,omitempty"`
        assertThat(container.has("stdin") || container.has("stdinOnce") || container.has("tty")).isFalse();
        // Resources ResourceRequirements `json:"resources,omitempty"` is a struct: JSON writes it, empty
        assertThat(container.path("resources").isObject()).isTrue();
        assertThat(container.path("image").asText()).isEqualTo("nginx:1.27");
        assertThat(json.path("status").has("replicas")).isFalse();
    }

    @Test
    void keepsZerosOfFieldsWithoutOmitempty() throws Exception {
        V1Apps.StatefulSet set = V1Apps.StatefulSet.newBuilder()
                .setMetadata(Meta.ObjectMeta.newBuilder().setName("db"))
                .setSpec(V1Apps.StatefulSetSpec.newBuilder().setServiceName("db").setMinReadySeconds(0)
                        .setOrdinals(V1Apps.StatefulSetOrdinals.newBuilder().setStart(0)))
                .build();

        JsonNode spec = ProtobufBodies.decode(envelope("apps/v1", "StatefulSet", set)).path("spec");

        // StatefulSetOrdinals.Start int32 `json:"start"` (no omitempty): the zero shows
        assertThat(spec.path("ordinals").path("start").isInt()).isTrue();
        assertThat(spec.has("minReadySeconds")).isFalse();
    }

    @Test
    void writesInlineEmbeddedStructsInPlace() throws Exception {
        V1.Container container = V1.Container.newBuilder().setName("app").setImage("app:1")
                .setReadinessProbe(V1.Probe.newBuilder().setHandler(V1.ProbeHandler.newBuilder().setHttpGet(
                        V1.HTTPGetAction.newBuilder().setPath("/ready").setPort(
                                IntStr.IntOrString.newBuilder().setType(0).setIntVal(8080)))).setPeriodSeconds(5))
                .addEnv(V1.EnvVar.newBuilder().setName("MODE").setValueFrom(V1.EnvVarSource.newBuilder()
                        .setConfigMapKeyRef(V1.ConfigMapKeySelector.newBuilder().setKey("mode")
                                .setLocalObjectReference(V1.LocalObjectReference.newBuilder().setName("cfg")))))
                .build();
        V1.Pod pod = V1.Pod.newBuilder().setMetadata(Meta.ObjectMeta.newBuilder().setName("p"))
                .setSpec(V1.PodSpec.newBuilder().addContainers(container).addVolumes(V1.Volume.newBuilder()
                        .setName("data").setVolumeSource(V1.VolumeSource.newBuilder()
                                .setEmptyDir(V1.EmptyDirVolumeSource.newBuilder()))))
                .build();

        JsonNode spec = ProtobufBodies.decode(envelope("v1", "Pod", pod)).path("spec");

        // Volume: VolumeSource `json:",inline"`; Probe: ProbeHandler `json:",inline"`;
        // ConfigMapKeySelector: LocalObjectReference `json:",inline"`
        assertThat(spec.path("volumes").path(0).path("emptyDir").isObject()).isTrue();
        assertThat(spec.path("volumes").path(0).has("volumeSource")).isFalse();
        JsonNode probe = spec.path("containers").path(0).path("readinessProbe");
        assertThat(probe.path("httpGet").path("path").asText()).isEqualTo("/ready");
        assertThat(probe.has("handler")).isFalse();
        JsonNode ref = spec.path("containers").path(0).path("env").path(0).path("valueFrom").path("configMapKeyRef");
        assertThat(ref.path("name").asText()).isEqualTo("cfg");
        assertThat(ref.path("key").asText()).isEqualTo("mode");
    }
}
