package io.jenkins.plugins.kubeplatform.engine.stickyip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kubeplatform.engine.core.InvalidInputException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * SIP-12: what a user's template may not set because pinning owns it, refused before anything is reserved, naming the
 * field. The templates are written here as a user would; the fields are the paths of the Kubernetes Deployment.
 */
class TemplateRulesTest {

    private static final String CONTAINERS = """
                  containers:
                    - name: web
                      image: web:1
                      ports: [{containerPort: 8080}]
            """;

    private static DeployRequest request(String image, int port) {
        return DeployRequest.of("shop", "web", image, 2, port, "default");
    }

    private static void check(String yaml, DeployRequest request, Cni cni) {
        TemplateRules.check(ManifestParser.parse("template", yaml), request, cni);
    }

    private static void check(String yaml) {
        check(yaml, request(null, 0), Cni.CALICO);
    }

    private static String deployment(String metadata, String strategy, String podMetadata, String podSpec) {
        return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n" + metadata + "\nspec:\n" + strategy
                + "\n  template:\n    metadata:\n" + podMetadata + "\n    spec:\n" + podSpec + "\n" + CONTAINERS;
    }

    private static String withStrategy(String strategy) {
        return deployment("  name: web", strategy, "      labels: {tier: front}", "      dnsPolicy: ClusterFirst");
    }

