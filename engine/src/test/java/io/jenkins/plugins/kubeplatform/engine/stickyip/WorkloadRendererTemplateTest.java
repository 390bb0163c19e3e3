package io.jenkins.plugins.kubeplatform.engine.stickyip;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** SIP-12/SIP-14: what the renderer makes of a user's workload template and of pull credentials. */
class WorkloadRendererTemplateTest {

    private static final String TEMPLATE = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: shop
              labels: {team: blue}
              annotations: {note: keep}
            spec:
              replicas: 3
              paused: true
              strategy: {type: RollingUpdate}
              selector: {matchLabels: {app: shop}}
              template:
                metadata:
                  labels: {app: shop}
                  annotations: {prometheus.io/scrape: "true"}
                spec:
                  imagePullSecrets: [{name: own-secret}]
                  containers:
                  - name: web
                    image: old:1
                    env: [{name: KEEP, value: "1"}, {name: OVERRIDE, value: old}]
                    ports: [{containerPort: 8080, name: http}, {containerPort: 8080, protocol: TCP}, {containerPort: 9090, protocol: UDP}]
                  - name: sidecar
                    image: side:1
            """;

    private final IpPool pool = Pools.pool("default", "10.42.200.0/24");
    private final ReplicaIdentity identity = new ReplicaIdentity("shop", "web", 0);

    private DeployRequest templated(String image) {
        return DeployRequest.of("shop", "web", image, 1, 0, "default")
                .withEnv(Map.of("OVERRIDE", "new", "ADDED", "x"))
                .withTemplate(ManifestParser.parse("template", TEMPLATE))
                .withPullCredentials(new PullCredentials("registry.example.com", "u", "p"));
    }

    private static Container container(Deployment d, String name) {
        return d.getSpec().getTemplate().getSpec().getContainers().stream().filter(c -> c.getName().equals(name))
                .findFirst().orElseThrow();
    }

    @Test
    void keepsTheTemplateAndAddsOnlyWhatPinningNeedsWhenATemplateIsGiven() {
        Deployment d = WorkloadRenderer.deployment(templated("nginx:1.27"), pool, identity, "10.42.200.7",
                Optional.empty()).deployment();

        assertThat(d.getMetadata().getName()).isEqualTo("web-0");
        assertThat(d.getMetadata().getNamespace()).isEqualTo("shop");
        assertThat(d.getMetadata().getLabels()).containsEntry("team", "blue")
                .containsEntry("kubeplatform.jenkins.io/identity", "web-0");
        assertThat(d.getMetadata().getAnnotations()).containsEntry("note", "keep")
                .containsEntry("kubeplatform.jenkins.io/reserved-ip", "10.42.200.7")
                .containsEntry("kubeplatform.jenkins.io/ip-pool", "default")
                .containsEntry("kubeplatform.jenkins.io/owner-step", "stickyIpDeploy");
        assertThat(d.getStatus()).isNull();
        assertThat(d.getSpec().getReplicas()).isEqualTo(1);
        assertThat(d.getSpec().getPaused()).isNull();
        assertThat(d.getSpec().getStrategy().getType()).isEqualTo("Recreate");
        assertThat(d.getSpec().getSelector().getMatchLabels()).isEqualTo(Map.of(
                "app.kubernetes.io/name", "web", "kubeplatform.jenkins.io/identity", "web-0"));
        assertThat(d.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("app", "shop")
                .containsEntry("kubeplatform.jenkins.io/identity", "web-0")
                .containsEntry("kubeplatform.jenkins.io/traffic", "on");
        assertThat(d.getSpec().getTemplate().getMetadata().getAnnotations()).containsEntry("prometheus.io/scrape", "true")
                .containsEntry("cni.projectcalico.org/ipAddrs", "[\"10.42.200.7\"]")
                .containsEntry("kubeplatform.jenkins.io/reserved-ip", "10.42.200.7");
        Container web = container(d, "web");
        assertThat(web.getImage()).isEqualTo("nginx:1.27");
        assertThat(web.getEnv()).extracting(EnvVar::getName, EnvVar::getValue).containsExactly(
                org.assertj.core.groups.Tuple.tuple("KEEP", "1"), org.assertj.core.groups.Tuple.tuple("ADDED", "x"),
                org.assertj.core.groups.Tuple.tuple("OVERRIDE", "new"));
        assertThat(container(d, "sidecar").getImage()).isEqualTo("side:1");
        assertThat(container(d, "sidecar").getEnv()).isNullOrEmpty();
        // the template's own pull secret is kept, none is added
        assertThat(d.getSpec().getTemplate().getSpec().getImagePullSecrets()).extracting(LocalObjectReference::getName)
                .containsExactly("own-secret");
    }

    @Test
    void keepsTheTemplatesImageWhenTheStepGivesNone() {
        Deployment d = WorkloadRenderer.deployment(templated(""), pool, identity, "10.42.200.7", Optional.empty())
                .deployment();

        assertThat(container(d, "web").getImage()).isEqualTo("old:1");
    }

    @Test
    void addsThePullSecretOfTheCredentialsWhenTheWorkloadHasNone() {
        DeployRequest plain = DeployRequest.of("shop", "web", "registry.example.com/web:1", 1, 8080, "default")
                .withPullCredentials(new PullCredentials("registry.example.com", "u", "p"));

        Deployment d = WorkloadRenderer.deployment(plain, pool, identity, "10.42.200.7", Optional.empty()).deployment();

        assertThat(d.getSpec().getTemplate().getSpec().getImagePullSecrets()).extracting(LocalObjectReference::getName)
                .containsExactly("kubeplatform-pull-registry-example-com");
        assertThat(WorkloadRenderer.deployment(DeployRequest.of("shop", "web", "web:1", 1, 8080, "default"), pool,
                identity, "10.42.200.7", Optional.empty()).deployment().getSpec().getTemplate().getSpec()
                .getImagePullSecrets()).isNullOrEmpty();
    }

    @Test
    void derivesOneServicePortPerDistinctPortAndProtocolWhenTheStepGivesNoPort() {
        var ports = WorkloadRenderer.service(templated("nginx:1.27")).getSpec().getPorts();

        assertThat(ports).extracting(ServicePort::getName, ServicePort::getProtocol, ServicePort::getPort)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("http", "TCP", 8080),
                        org.assertj.core.groups.Tuple.tuple("udp-9090", "UDP", 9090));
        assertThat(ports.get(1).getTargetPort().getIntVal()).isEqualTo(9090);
    }

    @Test
    void usesTheStepsPortOverTheTemplatesWhenOneIsGiven() {
        DeployRequest withPort = DeployRequest.of("shop", "web", "nginx:1.27", 1, 7000, "default")
                .withTemplate(ManifestParser.parse("template", TEMPLATE));

        assertThat(WorkloadRenderer.service(withPort).getSpec().getPorts())
                .extracting(ServicePort::getName, ServicePort::getPort)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("app", 7000));
    }

    @Test
    void changesTheTemplateHashButNotTheSpecHashWhenOnlyThePinChanges() {
        DeployRequest request = DeployRequest.of("shop", "web", "web:1", 1, 8080, "default");
        var unpinned = WorkloadRenderer.deployment(request, pool, identity, "10.42.200.7", Optional.empty());
        var onN1 = WorkloadRenderer.deployment(request, pool, identity, "10.42.200.7",
                Optional.of(new WorkloadRenderer.Pin("n1", "n1", false)));
        var onN2 = WorkloadRenderer.deployment(request, pool, identity, "10.42.200.7",
                Optional.of(new WorkloadRenderer.Pin("n2", "n2", false)));
        var requiredN2 = WorkloadRenderer.deployment(request, pool, identity, "10.42.200.7",
                Optional.of(new WorkloadRenderer.Pin("n2", "n2", true)));

        assertThat(java.util.stream.Stream.of(unpinned.specHash(), onN1.specHash(), onN2.specHash(),
                requiredN2.specHash()).distinct()).hasSize(1);
        assertThat(java.util.Set.of(unpinned.templateHash(), onN1.templateHash(), onN2.templateHash(),
                requiredN2.templateHash())).hasSize(4);
        assertThat(onN2.deployment().getMetadata().getAnnotations())
                .containsEntry("kubeplatform.jenkins.io/pinned-node", "n2");
        assertThat(unpinned.deployment().getMetadata().getAnnotations())
                .doesNotContainKey("kubeplatform.jenkins.io/pinned-node");
    }

    @Test
    void pinsWithANewNodeAffinityWhenTheTemplateHasNone() {
        var required = WorkloadRenderer.withPin(null, new WorkloadRenderer.Pin("n2", "host-2", true));
        var preferredByName = WorkloadRenderer.withPin(new io.fabric8.kubernetes.api.model.Affinity(),
                new WorkloadRenderer.Pin("n2", null, false));

        assertThat(required.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms())
                .singleElement().satisfies(t -> assertThat(t.getMatchExpressions()).singleElement()
                        .satisfies(e -> assertThat(e.getValues()).containsExactly("host-2")));
        assertThat(preferredByName.getNodeAffinity().getPreferredDuringSchedulingIgnoredDuringExecution())
                .singleElement().satisfies(p -> {
                    assertThat(p.getWeight()).isEqualTo(100);
                    assertThat(p.getPreference().getMatchFields()).singleElement()
                            .satisfies(f -> assertThat(f.getKey()).isEqualTo("metadata.name"));
                });
    }
}