    private static void refused(Runnable check, String field, String says) {
        assertThatThrownBy(check::run).isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo(field))
                .hasMessageContaining(says);
    }

    @Test
    void acceptsATemplateThatLeavesThePinnedFieldsAlone() {
        assertThatCode(() -> check(deployment("  namespace: shop\n  labels: {app.kubernetes.io/name: web}",
                "  strategy: {type: Recreate}", "      labels: {app.kubernetes.io/managed-by: kubernetes-platform-steps}",
                "      restartPolicy: Always\n      hostNetwork: false"))).doesNotThrowAnyException();
    }

    @Test
    void refusesAnotherNamespaceThanTheDeploys() {
        refused(() -> check(deployment("  namespace: other", "", "      labels: {}", "      dnsPolicy: ClusterFirst")),
                "template.metadata.namespace", "is other but the deploy targets namespace shop");
    }

    @Test
    void refusesARollingUpdateThatSurges() {
        refused(() -> check(withStrategy("  strategy: {type: RollingUpdate}")),
                "template.spec.strategy.rollingUpdate.maxSurge", "is unset (25% by default)");
        refused(() -> check(withStrategy("  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1}}")),
                "template.spec.strategy.rollingUpdate.maxSurge", "is 1:");
        refused(() -> check(withStrategy("  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 10%}}")),
                "template.spec.strategy.rollingUpdate.maxSurge", "is 10%:");
        refused(() -> check(withStrategy("  strategy: {rollingUpdate: {maxSurge: 2}}")),
                "template.spec.strategy.rollingUpdate.maxSurge", "is 2:");
    }

    @Test
    void acceptsARollingUpdateWithoutSurge() {
        assertThatCode(() -> check(withStrategy("  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 0}}")))
                .doesNotThrowAnyException();
        assertThatCode(() -> check(withStrategy("  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 0%}}")))
                .doesNotThrowAnyException();
        assertThatCode(() -> check(withStrategy("  strategy: {rollingUpdate: {maxSurge: 0}}")))
                .doesNotThrowAnyException();
    }

    @Test
    void refusesAnUnknownStrategyType() {
        refused(() -> check(withStrategy("  strategy: {type: BlueGreen}")), "template.spec.strategy.type",
                "is BlueGreen; must be Recreate or RollingUpdate");
    }

    @Test
    void refusesThePoolsOwnPinAnnotationAndAnotherCnisAddressAnnotation() {
        String calicoPin = "spec:\n  containers: [{name: web, image: web:1, ports: [{containerPort: 80}]}]\n"
                + "metadata:\n  annotations: {cni.projectcalico.org/ipAddrs: '[\"10.0.0.1\"]'}\n";
        String ovnPool = "spec:\n  containers: [{name: web, image: web:1, ports: [{containerPort: 80}]}]\n"
                + "metadata:\n  annotations: {ovn.kubernetes.io/ip_pool: 'a,b'}\n";

        refused(() -> check(calicoPin, request(null, 0), Cni.CALICO),
                "template.spec.template.metadata.annotations[cni.projectcalico.org/ipAddrs]", "pins an address");
        refused(() -> check(ovnPool, request(null, 0), Cni.CALICO),
                "template.spec.template.metadata.annotations[ovn.kubernetes.io/ip_pool]",
                "is another CNI's address annotation (this pool's CNI is calico)");
        refused(() -> check(ovnPool, request(null, 0), Cni.KUBE_OVN),
                "template.spec.template.metadata.annotations[ovn.kubernetes.io/ip_pool]", "pins an address");
        refused(() -> check(calicoPin, request(null, 0), Cni.KUBE_OVN),
                "template.spec.template.metadata.annotations[cni.projectcalico.org/ipAddrs]", "another CNI's");
    }

    @Test
    void refusesLabelsThatTheServiceSelectorOrTheIdentityOwn() {
        refused(() -> check(deployment("  labels: {app.kubernetes.io/name: shop}", "", "      labels: {}", "      dnsPolicy: ClusterFirst")),
                "template.metadata.labels[app.kubernetes.io/name]", "is shop but the app is web");
        refused(() -> check(deployment("  name: web", "", "      labels: {app.kubernetes.io/managed-by: helm}",
                        "      dnsPolicy: ClusterFirst")),
                "template.spec.template.metadata.labels[app.kubernetes.io/managed-by]", "is helm");
        refused(() -> check(deployment("  name: web", "", "      labels: {kubeplatform.jenkins.io/identity: web-0}",
                        "      dnsPolicy: ClusterFirst")),
                "template.spec.template.metadata.labels[kubeplatform.jenkins.io/identity]", "is set per identity");
    }

    @Test
    void refusesHostNetworkANodeNameAndARestartPolicyOtherThanAlways() {
        refused(() -> check(deployment("  name: web", "", "      labels: {}", "      hostNetwork: true")),
                "template.spec.template.spec.hostNetwork", "is true");
        refused(() -> check(deployment("  name: web", "", "      labels: {}", "      nodeName: node-3")),
                "template.spec.template.spec.nodeName", "binds every identity to node node-3");
        refused(() -> check(deployment("  name: web", "", "      labels: {}", "      restartPolicy: OnFailure")),
                "template.spec.template.spec.restartPolicy", "is OnFailure");
        assertThatCode(() -> check(deployment("  name: web", "", "      labels: {}", "      nodeName: ''")))
                .doesNotThrowAnyException();
    }

    @Test
    void refusesAnImageOrEnvWhenNoContainerIsNamedLikeTheAppAmongSeveral() {
        String two = "spec:\n  containers:\n    - {name: api, image: api:1, ports: [{containerPort: 80}]}\n"
                + "    - {name: side, image: side:1}\n";

        refused(() -> check(two, request("web:2", 0), Cni.CALICO), "image",
                "the template has containers [api, side] and none is named web");
        refused(() -> check(two, request(null, 0).withEnv(Map.of("A", "1")), Cni.CALICO), "env", "none is named web");
        assertThatCode(() -> check(two, request(null, 0), Cni.CALICO)).doesNotThrowAnyException();
    }

    @Test
    void requiresAnImageForEveryContainerTheStepDoesNotSet() {
        String noImages = "spec:\n  containers:\n    - {name: web, ports: [{containerPort: 80}]}\n    - {name: side}\n";

        refused(() -> check(noImages, request(null, 0), Cni.CALICO), "template.spec.template.spec.containers[0].image",
                "is missing for container web");
        refused(() -> check(noImages, request("web:2", 0), Cni.CALICO), "template.spec.template.spec.containers[1].image",
                "is missing for container side");
        refused(() -> check(noImages.replace("{name: side}", "{name: side, image: ' '}"), request("web:2", 0),
                Cni.CALICO), "template.spec.template.spec.containers[1].image", "is missing for container side");
    }

    @Test
    void requiresAPortWhenTheContainersDeclareNone() {
        String noPorts = "spec:\n  containers: [{name: web, image: web:1}]\n";

        refused(() -> check(noPorts, request(null, 0), Cni.CALICO), "port", "is required when the template's containers "
                + "declare no ports");
        assertThatCode(() -> check(noPorts, request(null, 8080), Cni.CALICO)).doesNotThrowAnyException();
    }

    @Test
    void acceptsADeploymentWithoutMetadataOnItOrItsPodTemplate() {
        String bare = "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n" + CONTAINERS;

        assertThat(ManifestParser.parse("template", bare).deployment().getMetadata()).isNull();
        assertThatCode(() -> check(bare)).doesNotThrowAnyException();
    }
}
